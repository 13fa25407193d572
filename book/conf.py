"""Sphinx configuration of the reading edition (``make site``, see tools/build_book.py).

Sphinx with myst-nb renders the stored notebooks as they are (nothing is run),
with sphinx-book-theme for navigation, search, dark mode and launch buttons.
The addresses a copy of the module changes are the first three settings. The
edition (students' or teachers', ``-D usiraq_edition=...``) is chosen by
tools/build_book.py; book/usiraq_book.py applies it.
"""

import sys
from pathlib import Path

# Where the launch buttons send readers: the repository (as in the README's
# Binder badge) and the JupyterHub that pulls it with nbgitpuller. The teachers'
# edition opens REPOSITORY_URL; the students' edition opens STUDENT_REPOSITORY_URL:
# set it to the student repository that `make release` fills (the teacher's guide,
# "A graded week"), so that Binder and the hub do not hand students the solutions;
# leave it equal to REPOSITORY_URL if your students work in this repository.
REPOSITORY_URL = "https://github.com/OWNER/REPO"
STUDENT_REPOSITORY_URL = "https://github.com/OWNER/REPO"
JUPYTERHUB_URL = "https://hub.example.org"

sys.path.insert(0, str(Path(__file__).resolve().parent))

project = "The US military presence in Iraq, taught through one paper"
author = "The module's authors"
copyright = "the module's authors; text and notebooks CC BY 4.0, code MIT"
language = "en"

extensions = ["myst_nb", "usiraq_book"]
root_doc = "index"
exclude_patterns = [
    "_build",
    "exercises/*.ipynb",
    "**/.ipynb_checkpoints",
    "data/*.csv",
    "docs/performance.md",
]
suppress_warnings = ["myst.header"]  # notebooks start at a level-1 title and may skip levels

# The notebooks are committed freshly executed: show their stored outputs.
nb_execution_mode = "off"
nb_custom_formats = {".ipynb": ["usiraq_book.read_notebook", {}, False]}
nb_ipywidgets_js = {}  # widgets become a note; never load their scripts from a CDN
myst_heading_anchors = 4  # GitHub's heading anchors, which the links use
myst_enable_extensions = ["colon_fence"]

html_theme = "sphinx_book_theme"
html_title = "US presence in Iraq"
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["usiraq.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_context = {
    "default_mode": "auto"
}  # light or dark as the reader's system asks; a switch in the header
html_theme_options = {
    "repository_url": REPOSITORY_URL,
    "repository_branch": "main",
    "path_to_docs": "",
    "use_repository_button": False,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "jupyterhub_url": JUPYTERHUB_URL,
        "notebook_interface": "jupyterlab",
    },
    "show_toc_level": 2,
}
# Sphinx would load MathJax from a CDN on a page with mathematics. The module has none, so
# nothing loads this local path; a page with maths would fail the site test's missing-file check.
mathjax_path = "mathjax-not-bundled.js"
# The repository of each edition: its launch buttons, and where links to files outside it go.
usiraq_repositories = {"students": STUDENT_REPOSITORY_URL, "teachers": REPOSITORY_URL}
repository_blob = f"{REPOSITORY_URL}/blob/main"  # set again for the edition built
