"""The wheel carries every package and every resources/ folder (pyproject lists them by hand)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_lists_every_package_and_resource_folder():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    code = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("playground", "ui")
        for init in (ROOT / top).rglob("__init__.py")
    }
    resources = {
        ".".join(("playground", *folder.relative_to(ROOT).parts))
        for folder in [ROOT / "resources", *(ROOT / "resources").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__"
    }
    assert code | resources <= listed
    assert config["package-dir"]["playground.resources"] == "resources"


def readme_command(heading: str) -> str:
    """The one-line command in the code block under ``## heading`` of the README."""
    section = (ROOT / "README.md").read_text().split(f"## {heading}\n", 1)[1]
    block = section.split("```\n", 2)[1]
    (line,) = block.strip().splitlines()
    return line


def test_ci_runs_the_readmes_test_command_and_removes_the_venv_it_made():
    test = readme_command("Run the tests")
    assert test.startswith("python3 -m venv .venv && ")  # works where pip refuses (PEP 668)
    script = (ROOT / ".ci" / "run").read_text()
    assert test in script.splitlines()
    assert "trap 'rm -rf .venv' EXIT" in script


def test_the_readmes_run_command_uses_a_virtual_environment():
    assert readme_command("Run it") == (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/nn-playground"
    )
