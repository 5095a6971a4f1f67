"""Writes docs/reference.md from the code: the Python API's docstrings (pyrtaudionet.__all__)
and the .NET API's XML documentation (public types and members of PyRtAudioNet and
PyRtAudioNet.Python). `make docs` runs it; tests/python/test_docs.py fails when the file is
stale or a public name has no documentation.

Usage: PYTHONPATH=python python3.11 tools/docs/reference.py [--check]"""

from __future__ import annotations

import inspect
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "docs" / "reference.md"
# Each assembly's make build output, where its XML documentation is.
BUILDS = {name: REPO / "src" / project / "bin" / "Release" / "net10.0"
          for name, project in (("PyRtAudioNet", "PyRtAudioNet.Python"), ("PyRtAudioNet.Python", "PyRtAudioNet.Python"),
                                ("PyRtAudioNet.JackDummy", "PyRtAudioNet.JackDummy"))}


def first_paragraph(text: str | None) -> str:
    return " ".join((inspect.cleandoc(text or "").split("\n\n")[0]).split())


def python_members(value: Any) -> Iterator[tuple[str, Any]]:
    """Public methods and properties a class defines (or inherits from this package's bases)."""
    for name, member in inspect.getmembers(value):
        if name.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
            continue
        if (getattr(member, "__module__", None) or getattr(getattr(member, "fget", None), "__module__", "")).startswith("pyrtaudionet"):
            yield name, member


def python_reference() -> tuple[list[str], list[str]]:
    import pyrtaudionet

    lines, undocumented = ["## Python: `pyrtaudionet`", ""], []
    for name in sorted(pyrtaudionet.__all__, key=str.lower):
        value = getattr(pyrtaudionet, name)
        if not (getattr(value, "__module__", "") or "").startswith("pyrtaudionet"):
            continue  # a .NET type re-exported: documented in the .NET part
        doc = first_paragraph(inspect.getdoc(value))
        if not doc:
            undocumented.append(name)
        signature = ""
        if callable(value):
            try:
                signature = str(inspect.signature(value))
            except (TypeError, ValueError):
                pass
        lines += [f"### `{name}{signature}`", "", doc, ""]
        if inspect.isclass(value):
            for member_name, member in python_members(value):
                member_doc = first_paragraph(inspect.getdoc(member))
                if not member_doc:
                    undocumented.append(f"{name}.{member_name}")
                lines.append(f"- `{member_name}`: {member_doc}")
            lines.append("")
    return lines, undocumented


def xml_doc_text(element: ElementTree.Element) -> str:
    """An XML doc comment as Markdown: <paramref>, <typeparamref> and <see> become the `name` they cite."""
    parts = [element.text or ""]
    for child in element:
        cited = child.get("name") or child.get("cref") or child.get("langword")
        if cited is not None:
            name = cited.split(":", 1)[-1].split("(")[0].split(".")[-1].split("`")[0]  # M:A.B.Write``1(...) -> Write
            parts.append(f"`{name}`")
        else:
            parts.append(xml_doc_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def dotnet_reference() -> tuple[list[str], list[str]]:
    import clr  # type: ignore[import-not-found]
    import pyrtaudionet  # noqa: F401  # loads the assemblies

    clr.AddReference(str(pyrtaudionet._clr.LIB_DIR / "PyRtAudioNet.JackDummy.dll"))  # as the command line does
    from System import AppDomain  # type: ignore[import-not-found]
    from System.Reflection import BindingFlags  # type: ignore[import-not-found]

    public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly
    lines, undocumented = ["## .NET: `PyRtAudioNet`, `PyRtAudioNet.Python`, `PyRtAudioNet.JackDummy`", ""], []
    loaded = {str(a.GetName().Name): a for a in AppDomain.CurrentDomain.GetAssemblies()}
    for name, build in BUILDS.items():
        assembly, xml_path = loaded[name], build / f"{name}.xml"
        docs = {}
        for member in ElementTree.parse(xml_path).getroot().iter("member"):
            summary = member.find("summary")
            text = xml_doc_text(summary) if summary is not None else ""
            docs[member.get("name")] = " ".join(text.split())
        for clr_type in sorted(assembly.GetExportedTypes(), key=lambda t: str(t.FullName)):
            type_id = f"T:{clr_type.FullName}"
            if not docs.get(type_id):
                undocumented.append(type_id)
            lines += [f"### `{clr_type.FullName}`", "", docs.get(type_id, ""), ""]
            prefix = str(clr_type.FullName)
            for doc_id, text in docs.items():
                match = re.match(r"^([MPEF]):" + re.escape(prefix) + r"\.([^.(`]+)", doc_id)
                if not match:
                    continue
                member_name = match.group(2)
                if member_name == "#ctor":
                    is_public = len(clr_type.GetConstructors()) > 0  # GetConstructors() lists the public ones
                else:
                    is_public = len(clr_type.GetMember(member_name, public)) > 0
                if is_public:
                    shown = "constructor" if member_name == "#ctor" else member_name
                    lines.append(f"- `{shown}`: {text}")
            lines.append("")
    return lines, undocumented


def generate() -> tuple[str, list[str]]:
    python_lines, python_missing = python_reference()
    dotnet_lines, dotnet_missing = dotnet_reference()
    header = ["# Reference", "", "Generated from the code by `make docs` (`tools/docs/reference.py`); do not edit.", ""]
    return "\n".join(header + python_lines + dotnet_lines).rstrip() + "\n", python_missing + dotnet_missing


def main() -> int:
    text, undocumented = generate()
    if undocumented:
        print("undocumented public names:", ", ".join(undocumented), file=sys.stderr)
        return 1
    if "--check" in sys.argv:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print(f"{OUTPUT} is stale: run make docs", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
