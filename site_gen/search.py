"""Search indexing: Pagefind (extended build, for Chinese segmentation) over the staged site.

Input: the staged output folder. Output: `pagefind/` inside it. Only article bodies are indexed
(`data-pagefind-body`); filters and the date sort come from data attributes in article.html.
The whole folder is indexed in one run of the binary: per-file API calls are far slower.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from site_gen.diagnostics import Diagnostic, SiteGenError


def pagefind_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--silent"]


def index_site(site: Path) -> None:
    result = subprocess.run(pagefind_command(site), capture_output=True, text=True)
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SiteGenError(Diagnostic(str(site), f"Pagefind failed (exit {result.returncode}): {message[0]}",
                                      hint="is `pagefind[extended]` installed? `pip install -e .`"))
