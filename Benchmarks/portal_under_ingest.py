"""portal-under-ingest: does the portal's ticket list stay quick while mail is being taken in?

Starts the real daemon (release build if there is one, else debug) with a Maildir source and the
portal, seeds one customer with 1,000 tickets through the Maildir, and signs that customer in (a
session row, as the sign-in link would make). Then, for each of --runs rounds:

  baseline  wrk -t2 -c32 --latency against /portal/tickets for W seconds, nothing being ingested;
  ingest    2,000 freshly generated mails (Benchmarks/generate-mails.py, another seed every round)
            are moved into the Maildir's new/ at once, and the same wrk run starts right away.

W is sized so that the window falls inside the ingest: a calibration drop of 2,000 mails, taken in
with no portal load, is timed first, and W is 80% of that (2 to 10 s); with wrk competing for the
CPUs the ingest only takes longer. Every round reports how many mails were committed during its
window and whether the ingest was still going when the window closed. Prints both p99s (medians
over the rounds) and their ratio, met when the list's p99 under ingest is within 3x of the baseline.
It needs no mail stack.
"""
import hashlib
import http.client
import os
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from link_timing import binary
from run import fetch, free_port, wrk

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".bench" / "portal-under-ingest"
CUSTOMER = "bench-customer@example.net"
SEED_TICKETS = 1000
MAILS = 2000
TARGET_RATIO = 3.0


def database():
    return WORK / "data" / "postdesk.sqlite"


def scalar(sql, *args):
    with sqlite3.connect(f"file:{database()}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql, args).fetchone()[0]


def inbound_count():
    try:
        return scalar("SELECT COUNT(*) FROM inboundMail")
    except sqlite3.OperationalError:  # the schema is still being made
        return 0


def wait_until(condition, what, timeout=300, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, sqlite3.OperationalError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    sys.exit(f"portal-under-ingest: timed out waiting for {what}; daemon log: {tail}")


def seed_mails(folder):
    """The signed-in customer's 1,000 first mails, each opening a ticket."""
    for index in range(SEED_TICKETS):
        (folder / f"seed-{index:06}.eml").write_bytes((
            f"From: Bench Customer <{CUSTOMER}>\r\nTo: support@example.test\r\n"
            f"Subject: Order {200000 + index} is late\r\nMessage-ID: <pui-seed-{index}@example.net>\r\n"
            f"Date: Tue, 01 Oct 2024 10:00:00 +0000\r\n\r\nHello,\r\n\r\norder {200000 + index} is late.\r\n"
            f"Could you check?\r\n\r\nThanks\r\n").encode())


def start_daemon(port):
    shutil.rmtree(WORK, ignore_errors=True)
    maildir = WORK / "maildir"
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True)
    seed_mails(maildir / "new")
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
[log]
level = "warning"
[[maildir]]
name = "drop"
path = "maildir"
poll_interval = 1
""")
    log = WORK / "daemon.log"
    daemon = subprocess.Popen([str(binary()), "run", "--config", str(config)],
                              stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    return daemon, log


def sign_in():
    """A session for the seeded customer, stored as the portal stores one (SHA-256 of the cookie's id)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    stamp = lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    with sqlite3.connect(database(), timeout=30) as db:
        customer = db.execute("SELECT id FROM customer WHERE email = ?", (CUSTOMER,)).fetchone()[0]
        db.execute("INSERT INTO portalSession (tokenHash, customerId, ticketId, createdAt, expiresAt) "
                   "VALUES (?, ?, NULL, ?, ?)",
                   (hashlib.sha256(token.encode()).hexdigest(), customer, stamp(now), stamp(now + timedelta(days=1))))
    return f"pd_session={token}; pd_csrf={secrets.token_urlsafe(32)}"


def stage(name, seed):
    """2,000 generated mails, copied into the Maildir's tmp/ under names of their own, ready to drop."""
    generated = REPO / ".bench" / f"pui-mails-{name}"
    shutil.rmtree(generated, ignore_errors=True)
    subprocess.run([sys.executable, REPO / "Benchmarks" / "generate-mails.py", generated, "--count", str(MAILS),
                    "--seed", str(seed)], check=True, capture_output=True, text=True)
    files = sorted(generated.iterdir())
    staged = []
    for file in files:
        target = WORK / "maildir" / "tmp" / f"{name}-{file.name}"
        shutil.copyfile(file, target)
        staged.append(target)
    return staged


def drop(staged):
    """Moves staged mails into new/ (a rename each, as Maildir delivery does) and returns when it did."""
    for path in staged:
        os.rename(path, WORK / "maildir" / "new" / path.name)
    return time.monotonic()


class Sampler(threading.Thread):
    """Counts the committed inbound mails every 50 ms: (monotonic time, count) pairs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []
        self.running = True

    def run(self):
        while self.running:
            self.samples.append((time.monotonic(), inbound_count()))
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.join()
        return self.samples


def count_at(samples, moment):
    before = [count for at, count in samples if at <= moment]
    return before[-1] if before else samples[0][1]


def bench_portal_under_ingest(runs=3):
    if not shutil.which("wrk"):
        sys.exit("portal-under-ingest: wrk is not installed (scripts/install-deps --test installs it)")
    port = free_port()
    daemon, log = start_daemon(port)
    try:
        wait_until(lambda: scalar("SELECT COUNT(*) FROM ticket") == SEED_TICKETS
                   and not any((WORK / "maildir" / "new").iterdir()), "the seed tickets", log=log)
        cookie = sign_in()
        url = f"http://127.0.0.1:{port}/portal/tickets"
        wait_until(lambda: fetch(port, "/portal/tickets", cookie)[0] == 200, "the portal", log=log)
        status, page = fetch(port, "/portal/tickets", cookie)
        rows = page.count('<li class="ticket">')
        if status != 200 or rows != 20 or f"{SEED_TICKETS} tickets" not in page:
            sys.exit(f"portal-under-ingest: /portal/tickets answered {status} with {rows} rows; expected 200, 20 rows")
        print(f"  {binary().parent.name} build; seeded {CUSTOMER} with {SEED_TICKETS} tickets; "
              f"/portal/tickets 200, 20 rows")

        # Calibration: how long 2,000 mails take with no portal load.
        staged = stage("calibration", 1)
        before = inbound_count()
        started = drop(staged)
        wait_until(lambda: inbound_count() >= before + MAILS, "the calibration mails", log=log)
        calibration = time.monotonic() - started
        window = max(2, min(10, int(calibration * 0.8)))
        print(f"  calibration: {MAILS} mails taken in in {calibration:.2f} s ({MAILS / calibration:.0f} mails/s) "
              f"with no portal load; wrk window {window} s")
        wrk(url, cookie, 2, daemon.pid)  # warm-up

        figures = []
        for index in range(runs):
            staged = stage(f"r{index + 1}", 100 + index)
            base_rate, base_p99, base_cpu, base_note = wrk(url, cookie, window, daemon.pid)
            sampler = Sampler()
            sampler.start()
            before = inbound_count()
            dropped = drop(staged)
            rate, p99, cpu, note = wrk(url, cookie, window, daemon.pid)
            ended = time.monotonic()
            wait_until(lambda: inbound_count() >= before + MAILS, f"round {index + 1}'s mails", log=log)
            samples = sampler.stop()
            finished = next((at for at, count in samples if count >= before + MAILS), time.monotonic())
            during = count_at(samples, ended) - count_at(samples, dropped)
            covered = min(1.0, (finished - dropped) / (ended - dropped))
            figures.append((base_rate, base_p99, rate, p99, during, covered))
            print(f"  round {index + 1}: baseline {base_rate:7.0f} requests/s, p99 {base_p99:7.2f} ms{base_note}; "
                  f"under ingest {rate:7.0f} requests/s, p99 {p99:7.2f} ms{note}")
            print(f"           daemon CPU per request (ingest included): {base_cpu:.3f} ms without, {cpu:.3f} ms with")
            print(f"           {during} of {MAILS} mails committed during the {window} s window; the ingest took "
                  f"{finished - dropped:.2f} s ({'the whole window' if covered >= 1 else f'{covered:.0%} of the window'})"
                  f"; load average {os.getloadavg()[0]:.2f}")
        if daemon.poll() is not None:
            sys.exit(f"portal-under-ingest: the daemon exited; log: {log.read_text()[-2000:]}")
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
    base_p99 = statistics.median(f[1] for f in figures)
    ingest_p99 = statistics.median(f[3] for f in figures)
    ratio = ingest_p99 / base_p99
    covered = min(f[5] for f in figures)
    met = ratio <= TARGET_RATIO
    print(f"portal-under-ingest: ticket list p99 {ingest_p99:.2f} ms while {MAILS} mails are ingested, "
          f"{base_p99:.2f} ms without (medians of {runs} rounds, wrk -t2 -c32 -d{window}s): {ratio:.2f}x, "
          f"target <= {TARGET_RATIO:.0f}x: {'met' if met else 'NOT MET'}"
          + ("" if covered >= 1 else f" (note: in one round the ingest covered only {covered:.0%} of the window)"))
    return met


if __name__ == "__main__":
    sys.exit(0 if bench_portal_under_ingest() else 1)
