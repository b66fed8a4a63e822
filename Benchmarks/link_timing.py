"""link-timing: does `POST /portal/link` take the same time for a known and an unknown address?

Starts the real daemon (release build if there is one, else debug) on a Maildir source with one
known customer, then sends 200 link requests for the known address and 200 for an unknown one,
interleaved, over one kept-alive connection (a fresh CSRF cookie and token every 20 requests), with
the rate limits raised so that none is refused. Prints both medians and whether they are within 5%
of each other. A check, not a timed test: it needs no mail stack.
"""
import http.client
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".bench" / "link-timing"
KNOWN = "known@example.test"
UNKNOWN = "nobody@example.test"


def binary():
    for build in ("release", "debug"):
        path = REPO / ".build" / build / "postdesk"
        if path.exists():
            return path
    sys.exit("link-timing: no postdesk binary; run swift build first")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_daemon(port):
    shutil.rmtree(WORK, ignore_errors=True)
    for sub in ("tmp", "new", "cur"):
        (WORK / "maildir" / sub).mkdir(parents=True)
    (WORK / "maildir" / "new" / "1.known.eml").write_bytes(
        f"From: Known Customer <{KNOWN}>\r\nTo: support@example.test\r\nSubject: A ticket to be known by\r\n"
        f"Message-ID: <link-timing-1@example.test>\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\n\r\nHello.\r\n".encode())
    config = WORK / "postdesk.toml"
    config.write_text(f"""
[storage]
data_dir = "data"
[helpdesk]
support_address = "support@example.test"
portal_url = "http://127.0.0.1:{port}"
templates = "{REPO / 'mail-templates'}"
[portal]
listen = "127.0.0.1:{port}"
link_requests_per_address = 1000
link_requests_per_client = 100000
[log]
level = "warning"
[[maildir]]
name = "drop"
path = "maildir"
poll_interval = 1
""")
    log = open(WORK / "daemon.log", "wb")
    return subprocess.Popen([str(binary()), "run", "--config", str(config)], stdout=log, stderr=subprocess.STDOUT)


def wait_until(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    sys.exit(f"link-timing: timed out waiting for {what}; log: {(WORK / 'daemon.log').read_text()[-2000:]}")


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""
        self.csrf = ""

    def fresh_form(self):
        """A new CSRF cookie and the form token that goes with it."""
        self.connection.request("GET", "/portal")
        response = self.connection.getresponse()
        page = response.read().decode()
        cookie = SimpleCookie(response.headers.get("Set-Cookie", ""))
        self.cookie = f"pd_csrf={cookie['pd_csrf'].value}"
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def ask(self, email):
        """Seconds one link request took, from sending it to the end of the answer."""
        body = urlencode({"csrf": self.csrf, "email": email})
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        start = time.perf_counter()
        self.connection.request("POST", "/portal/link", body=body, headers=headers)
        response = self.connection.getresponse()
        page = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200 or b"Check your email" not in page:
            sys.exit(f"link-timing: {email} was answered {response.status}, not the usual page")
        return elapsed


def outbox_links(folder, recipient=KNOWN):
    import sqlite3
    with sqlite3.connect(f"file:{folder / 'data' / 'postdesk.sqlite'}?mode=ro", uri=True, timeout=10) as db:
        return db.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'magic-link' AND recipient = ?",
                          (recipient,)).fetchone()[0]


def bench_link_timing(requests=200, warmup=20, tolerance=0.05):
    port = free_port()
    daemon = start_daemon(port)
    try:
        wait_until(lambda: Client(port).fresh_form() or True, "the portal")
        client = Client(port)
        import sqlite3
        database = WORK / "data" / "postdesk.sqlite"

        def known_customer():
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
                return db.execute("SELECT COUNT(*) FROM customer WHERE email = ?", (KNOWN,)).fetchone()[0] == 1

        wait_until(known_customer, "the known customer's mail to be taken in")
        client.fresh_form()
        for index in range(warmup):
            client.ask(KNOWN if index % 2 else UNKNOWN)
        times = {KNOWN: [], UNKNOWN: []}
        for index in range(2 * requests):
            if index % 20 == 0:
                client.fresh_form()
            email = KNOWN if index % 2 == 0 else UNKNOWN
            times[email].append(client.ask(email))
        # The known address's links were queued after the answers (the gate for automated mail lets
        # only the first few through: one address is asked for 210 times); wait until that settles.
        seen = []
        wait_until(lambda: seen.append(outbox_links(WORK)) or (len(seen) > 10 and seen[-1] == seen[-10] > 0),
                   "the known address's links in the outbox")
        if outbox_links(WORK, UNKNOWN):
            sys.exit("link-timing: a sign-in link was queued for the unknown address")
        print(f"  {seen[-1]} sign-in links queued for the known address, none for the unknown one "
              f"(the gate for automated mail caps repeats)")
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
    known, unknown = (statistics.median(times[email]) * 1000 for email in (KNOWN, UNKNOWN))
    gap = abs(known - unknown) / min(known, unknown)
    verdict = "within" if gap <= tolerance else "NOT within"
    print(f"link-timing: POST /portal/link median {known:.3f} ms for a known address, {unknown:.3f} ms for an "
          f"unknown one ({requests} each, interleaved; {binary().parent.name} build): {gap * 100:.1f}% apart, "
          f"{verdict} {tolerance * 100:.0f}%")
    return gap <= tolerance


if __name__ == "__main__":
    sys.exit(0 if bench_link_timing() else 1)
