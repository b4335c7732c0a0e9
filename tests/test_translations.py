"""Spanish stays current: every translatable string in the code has a Spanish translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".venv", "var", ".git", "test-artifacts", "__pycache__", "*.pyc")


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """The committed Spanish catalogue merged with the strings the code has now."""
    require(shutil.which("xgettext") is not None, "gettext is not installed (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("messages") / "src"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--ignore=tests", "--ignore=bench"],
        cwd=copy,
        env={"DEBUG": "1", "VAR_DIR": str(copy / "var"), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale/es/LC_MESSAGES/django.po"))


def test_every_string_has_a_spanish_translation(fresh_catalogue):
    missing = [entry.msgid for entry in fresh_catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh_catalogue.fuzzy_entries()]
    assert missing == [] and fuzzy == [], f"run `make messages` and translate: {missing + fuzzy}"


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(ROOT / "locale/es/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(ROOT / "locale/es/LC_MESSAGES/django.mo"))
    # Keyed by context too: "Notifications" in the tab bar is a different entry from the page title.
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    stale = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert stale == [], f"run `make messages` to recompile: {stale[:5]}"


def test_every_plural_entry_has_every_form_the_catalogue_declares():
    po = polib.pofile(str(ROOT / "locale/es/LC_MESSAGES/django.po"))
    declared = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [
        e.msgid
        for e in po
        if e.msgid_plural
        and not e.obsolete
        and sorted(k for k, v in e.msgstr_plural.items() if v) != list(range(declared))
    ]
    assert short == [], f"plural entries lacking one of their {declared} Spanish forms: {short}"


@pytest.mark.parametrize("count", [1, 2, 3, 1_000_000])
def test_spanish_plurals_never_fall_back_to_english(count):
    from django.utils import translation

    with translation.override("es"):
        text = translation.ngettext("Started %(count)d minute ago", "Started %(count)d minutes ago", count)
    assert text.startswith("Empezó"), text
