"""docs/reference.md matches the code, and every public name has documentation (the .NET
build enforces it there too: missing XML documentation is an error)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO


def test_reference_is_current_and_every_public_name_is_documented() -> None:
    result = subprocess.run([sys.executable, str(REPO / "tools" / "docs" / "reference.py"), "--check"],
                            env=dict(os.environ, PYTHONPATH=str(REPO / "python")), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_readme_links_to_the_docs_that_exist() -> None:
    readme = (REPO / "README.md").read_text()
    for page in ("docs/python.md", "docs/dotnet.md", "docs/threading.md", "docs/reference.md", "docs/benchmarks.md"):
        assert f"({page})" in readme and (REPO / page).exists(), page
