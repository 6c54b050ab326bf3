"""The public page in a real browser: Debian's chromium, headless, against the live server.

Chromium runs as a separate program (``--dump-dom``, ``--screenshot``), not through Qt:
this test needs no QtWebEngine, so it is not in ``WEBENGINE_TESTS`` (tests/conftest.py)
and runs with the ordinary tests. It skips, saying why, where no chromium is installed
(``apt-get install chromium``). SQLite only: the browser adds nothing the HTTP tests on
PostgreSQL do not already cover.

The accessibility pass checks what can be checked without a screen reader: the page's
language, a label for the ticket field, headings in order, no element taken out of the
tab order, a visible focus style, and a contrast of at least 4.5:1 for every text colour
the style sheet pairs with a background.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from server.portal.routes import Portal, PortalConfig
from tests.server.test_portal import file_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (Debian: "
                                "apt-get install chromium); the browser test is skipped")


@pytest.fixture(scope="module", params=["sqlite"])
def backend(request) -> str:
    """Only SQLite here (module doc)."""
    return request.param


def chromium(*args: str, timeout: float = 60) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Outline(HTMLParser):
    """Headings, form fields, labels and tab order of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.forms: list[dict] = []
        self.tabindex: list[str] = []
        self.focusable: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "input":
            self.inputs.append(a)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag == "form":
            self.forms.append(a)
        if "tabindex" in a:
            self.tabindex.append(a["tabindex"])
        if tag in ("a", "input", "button") and a.get("type") != "hidden":
            self.focusable.append(tag)


def outline(html: str) -> Outline:
    o = Outline()
    o.feed(html)
    return o


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.fixture(scope="module")
def site(live):
    live.app.state.portal = Portal(PortalConfig(cache_s=0, reads_per_address=100_000))
    c = live.account("operator")
    made = [file_report(c, s) for s in ("new", "verified", "dispatched", "resolved", "rejected")]
    return {"base": live.base_url, "resolved": made[3]["ticket"]}


def test_page_renders_in_chromium(site, tmp_path: Path) -> None:
    dom = chromium("--dump-dom", f"{site['base']}/public/")
    assert "<h1>Kinerja Layanan Pengaduan" in dom
    assert 'id="t-area"' in dom and "<svg" in dom
    for width, height in ((412, 900), (1280, 1000)):
        png = tmp_path / f"public_{width}.png"
        chromium(f"--screenshot={png}", f"--window-size={width},{height}",
                 f"{site['base']}/public/")
        from PIL import Image

        with Image.open(png) as im:
            assert im.size == (width, height)
            # not a blank or error page: the header band, text and cards give many colours
            assert len(im.convert("RGB").getcolors(1 << 20) or []) > 20


def test_lookup_form_works_in_chromium(site) -> None:
    page = outline(chromium("--dump-dom", f"{site['base']}/public/?lang=en"))
    (form,) = page.forms
    assert form["method"] == "get"
    field = next(i for i in page.inputs if i.get("type") == "text")
    hidden = {i["name"]: i["value"] for i in page.inputs if i.get("type") == "hidden"}
    # What the browser sends when the citizen types the ticket (in lower case) and
    # presses Enter: the form's action with its fields as the query.
    query = urlencode({field["name"]: site["resolved"].lower(), **hidden})
    dom = chromium("--dump-dom", f"{site['base']}{form['action']}?{query}")
    assert f"<h1>Report {site['resolved']}</h1>" in dom
    assert re.search(r'id="status">Resolved<', dom)
    assert re.findall(r"<li><strong>([^<]+)</strong>", dom) == [
        "New (unverified)", "Verified", "Dispatched", "Resolved"]
    missing = chromium("--dump-dom", f"{site['base']}{form['action']}?tiket=NOPE-1")
    assert "Laporan tidak ditemukan" in missing


def test_accessibility(site) -> None:
    for path in ("/public/", "/public/?lang=en", f"/public/lapor/{site['resolved']}"):
        dom = chromium("--dump-dom", f"{site['base']}{path}")
        page = outline(dom)
        assert page.html_lang in ("id", "en")
        # the other language's link says which language it is in
        assert re.search(r'<a href="[^"]*" lang="(id|en)" hreflang="\1">', dom)
        # every visible field has a label, and is described by the hint
        for field in page.inputs:
            if field.get("type") != "hidden":
                assert field.get("id") in page.labels, field
                assert field.get("aria-describedby")
        # one h1 first, and no level skipped on the way down
        assert page.headings[0] == 1 and page.headings.count(1) == 1
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, page.headings
        # keyboard: nothing removed from the tab order, fields in reading order, and a
        # focus outline in the style sheet
        assert not [t for t in page.tabindex if t.strip().startswith("-")]
        assert page.focusable.index("input") < page.focusable.index("button")
        assert re.search(r"input:focus\{outline:3px solid", dom)
        assert "<svg" not in dom or 'role="img" aria-labelledby=' in dom


def test_text_colours_have_enough_contrast(site) -> None:
    dom = chromium("--dump-dom", f"{site['base']}/public/")
    css = re.search(r"<style>(.*?)</style>", dom, re.S)[1]
    var = dict(re.findall(r"--(\w+):(#[0-9a-fA-F]{3,6})", css))
    white = "#ffffff"
    pairs = {  # (text, background) as the style sheet combines them
        "body text": (var["ink"], var["bg"]), "card text": (var["ink"], white),
        "muted on page": (var["muted"], var["bg"]), "muted in card": (var["muted"], white),
        "link": (var["link"], white), "link on page": (var["link"], var["bg"]),
        "header": (white, var["brand"]), "button": (white, var["brand"]),
        "status badge": (var["ink"], "#e3eefa"),
    }
    for fill in set(re.findall(r'<text[^>]*fill="(#[0-9a-fA-F]{6})"', dom)):
        pairs[f"chart label {fill}"] = (fill, white)
    low = {k: round(contrast(*v), 2) for k, v in pairs.items() if contrast(*v) < 4.5}
    assert not low, low
