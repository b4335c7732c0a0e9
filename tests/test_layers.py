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


def app_modules():
    """(app, path relative to the root, source) for every app module but migrations."""
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, str(path.relative_to(ROOT)), path.read_text()


def test_no_app_imports_a_layer_above_it():
    problems = []
    for app, relative, source in app_modules():
        problems += upward_imports(app, source, relative)
    assert problems == [], "Upward imports:\n" + "\n".join(problems)


def other_apps_views(app: str, source: str, path: str) -> list[str]:
    """Imports of another app's page or API views: what they share belongs in a form,
    selector, serializer or chart module of their own app."""
    problems = []
    for line, module in imported_modules(ast.parse(source, filename=path)):
        top, _dot, rest = module.partition(".")
        if top in LAYERS and top != app and rest.split(".")[0] in {"views", "api"}:
            problems.append(f"{path}:{line}: {app} imports {module}")
    return problems


def test_the_check_finds_another_apps_views():
    source = "from tracker.views import period_error\nfrom tracker.forms import chosen_period\n"
    assert other_apps_views("clinicians", source, "clinicians/views.py") == [
        "clinicians/views.py:1: clinicians imports tracker.views"
    ]


def test_no_app_imports_another_apps_views():
    problems = []
    for app, relative, source in app_modules():
        problems += other_apps_views(app, source, relative)
    assert problems == [], "Imports of another app's views:\n" + "\n".join(problems)
