"""The app can be installed: every page links a web app manifest with icons and a theme colour."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_and_a_theme_colour(client):
    page = client.get("/").content.decode()
    assert re.search(r'<link rel="manifest" href="/static/manifest[^"]*\.json">', page)
    assert '<meta name="theme-color" content="#0b5cad"' in page


def test_the_manifest_names_the_app_starts_at_home_and_stands_alone():
    manifest = json.loads(Path(finders.find("manifest.json")).read_text(encoding="utf-8"))
    assert manifest["name"] == "Spasm tracker" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])


def test_the_manifest_icons_exist_at_the_sizes_they_claim():
    manifest = json.loads(Path(finders.find("manifest.json")).read_text(encoding="utf-8"))
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"])
        assert path, f"missing icon {icon['src']}"
        if icon["type"] == "image/png":
            width, height = Image.open(path).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert {192, 512} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
