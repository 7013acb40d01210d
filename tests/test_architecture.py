"""docs/ARCHITECTURE.md says what the code does: its wiring table is stages.WIRING, every stage is wired and
described, the plugins import one another without cycles and patch no Pelican or Jinja class, and the document's
recipe for a new field of a point works in a copy of the project."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, TEST_PREFIX, WIDE_LOG_ENV, add_file, copy_project, text_of, zq_article
from stages import WIRING

DOCUMENT = ROOT / "docs" / "ARCHITECTURE.md"
PLUGINS = ROOT / "plugins"


def wiring_table() -> str:
    rows = ["| # | signal | handler | reads output/ |", "| --- | --- | --- | --- |"]
    for number, (signal, handler, reads) in enumerate(WIRING, start=1):
        name = f"{handler.__module__}.{handler.__qualname__}"
        rows.append(f"| {number} | `{signal.name}` | `{name}` | {reads or '–'} |")
    return "\n".join(rows)


def test_the_architecture_document_shows_the_wiring_list_as_it_is():
    table = wiring_table()
    assert table in DOCUMENT.read_text(), f"docs/ARCHITECTURE.md's wiring table should read:\n\n{table}\n"


def test_every_stage_is_wired_and_described():
    stages = {path.parent.name for path in (PLUGINS / "stages").glob("*/__init__.py")}
    wired = {handler.__module__.split(".")[1] for _, handler, _ in WIRING if handler.__module__.count(".")}
    assert stages == wired
    document = DOCUMENT.read_text()
    for stage in stages:
        assert f"`stages.{stage}`" in document, stage


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in PLUGINS.rglob("*.py"):
        parts = path.relative_to(PLUGINS).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(), str(path))
    return found


def test_the_plugins_import_one_another_without_a_cycle():
    tree = modules()
    imports: dict[str, set[str]] = {}
    for name, module in tree.items():
        targets = set()
        for node in ast.walk(module):  # function-level imports count too
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stages"):
                targets |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in tree else node.module for a in node.names
                }
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in tree}
        imports[name] = targets - {name}

    def cycle_from(start: str, path: list[str]) -> list[str] | None:
        for target in sorted(imports.get(path[-1], ())):
            if target == start:
                return [*path, start]
            if target not in path and (found := cycle_from(start, [*path, target])):
                return found
        return None

    # a package's __init__ may import its own modules (Python loads the package first anyway)
    for name in tree:
        found = cycle_from(name, [name])
        if found and not any(found[i + 1].startswith(found[i] + ".") for i in range(len(found) - 1)):
            raise AssertionError(" -> ".join(found))


def test_no_pelican_or_jinja_class_attribute_is_assigned():
    for path in [*PLUGINS.rglob("*.py"), *(ROOT / "tools").glob("*.py")]:
        module = ast.parse(path.read_text())
        foreign = {
            alias.asname or alias.name
            for node in ast.walk(module)
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("pelican", "jinja2")
            for alias in node.names
            if alias.name[:1].isupper()
        }
        for node in ast.walk(module):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    assert target.value.id not in foreign, f"{path.relative_to(ROOT)}:{node.lineno}"


@pytest.mark.slow  # a build in a new process (the copy's own plugins)
def test_the_recipe_for_a_new_field_of_a_point_works(tmp_path):
    project = copy_project(tmp_path / "project")
    points = project / "plugins" / "stages" / "markup" / "points.py"
    text = points.read_text()
    assert 'Field("helps", "Helps with", in_steps=False),\n)' in text, "the recipe's place in FIELDS moved"
    points.write_text(text.replace("in_steps=False),\n)", 'in_steps=False),\n    Field("caution", "Caution"),\n)'))
    block = (
        "Point: K1\nName: Bubbling Spring\nWhere: the sole of the foot\nHold: 30 seconds\nCaution: not on broken skin\n"
    )
    add_file(project, f"content/{TEST_PREFIX}caution.md", zq_article("caution", f"Text.\n\n{block}"))
    result = subprocess.run(
        [sys.executable, "-m", "tools.build", "--no-cache", "--output", str(tmp_path / "out")],
        cwd=project,
        capture_output=True,
        text=True,
        env=WIDE_LOG_ENV,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "out" / f"{TEST_PREFIX}caution.html").read_text(), "html.parser")
    field = soup.select_one('#k1 dd[data-field="caution"]')
    assert field is not None and text_of(field) == "not on broken skin"
    assert text_of(field.find_previous_sibling("dt")) == "Caution"
    data = [json.loads(script.string) for script in soup.select('script[type="application/ld+json"]')]
    steps = [
        step
        for item in data
        for graph in [item.get("@graph", [item])]
        for node in graph
        if node.get("@type") == "HowTo"
        for step in node["step"]
    ]
    assert any("Caution: not on broken skin" in step["text"] for step in steps), steps
