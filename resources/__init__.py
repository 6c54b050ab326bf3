"""Files Posko ships: fonts, alert sounds and compiled translations.

Installed as the package ``posko_resources`` (pyproject.toml maps it to this folder), so
code reads them through ``console.paths.resource`` (importlib.resources) in a checkout, an
installed wheel and a bundle alike, never by a path relative to the source tree."""
