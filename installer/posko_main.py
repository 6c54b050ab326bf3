"""The bundle's entry point (PyInstaller analyses this file, not main.py).

It imports Posko from the installed package, as a wheel installs it, so the bundle holds
exactly what the wheel ships (posko_resources included) and nothing from the checkout.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    # `posko demo` may generate reports in a spawned child (console/demo/bulk.py); a frozen
    # executable must route that child here before anything else runs.
    multiprocessing.freeze_support()
    from console.cli import main

    sys.exit(main())
