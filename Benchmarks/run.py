#!/usr/bin/env python3
"""Postdesk's benchmarks, each printed with its target and, where one exists, a baseline measured in
the same run on the same input.

  ingest   N generated mails appended to the mail stack's inbox, then `postdesk run --once`:
           mails/s from the first fetch to the last acknowledgement (median of --runs)
  parse    MIME parsing MB/s over the same files; baseline: Python's email package (policy.default)
  memory   resident memory of the idle daemon, and peak memory while ingesting one 25 MB mail
  outbound N confirmations queued in a fresh database (N new-ticket mails taken in by `run --once`
           from a Maildir, without [outbound]), then `run --once` with [outbound] pointing at the mail
           stack's Postfix (STARTTLS, SMTP AUTH): mails/s sent over one reused connection (median of --runs)
  render   template rendering per second, when postdesk-bench has a `render` mode

Needs the release binaries (scripts/bench builds them) and the mail stack's variables in the
environment (eval "$(scripts/mailstack env)").
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / ".build" / "release"
WORK = REPO / ".bench"
TARGETS = {"ingest": 1000.0, "parse": 100.0, "idle_mb": 60.0, "big_mail_mb": 150.0, "outbound": 300.0}
misses = []


def run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kwargs)


def mailstack(*args):
    return run(REPO / "scripts" / "mailstack", *args)


def verdict(name, value, target, higher_is_better=True):
    ok = value >= target if higher_is_better else value <= target
    if not ok:
        misses.append(name)
    return "meets target" if ok else "MISSES TARGET"


def write_config(folder, batch_size=100):
    env = os.environ
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "postdesk.toml"
    config.write_text(f"""
[storage]
data_dir = "data"
[helpdesk]
support_address = "{env['POSTDESK_TEST_SUPPORT_USER']}"
[log]
level = "warning"
[[imap]]
url = "{env['POSTDESK_TEST_IMAP_URL']}"
user = "{env['POSTDESK_TEST_SUPPORT_USER']}"
password_env = "POSTDESK_TEST_SUPPORT_PASS"
ca_file = "{env['POSTDESK_TEST_CA_FILE']}"
poll_interval = 1
batch_size = {batch_size}
""")
    return config


def bench_ingest(mails, runs):
    user = os.environ["POSTDESK_TEST_SUPPORT_USER"]
    files = sorted(mails.iterdir())
    rates = []
    for index in range(runs):
        mailstack("clear", user)
        mailstack("append", user, "INBOX", *files)
        folder = WORK / f"ingest-{index}"
        shutil.rmtree(folder, ignore_errors=True)
        config = write_config(folder)
        out = run(RELEASE / "postdesk", "run", "--once", "--config", config, timeout=600).stdout
        match = re.search(r"fetched (\d+), acknowledged (\d+).* in ([\d.]+) s", out)
        if not match or int(match.group(1)) != len(files):
            sys.exit(f"ingest run {index}: unexpected output: {out!r}")
        rate = int(match.group(1)) / float(match.group(3))
        rates.append(rate)
        print(f"  run {index + 1}: {len(files)} mails in {float(match.group(3)):.3f} s = {rate:.0f} mails/s")
    mailstack("clear", user)
    median = statistics.median(rates)
    print(f"ingest: median {median:.0f} mails/s over {runs} runs (target >= {TARGETS['ingest']:.0f}): "
          + verdict("ingest", median, TARGETS["ingest"]))
    return median


def bench_parse(mails, repeat):
    ours = run(RELEASE / "postdesk-bench", "parse", mails, "--repeat", repeat).stdout.strip()
    python = run(sys.executable, REPO / "Benchmarks" / "python-email-baseline.py", mails, "--repeat", repeat).stdout.strip()
    print("  " + ours)
    print("  " + python)
    our_rate = float(re.search(r"mb_per_s=([\d.]+)", ours).group(1))
    base_rate = float(re.search(r"mb_per_s=([\d.]+)", python).group(1))
    print(f"parse: {our_rate:.1f} MB/s, {our_rate / base_rate:.1f}x Python email's {base_rate:.1f} MB/s "
          f"(target >= {TARGETS['parse']:.0f} MB/s): " + verdict("parse", our_rate, TARGETS["parse"]))


def rss_mb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def big_mail(path, size=25 * 1000 * 1000):
    import base64
    import random
    payload = base64.encodebytes(random.Random(25).randbytes(size * 3 // 4 - 200_000))
    path.write_bytes(
        b"From: Big Sender <big@example.org>\r\nTo: support@example.test\r\nSubject: A 25 MB mail\r\n"
        b"Message-ID: <big-25mb@example.org>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        b"The logs are attached.\r\n--b\r\nContent-Type: application/octet-stream; name=\"logs.tar\"\r\n"
        b"Content-Disposition: attachment; filename=\"logs.tar\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + payload.replace(b"\n", b"\r\n") + b"--b--\r\n")
    return path


def bench_memory():
    user = os.environ["POSTDESK_TEST_SUPPORT_USER"]
    mailstack("clear", user)
    folder = WORK / "memory"
    shutil.rmtree(folder, ignore_errors=True)
    config = write_config(folder, batch_size=50)
    daemon = subprocess.Popen([RELEASE / "postdesk", "run", "--config", config],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        idle = rss_mb(daemon.pid, "VmRSS")
        print(f"memory: idle daemon {idle:.1f} MB resident (target < {TARGETS['idle_mb']:.0f}): "
              + verdict("idle memory", idle, TARGETS["idle_mb"], higher_is_better=False))
        mail = big_mail(WORK / "big.eml")
        mailstack("append", user, "INBOX", mail)
        database = folder / "data" / "postdesk.sqlite"
        import sqlite3
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if database.exists():
                with sqlite3.connect(database, timeout=10) as db:
                    if db.execute("SELECT COUNT(*) FROM inboundMail").fetchone()[0] >= 1:
                        break
            time.sleep(0.2)
        else:
            sys.exit("the 25 MB mail was not ingested within 120 s")
        peak = rss_mb(daemon.pid, "VmHWM")
        print(f"memory: peak {peak:.1f} MB while ingesting a {mail.stat().st_size / 1e6:.1f} MB mail "
              f"(target < {TARGETS['big_mail_mb']:.0f}): " + verdict("big mail memory", peak, TARGETS["big_mail_mb"], False))
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        mailstack("clear", user)


def customer_mails(folder, count):
    """`count` first mails from distinct customers at example.org, each opening a ticket that calls for
    a confirmation (the mail stack accepts mail to example.org and discards it)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for index in range(count):
        (folder / f"{index:06}.eml").write_bytes((
            f"From: Customer {index} <customer{index}@example.org>\r\nTo: Support <support@example.test>\r\n"
            f"Subject: Order {100000 + index} has not arrived\r\nMessage-ID: <outbound-bench-{index}@example.org>\r\n"
            f"Date: Tue, 01 Oct 2024 10:00:00 +0000\r\n\r\nHello,\r\n\r\nmy order {100000 + index} was due last week.\r\n"
            f"Could you please check where it is?\r\n\r\nThanks,\r\nCustomer {index}\r\n").encode())
    return folder


def outbound_config(folder, maildir, send):
    """A configuration taking in `maildir`; with `send`, also an [outbound] table for the mail stack."""
    env = os.environ
    config = folder / ("send.toml" if send else "ingest.toml")
    text = f"""
[storage]
data_dir = "data"
[helpdesk]
support_address = "{env['POSTDESK_TEST_SUPPORT_USER']}"
templates = "{REPO / 'mail-templates'}"
[log]
level = "warning"
[[maildir]]
name = "bench"
path = "{maildir}"
batch_size = 500
"""
    if send:
        text += f"""
[outbound]
url = "{env['POSTDESK_TEST_SMTP_URL']}"
user = "{env['POSTDESK_TEST_SUPPORT_USER']}"
password_env = "POSTDESK_TEST_SUPPORT_PASS"
ca_file = "{env['POSTDESK_TEST_CA_FILE']}"
"""
    config.write_text(text)
    return config


def postfix_log():
    folder = os.environ.get("MAILSTACK_DIR") or os.environ.get("POSTDESK_TEST_MAILSTACK_DIR") or REPO / ".mailstack"
    return Path(folder) / "postfix" / "maillog"


def postfix_queue_empty(timeout=120):
    """Waits until Postfix has discarded what earlier runs handed it, so that runs start alike."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = subprocess.run([REPO / "scripts" / "mailstack", "status"], capture_output=True, text=True).stdout
        if re.search(r"queue 0\b", status):
            return
        time.sleep(0.5)
    print("  note: the Postfix queue did not drain before the run")


def smtp_sessions(log, offset):
    """(connections, mails per connection) of the Postfix log lines written after `offset`."""
    if not log.exists():
        return None
    with log.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode(errors="replace").splitlines()
    counts = [int(m.group(1)) for line in lines
              for m in [re.search(r"smtpd\[\d+\]: disconnect from .* mail=(\d+)", line)] if m]
    return counts


def bench_outbound(count, runs):
    import sqlite3
    mails = customer_mails(WORK / "outbound-mails", count)
    log = postfix_log()
    rates = []
    for index in range(runs):
        folder = WORK / f"outbound-{index}"
        shutil.rmtree(folder, ignore_errors=True)
        maildir = folder / "maildir"
        (maildir / "tmp").mkdir(parents=True)
        shutil.copytree(mails, maildir / "new")
        out = run(RELEASE / "postdesk", "run", "--once", "--config", outbound_config(folder, maildir, False),
                  timeout=600).stdout
        match = re.search(r"fetched (\d+)", out)
        if not match or int(match.group(1)) != count:
            sys.exit(f"outbound run {index}: ingest gave unexpected output: {out!r}")
        with sqlite3.connect(folder / "data" / "postdesk.sqlite") as db:
            queued = db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'queued'").fetchone()[0]
        if queued != count:
            sys.exit(f"outbound run {index}: {queued} mails queued, expected {count}")
        postfix_queue_empty()
        offset = log.stat().st_size if log.exists() else 0
        start = time.perf_counter()
        out = run(RELEASE / "postdesk", "run", "--once", "--config", outbound_config(folder, maildir, True),
                  timeout=1200).stdout
        wall = time.perf_counter() - start
        match = re.search(r"fetched (\d+).* in ([\d.]+) s.*; sent (\d+), to retry (\d+), dead (\d+)", out)
        if not match or int(match.group(3)) != count or match.group(4) != "0" or match.group(5) != "0":
            sys.exit(f"outbound run {index}: unexpected output: {out!r}")
        seconds = float(match.group(2))
        rate = count / seconds
        rates.append(rate)
        time.sleep(1)  # Postfix logs the session when it ends
        sessions = smtp_sessions(log, offset)
        if sessions is None:
            connections = "connections unknown (no Postfix log)"
        else:
            ours = [n for n in sessions if n > 1] or sessions
            connections = f"{len(sessions)} SMTP session(s) in the Postfix log, mails per session {ours}"
        print(f"  run {index + 1}: sent {count} in {seconds:.3f} s = {rate:.0f} mails/s "
              f"(whole command {wall:.3f} s = {count / wall:.0f} mails/s; {connections})")
    median = statistics.median(rates)
    print(f"outbound: median {median:.0f} mails/s over {runs} runs (target >= {TARGETS['outbound']:.0f}; "
          "time printed by run --once, which covers its whole drain: an empty Maildir poll and every outbox pass): "
          + verdict("outbound", median, TARGETS["outbound"]))
    return median


def bench_render(repeat):
    """Finished mails per second from the templates: Mustache rendering plus the message writer, the
    work the outbox worker does for each mail before it reaches the SMTP connection (median of 5)."""
    out = run(RELEASE / "postdesk-bench", "render", REPO / "mail-templates", 2000).stdout.strip()
    print("  " + out)
    rate = float(re.search(r"mails_per_s=([\d.]+)", out).group(1))
    print(f"render: {rate:.0f} finished mails/s from the templates")
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="mails to generate (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="ingest runs (median is reported)")
    parser.add_argument("--repeat", type=int, default=5, help="parse repetitions (median is reported)")
    parser.add_argument("--only", action="append", choices=["parse", "ingest", "memory", "outbound", "render"],
                        help="run only these benchmarks (repeatable; default: all)")
    args = parser.parse_args()
    only = set(args.only or ["parse", "ingest", "memory", "outbound", "render"])
    if only & {"parse", "ingest"}:
        mails = WORK / "mails"
        shutil.rmtree(mails, ignore_errors=True)
        print(run(sys.executable, REPO / "Benchmarks" / "generate-mails.py", mails, "--count", args.count).stdout.strip())
        if "parse" in only:
            bench_parse(mails, args.repeat)
        if "ingest" in only:
            bench_ingest(mails, args.runs)
    if "memory" in only:
        bench_memory()
    if "outbound" in only:
        bench_outbound(args.count, args.runs)
    if "render" in only:
        bench_render(args.repeat)
    if misses:
        print("targets missed: " + ", ".join(misses))
    else:
        print("all targets met")


if __name__ == "__main__":
    main()
