"""The teacher's guide's Canvas link is a real nbgitpuller link behind JupyterHub's LTI launch."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]


def test_canvas_link_carries_an_nbgitpuller_link_to_notebook_00():
    guide = (ROOT / "docs" / "teachers_guide.md").read_text(encoding="utf-8")
    (link,) = re.findall(r"https://HUB/hub/lti/launch\?\S+", guide)
    outer = urlsplit(link)
    (next_url,) = parse_qs(outer.query)["next"]
    inner = urlsplit(next_url)
    assert inner.path == "/hub/user-redirect/git-pull" and not inner.netloc
    params = {k: v[0] for k, v in parse_qs(inner.query).items()}
    assert params == {
        "repo": "https://github.com/OWNER/REPO",
        "branch": "main",
        "urlpath": "lab/tree/REPO/notebooks/00_start_here.ipynb",
    }
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()
