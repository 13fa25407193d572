"""Debian's Chromium as the module drives it: headless, offline, never a downloaded browser.

The site's PDFs (``tools/build_book.py``), the site test and the JupyterLab
browser test all launch it with these flags, so what the tests see is what
the build printed.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
