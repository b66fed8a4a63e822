#!/usr/bin/env python3
"""Postdesk's benchmarks, each printed with its target and, where one exists, a baseline measured in
the same run on the same input.

  ingest   N generated mails appended to the mail stack's inbox, then `postdesk run --once`:
           mails/s from the first fetch to the last acknowledgement (median of --runs)
  parse    MIME parsing MB/s over the same files; baseline: Python's email package (policy.default)
  memory   resident memory of the idle daemon, and peak memory while ingesting one 25 MB mail

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
TARGETS = {"ingest": 1000.0, "parse": 100.0, "idle_mb": 60.0, "big_mail_mb": 150.0}
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="mails to generate (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="ingest runs (median is reported)")
    parser.add_argument("--repeat", type=int, default=5, help="parse repetitions (median is reported)")
    args = parser.parse_args()
    mails = WORK / "mails"
    shutil.rmtree(mails, ignore_errors=True)
    print(run(sys.executable, REPO / "Benchmarks" / "generate-mails.py", mails, "--count", args.count).stdout.strip())
    bench_parse(mails, args.repeat)
    bench_ingest(mails, args.runs)
    bench_memory()
    if misses:
        print("targets missed: " + ", ".join(misses))
    else:
        print("all targets met")


if __name__ == "__main__":
    main()
