"""The layer order of DESIGN.md: accounts < guidance < tracker < clinicians < reminders <
backspasm. A lower app never imports a higher one, not even inside a function."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("accounts", "guidance", "tracker", "clinicians", "reminders", "backspasm")


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) for every import anywhere in the module, functions included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def upward_imports(app: str, source: str, path: str) -> list[str]:
    rank = LAYERS.index(app)
    problems = []
    for line, module in imported_modules(ast.parse(source, filename=path)):
        top = module.split(".")[0]
        if top in LAYERS and LAYERS.index(top) > rank:
            problems.append(f"{path}:{line}: {app} imports {module}")
    return problems


def test_the_check_finds_an_import_inside_a_function():
    source = "import datetime\n\ndef f():\n    from reminders.selectors import export_for\n"
    assert upward_imports("tracker", source, "tracker/x.py") == [
        "tracker/x.py:4: tracker imports reminders.selectors"
    ]
    assert upward_imports("reminders", source, "reminders/x.py") == []


def test_no_app_imports_a_layer_above_it():
    problems = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = str(path.relative_to(ROOT))
            problems += upward_imports(app, path.read_text(), relative)
    assert problems == [], "Upward imports:\n" + "\n".join(problems)
