"""Screenshots of the patient's main pages for docs/screens/ (not part of the test run).

Usage, against a running dev server seeded with ``make demo``:
    .venv/bin/python docs/screens/shoot.py before http://127.0.0.1:8801 patient@example.org PASSWORD
Writes <label>-<page>-<lang>-<width>.png, palette-quantised to stay small.
"""

import re
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
WIDTHS = (360, 1280)
LANGUAGES = ("en", "es")
MAX_HEIGHT = 2400


def shrink(path: Path) -> None:
    image = Image.open(path).convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image.quantize(colors=64).save(path, optimize=True)


def main(label: str, base: str, email: str, password: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", email)
            page.fill("input[name=password]", password)
            page.locator("main button[type=submit]").click()
            page.wait_for_load_state()
            page.goto(f"{base}/history/")
            href = page.locator("a[href*='/episodes/']").first.get_attribute("href")
            episode = re.search(r"/episodes/(\d+)/", href).group(1)
            for language in LANGUAGES:
                page.goto(f"{base}/")
                page.select_option("#language-select", language)
                page.locator(".language-form button").click()
                page.wait_for_load_state()
                for name, path in (
                    ("home", "/"),
                    ("guidance", f"/episodes/{episode}/"),
                    ("history", "/history/"),
                    ("summary", "/summary/"),
                    ("details", f"/episodes/{episode}/edit/"),
                    ("checkin", "/checkin/"),
                    ("reminders", "/reminders/"),
                ):
                    page.goto(f"{base}{path}")
                    out = HERE / f"{label}-{name}-{language}-{width}.png"
                    page.screenshot(path=str(out), full_page=True)
                    shrink(out)
            page.goto(f"{base}/")
            page.select_option("#language-select", "en")
            page.locator(".language-form button").click()
            context.close()
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
