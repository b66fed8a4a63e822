"""Browser helpers for the system tests of the customer web portal: a headless Chromium driven by
Selenium, both from Debian's packages (chromium, chromium-driver; scripts/install-deps --test).

The `browser` fixture (conftest.py) gives one started browser to the whole session; `screenshot`
saves what a page looks like on a phone and on a desktop, under .test-artifacts/screenshots/ or
$POSTDESK_SCREENSHOTS.
"""
import os
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PAGE_LOAD_TIMEOUT = 30  # seconds
PHONE = (360, 800)
DESKTOP = (1280, 900)
MAX_SHOT_HEIGHT = 4000


def start_browser():
    """A Selenium Chrome webdriver on a headless Chromium; the caller quits it."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_argument("--headless=new")
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to start its sandbox as root
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    # Keep the console (CSP violations, script errors) for `console_errors`.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
    return driver


def screenshots_folder():
    return Path(os.environ.get("POSTDESK_SCREENSHOTS") or REPO / ".test-artifacts" / "screenshots")


def _set_viewport(driver, width, height):
    """Sizes the window so that the page's viewport (what a screenshot shows) is width x height."""
    driver.set_window_size(width, height)
    inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if inner != [width, height]:
        driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])


def screenshot(driver, name):
    """Saves the current page as <name>-phone.png (360 wide) and <name>-desktop.png (1280 wide), each
    as tall as the page (at most 4000 px), and returns their paths; the window's size is restored."""
    folder = screenshots_folder()
    folder.mkdir(parents=True, exist_ok=True)
    previous = driver.get_window_size()
    paths = []
    try:
        for label, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
            _set_viewport(driver, width, height)
            page_height = driver.execute_script(
                "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")
            if page_height > height:
                _set_viewport(driver, width, min(page_height, MAX_SHOT_HEIGHT))
            path = folder / f"{name}-{label}.png"
            if not driver.save_screenshot(str(path)):
                raise AssertionError(f"could not save the screenshot {path}")
            paths.append(path)
    finally:
        driver.set_window_size(previous["width"], previous["height"])
    return paths


def fill(driver, name, value):
    """Clears the form field whose name attribute is `name` and types `value` into it."""
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(value)
    return field


def submit(driver, button_text):
    """Clicks the button (or submit/button input) whose visible text (or value) is `button_text`."""
    candidates = driver.find_elements(By.CSS_SELECTOR, "button, input[type=submit], input[type=button]")
    labels = []
    for element in candidates:
        label = (element.text if element.tag_name == "button" else element.get_attribute("value") or "").strip()
        if label == button_text and element.is_displayed():
            element.click()
            return element
        labels.append(label)
    raise AssertionError(f"no button {button_text!r} on {driver.current_url}; buttons: {labels}")


def text(driver):
    """The page's visible text (the body's innerText)."""
    return driver.execute_script("return document.body ? document.body.innerText : ''")


def console_errors(driver, ignore=("favicon",)):
    """The browser console's errors (SEVERE entries, such as CSP violations) since the last call,
    without lines that mention any of `ignore`. Reading the log empties it."""
    # start_browser turns the console log on; a driver without it fails here rather than checking nothing.
    entries = driver.get_log("browser")
    return [entry for entry in entries if entry.get("level") == "SEVERE"
            and not any(word in entry.get("message", "").lower() for word in ignore)]


def set_width(driver, width, height=800):
    """Sizes the viewport to `width` x `height` (e.g. a phone's 360 x 800)."""
    _set_viewport(driver, width, height)


def horizontal_overflow(driver):
    """How many CSS pixels the page is wider than its viewport (0 when there is no horizontal scroll)."""
    return driver.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)")
