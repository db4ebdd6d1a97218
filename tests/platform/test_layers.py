"""The layer contract of ``pyproject.toml`` holds, and an import that breaks it fails with the rule it breaks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    return subprocess.run(
        [str(LINT), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layer_contract_holds_for_the_code_as_it_is():
    result = lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "wangjian", copy / "wangjian", ignore=shutil.ignore_patterns("__pycache__")
    )
    target = copy / "wangjian" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return copy


def test_the_kernel_importing_a_domain_app_is_refused_naming_the_layers(tmp_path):
    copy = _copy_with(tmp_path, "core/errors.py", "from wangjian.clues import choices  # noqa")
    result = lint(tmp_path, copy)
    assert result.returncode != 0
    assert "Layers: kernel → organisation → platform → domain apps BROKEN" in result.stdout
    assert "wangjian.core.errors -> wangjian.clues.choices" in result.stdout


def test_a_source_importing_the_clue_loop_is_refused_even_inside_a_function(tmp_path):
    """The sources reach the clue loop through the intake port, never by importing it."""
    copy = _copy_with(
        tmp_path,
        "registry/services/imports.py",
        "def _sneak():\n    from wangjian.clues import services  # noqa",
    )
    result = lint(tmp_path, copy)
    assert result.returncode != 0
    assert "wangjian.registry.services.imports -> wangjian.clues.services" in result.stdout, result.stdout


def test_a_service_importing_its_tasks_is_a_cycle_and_refused(tmp_path):
    copy = _copy_with(
        tmp_path,
        "monitoring/services/sweeps.py",
        "def _sneak():\n    from wangjian.monitoring import tasks  # noqa",
    )
    result = lint(tmp_path, copy)
    assert result.returncode != 0
    assert "No import cycles between the modules of a package" in result.stdout
    assert "BROKEN" in result.stdout
