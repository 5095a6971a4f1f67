"""docs/reference.md matches the code, every public name has documentation (the .NET build
enforces it there too: missing XML documentation is an error), and the README and the pages of
docs/ link up."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import REPO


def test_reference_is_current_and_every_public_name_is_documented() -> None:
    result = subprocess.run([sys.executable, str(REPO / "tools" / "docs" / "reference.py"), "--check"],
                            env=dict(os.environ, PYTHONPATH=str(REPO / "python")), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_readme_links_every_page_of_docs() -> None:
    readme = (REPO / "README.md").read_text()
    pages = sorted(path.relative_to(REPO).as_posix() for path in (REPO / "docs").glob("*.md"))
    assert "docs/architecture.md" in pages
    assert [page for page in pages if f"({page})" not in readme] == []


def test_relative_links_of_the_readme_and_docs_lead_to_files() -> None:
    broken = []
    for document in [REPO / "README.md", *(REPO / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", document.read_text()):
            if not (document.parent / target).exists():
                broken.append(f"{document.relative_to(REPO)}: {target}")
    assert broken == []
