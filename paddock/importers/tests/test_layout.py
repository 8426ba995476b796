"""The importers' shape holds: each source in its own package over a shared part, no module too
long to read, and comments written only through the comments app's services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p for p in ROOT.rglob("*.py") if "tests" not in p.relative_to(ROOT).parts)


def imported(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved, inside functions too."""
    package = ".".join(("paddock", "importers", *path.relative_to(ROOT).parent.parts))
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_800_lines(path):
    assert len(path.read_text().splitlines()) <= 800


@pytest.mark.parametrize(("source", "other"), [("wordpress", "disqus"), ("disqus", "wordpress")])
def test_the_two_imports_do_not_import_each_other(source, other):
    for path in (ROOT / source).rglob("*.py"):
        found = {n for n in imported(path) if n.startswith(f"paddock.importers.{other}")}
        assert not found, f"{path.name} imports {found}"


def test_the_shared_part_imports_neither_source():
    for path in MODULES:
        if path.relative_to(ROOT).parts[0] in ("wordpress", "disqus", "management"):
            continue
        found = {
            n
            for n in imported(path)
            if n.startswith(("paddock.importers.wordpress", "paddock.importers.disqus"))
        }
        assert not found, f"{path.name} imports {found}"


def test_comments_are_written_only_through_the_comments_services():
    for path in MODULES:
        text = path.read_text()
        for write in ("bulk_create", "bulk_update", ".update(", ".create(", ".save(", ".delete("):
            for line in text.splitlines():
                assert not ("Comment.objects" in line and write in line), (path.name, line)
        assert "rows_update(\n        Comment," not in text, path.name
        assert "rows_update(Comment" not in text, path.name
