#!/usr/bin/env python3
"""The coordinator's workspace in a real browser (ctest browser.workspace).

Debian's chromium, driven by chromedriver through python3-selenium
(scripts/deps.sh installs them), against the real daemon on a small generated
partnership and a test clock (Monday 12 January 2026, 09:00):
  - the workspace loads with its four panels and no console errors, and fits
    1280x800 and a tablet (820x1180) without sideways scrolling;
  - a visit pinned from the rota board shows pinned in the API;
  - an offer accepted from the discharge board shows accepted in the API;
  - Tuesday planned as a draft and published from the board: a worker on it
    opens the page with their own token and sees what changed.
Screenshots go to BUILD/screenshots/. Exits 77 (ctest: skipped) when the
browser, its driver or selenium is missing; 1 on a failure.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SKIP = 77
BUILD = os.environ.get("HW_BUILD_DIR") or os.path.join(os.path.dirname(__file__), "..", "..", "build")
HOMEWARD = os.path.join(BUILD, "homeward")


def need_browser():
    try:
        import selenium  # noqa: F401
    except ImportError:
        print("skipped: python3-selenium is not installed (sh scripts/deps.sh)")
        sys.exit(SKIP)
    for exe in ("chromium", "chromedriver"):
        if not shutil.which(exe):
            print(f"skipped: {exe} is not installed (sh scripts/deps.sh)")
            sys.exit(SKIP)


def homeward(*args):
    return subprocess.run([HOMEWARD, *args], check=True, capture_output=True, text=True).stdout


def token(db, *args):
    return homeward("token", "create", "--db", db, *args).split()[0]


class Daemon:
    """build/homeward serve on a free loopback port, on a test clock."""

    def __init__(self, db, tmp):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.log = open(os.path.join(tmp, "serve.log"), "w")
        self.proc = subprocess.Popen([HOMEWARD, "serve", "--db", db, "--listen", f"127.0.0.1:{self.port}",
                                      "--test_clock", "2026-01-11T06:00", "--plan_time_limit_s", "10",
                                      "--plan_max_iterations", "3000", "--sync", "off", "--log_level", "warn"],
                                     stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(500):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("the daemon did not start")

    def call(self, method, path, tok, body=None, want=200):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method)
        req.add_header("Authorization", "Bearer " + tok)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, text = r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        if status != want:
            raise AssertionError(f"{method} {path}: {status} (wanted {want}): {text}")
        return json.loads(text) if text else None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()


def browser(user_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1280,800", f"--user-data-dir={user_dir}"):
        o.add_argument(a)
    o.binary_location = shutil.which("chromium")
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=o)


def wait_for(what, fn, timeout=20):
    end = time.time() + timeout
    while True:
        try:
            got = fn()
            if got:
                return got
        except Exception as e:  # an element not there yet, a stale one
            last = e
        else:
            last = None
        if time.time() > end:
            raise AssertionError(f"timed out waiting for {what}" + (f" ({last})" if last else ""))
        time.sleep(0.1)


def console_errors(d):
    return [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]


def fits(d, width, height, what):
    d.set_window_size(width, height)
    time.sleep(0.3)
    over = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert over <= 0, f"{what}: the page scrolls sideways by {over}px at {width}x{height}"


def shot(d, shots, name):
    d.save_screenshot(os.path.join(shots, name + ".png"))


def run(tmp, shots):
    from selenium.webdriver.common.by import By
    db = os.path.join(tmp, "browser.db")
    homeward("generate", "--seed", "3", "--scale", "small", "--start", "2026-01-12", "--db", db)
    admin = token(db, "--role", "admin", "--name", "admin")
    coord = token(db, "--role", "coordinator", "--locality", "1", "--name", "coordinator")
    ward = token(db, "--role", "discharge", "--locality", "1", "--name", "ward")
    hd = Daemon(db, tmp)
    d = None
    try:
        hd.call("POST", "/v1/admin/clock", admin, {"now": "2026-01-12T09:00"})
        req = hd.call("POST", "/v1/discharges", ward, {
            "client_id": 9, "hospital": "University Hospital Monklands", "ward": "7", "ready_at": "2026-01-12T09:00",
            "care_plan": {"visits": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                      "window": {"start": "17:00", "end": "19:30"}, "duration": 30}]}}, want=201)
        assert req["status"] == "offered", req
        d = browser(os.path.join(tmp, "chrome"))
        base = f"http://127.0.0.1:{hd.port}/"
        d.get(base + f"#token={coord}&locality=1")
        wait_for("the rota board", lambda: d.find_elements(By.CSS_SELECTOR, "#board .visit"))
        wait_for("the discharge board", lambda: d.find_elements(By.CSS_SELECTOR, f'tr[data-discharge="{req["id"]}"]'))
        for tid in ("rota-board", "discharge-board", "waiting-list", "outcomes-charts"):
            assert d.find_element(By.CSS_SELECTOR, f'[data-testid="{tid}"]').is_displayed(), tid
        wait_for("the outcome charts", lambda: d.find_elements(By.CSS_SELECTOR, "#chart-beds svg"))
        assert "token=" not in d.current_url, "the token stays in the address bar"
        shot(d, shots, "workspace-1280x800")
        fits(d, 1280, 800, "workspace")
        fits(d, 820, 1180, "workspace on a tablet")
        shot(d, shots, "workspace-tablet")
        d.set_window_size(1280, 800)

        # Pin a visit from the board (keyboard: focus it, Enter, then the Pin button).
        from selenium.webdriver.common.keys import Keys
        block = d.find_element(By.CSS_SELECTOR, "#board .visit:not(.pinned)")
        visit = int(block.get_attribute("data-visit"))
        block.send_keys(Keys.ENTER)
        pin = wait_for("the pin button", lambda: d.find_element(By.ID, "sel-pin") if d.find_element(By.ID, "sel-pin").is_enabled() else None)
        pin.send_keys(Keys.ENTER)
        wait_for("the visit pinned in the API", lambda: hd.call("GET", f"/v1/visits/{visit}", coord)["pinned"])
        wait_for("the board showing the pin", lambda: d.find_elements(By.CSS_SELECTOR, f'#board .visit.pinned[data-visit="{visit}"]'))

        # Accept the offer from the discharge board.
        d.find_element(By.CSS_SELECTOR, f'tr[data-discharge="{req["id"]}"] button[data-action="accept"]').click()
        wait_for("the offer accepted in the API", lambda: hd.call("GET", f"/v1/discharges/{req['id']}", coord)["status"] == "accepted")
        wait_for("the board showing it accepted", lambda: "accepted" in d.find_element(By.CSS_SELECTOR, f'tr[data-discharge="{req["id"]}"]').text)

        # Plan Tuesday as a draft and publish it from the board.
        date = d.find_element(By.ID, "date")
        d.execute_script("arguments[0].value = '2026-01-13'", date)
        d.find_element(By.ID, "load").click()
        wait_for("Tuesday on the board", lambda: "13 Jan" in d.find_element(By.ID, "rota-day").text)
        d.find_element(By.ID, "plan-draft").click()
        wait_for("the draft", lambda: d.find_element(By.ID, "draft-bar").is_displayed(), timeout=40)
        shot(d, shots, "workspace-draft")
        d.find_element(By.ID, "draft-publish").click()
        wait_for("the publish", lambda: "Published" in d.find_element(By.ID, "msg").text)
        errors = console_errors(d)
        assert not errors, f"console errors on the workspace: {errors}"

        # A worker on Tuesday's rosters sees what changed.
        roster = hd.call("GET", "/v1/rosters?date=2026-01-13&locality=1", coord)["rosters"][0]
        worker = roster["worker"]["id"]
        mine = token(db, "--role", "worker", "--worker", str(worker), "--name", f"worker-{worker}")
        d.get("about:blank")
        d.get(base + f"#token={mine}")
        wait_for("the worker's changes", lambda: d.find_elements(By.CSS_SELECTOR, "#my-changes li[data-note]"))
        text = d.find_element(By.ID, "my-changes").text
        assert "a visit added" in text, text
        assert d.find_element(By.CSS_SELECTOR, '[data-testid="my-roster"]').is_displayed()
        first = roster["visits"][0]["visit"]
        wait_for("the worker's visit", lambda: d.find_elements(By.CSS_SELECTOR, f'#my-days li[data-visit="{first}"]'))
        shot(d, shots, "worker-roster")
        errors = console_errors(d)
        assert not errors, f"console errors on the worker's page: {errors}"
    finally:
        if d is not None:
            d.quit()
        hd.stop()


def main():
    need_browser()
    shots = os.path.join(BUILD, "screenshots")
    os.makedirs(shots, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="hw-browser-")
    started = time.time()
    try:
        run(tmp, shots)
    except AssertionError as e:
        print(f"FAILED: {e} (daemon log: {tmp}/serve.log)")
        return 1
    print(f"workspace checked in a real browser in {time.time() - started:.1f} s; screenshots in {shots}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
