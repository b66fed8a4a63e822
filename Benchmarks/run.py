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
  portal   the customer portal's ticket list (a customer with 1,000 tickets, signed in, page 1 of 50)
           served by the real portal over HTTP/1.1 on 127.0.0.1, measured with wrk (2 threads, 32
           connections, 10 s, 3 runs alternating with the baseline); baseline: the portal's stylesheet
           from the same server (a static response: the server's ceiling). Requests/s and p99 latency
           (medians of the runs); needs wrk (scripts/install-deps --test installs it)

  portal-under-ingest  the ticket list's p99 with wrk while 2,000 generated mails are taken in from a
           Maildir by the real daemon, against the same with nothing taken in: both, and whether within
           3x (Benchmarks/portal_under_ingest.py; no mail stack needed)

  link-timing  POST /portal/link for a known and an unknown address, 200 each, interleaved, against
           the real daemon: both medians and whether they are within 5% (Benchmarks/link_timing.py)

Needs the release binaries (scripts/bench builds them) and the mail stack's variables in the
environment (eval "$(scripts/mailstack env)"); `portal` needs neither the mail stack nor its variables.

With --previous DIR (a folder holding an earlier release build's `postdesk` and `postdesk-bench`;
`BENCH_PREVIOUS=REF make bench` builds one from a git ref), parse and ingest also run that build on
the same mails and print the change: parse must stay at its target, ingest within 5%.
"""
import argparse
import os
import re
import shutil
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / ".build" / "release"
WORK = REPO / ".bench"
TARGETS = {"ingest": 1000.0, "parse": 200.0, "ingest_regression": 0.05, "idle_mb": 60.0, "big_mail_mb": 150.0, "outbound": 300.0,
           "portal_ratio": 0.5, "portal_p99_ms": 10.0}
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


def bench_ingest(mails, runs, binary=RELEASE / "postdesk", label="ingest"):
    user = os.environ["POSTDESK_TEST_SUPPORT_USER"]
    files = sorted(mails.iterdir())
    rates = []
    for index in range(runs):
        mailstack("clear", user)
        mailstack("append", user, "INBOX", *files)
        folder = WORK / f"{label}-{index}"
        shutil.rmtree(folder, ignore_errors=True)
        config = write_config(folder)
        out = run(binary, "run", "--once", "--config", config, timeout=600).stdout
        match = re.search(r"fetched (\d+), acknowledged (\d+).* in ([\d.]+) s", out)
        if not match or int(match.group(1)) != len(files):
            sys.exit(f"ingest run {index}: unexpected output: {out!r}")
        rate = int(match.group(1)) / float(match.group(3))
        rates.append(rate)
        print(f"  run {index + 1}: {len(files)} mails in {float(match.group(3)):.3f} s = {rate:.0f} mails/s")
    mailstack("clear", user)
    median = statistics.median(rates)
    if label != "ingest":
        print(f"{label}: median {median:.0f} mails/s over {runs} runs")
        return median
    print(f"ingest: median {median:.0f} mails/s over {runs} runs (target >= {TARGETS['ingest']:.0f}): "
          + verdict("ingest", median, TARGETS["ingest"]))
    return median


def compare_previous(name, now, before, allowed):
    """Prints the change against the previous build's figure; a drop beyond `allowed` is a miss."""
    change = now / before - 1
    ok = change >= -allowed
    if not ok:
        misses.append(f"{name} against the previous build")
    print(f"{name}: {now:.1f} now vs {before:.1f} in the previous build ({change:+.1%}, allowed -{allowed:.0%}): "
          + ("ok" if ok else "REGRESSED"))


def parse_rate(bench, mails, repeat):
    out = run(bench, "parse", mails, "--repeat", repeat).stdout.strip()
    return float(re.search(r"mb_per_s=([\d.]+)", out).group(1)), out


def bench_parse(mails, repeat, previous=None):
    our_rate, ours = parse_rate(RELEASE / "postdesk-bench", mails, repeat)
    python = run(sys.executable, REPO / "Benchmarks" / "python-email-baseline.py", mails, "--repeat", repeat).stdout.strip()
    print("  " + ours)
    print("  " + python)
    base_rate = float(re.search(r"mb_per_s=([\d.]+)", python).group(1))
    print(f"parse: {our_rate:.1f} MB/s, {our_rate / base_rate:.1f}x Python email's {base_rate:.1f} MB/s "
          f"(target >= {TARGETS['parse']:.0f} MB/s): " + verdict("parse", our_rate, TARGETS["parse"]))
    if previous:
        before, _ = parse_rate(previous / "postdesk-bench", mails, repeat)
        print(f"parse: {our_rate:.1f} MB/s now vs {before:.1f} MB/s in the previous build ({our_rate / before - 1:+.1%})")


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


WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def cpu_seconds(pid):
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url, cookie, seconds, server_pid, connections=32, threads=2):
    """One wrk run: (requests/s, p99 latency in ms, server CPU ms per request, a note on socket errors)."""
    cpu = cpu_seconds(server_pid)
    out = run("wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}",
              url, timeout=seconds + 60).stdout
    cpu = cpu_seconds(server_pid) - cpu
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)
    count = re.search(r"(\d+) requests in", out)
    if not rate or not p99 or not count:
        sys.exit(f"portal: cannot read wrk's output for {url}:\n{out}")
    wrong = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if wrong:
        sys.exit(f"portal: {wrong.group(1)} responses from {url} were not 200: not the page meant to be measured\n{out}")
    errors = re.search(r"Socket errors: (.*)", out)
    return (float(rate.group(1)), float(p99.group(1)) * WRK_UNITS[p99.group(2)],
            cpu * 1000 / max(1, int(count.group(1))), f"; socket errors: {errors.group(1)}" if errors else "")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path, cookie):
    """(status, body) of one GET, without following redirects."""
    import http.client
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def bench_portal(runs, seconds=10, warmup=2):
    """The ticket list of a customer with 1,000 tickets against the stylesheet from the same server."""
    if not shutil.which("wrk"):
        sys.exit("portal: wrk is not installed (scripts/install-deps --test installs it)")
    build = subprocess.run(["swift", "build", "-c", "release", "--product", "postdesk-bench"], cwd=REPO,
                           capture_output=True, text=True, timeout=3600)
    if build.returncode != 0:
        sys.exit("portal: swift build -c release --product postdesk-bench failed:\n"
                 + "\n".join((build.stdout + build.stderr).splitlines()[-30:]))
    folder = WORK / "portal"
    shutil.rmtree(folder, ignore_errors=True)
    port = free_port()
    WORK.mkdir(parents=True, exist_ok=True)
    log = WORK / "portal-server.log"
    with log.open("w") as errors:
        server = subprocess.Popen([RELEASE / "postdesk-bench", "portal", str(port), folder],
                                  stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        import select
        line = ""
        if select.select([server.stdout], [], [], 120)[0]:
            line = server.stdout.readline()
        ready = re.match(r"ready port=(\d+) cookie=(\S+) stylesheet=(\S+) tickets=(\d+) seed_seconds=([\d.]+)", line)
        if not ready or not ready.group(3).startswith("/portal/static/"):
            sys.exit(f"portal: the server did not start within 120 s: {line!r}; its log: {log.read_text()!r}")
        # A returning browser sends its CSRF cookie back; without one every page would set a new one.
        cookie = f"{ready.group(2)}; pd_csrf={secrets.token_urlsafe(32)}"
        stylesheet = ready.group(3)
        print(f"  seeded 1 customer with {ready.group(4)} tickets in {float(ready.group(5)):.2f} s; "
              f"serving on 127.0.0.1:{port}")
        status, page = fetch(port, "/portal/tickets", cookie)
        rows = page.count('<li class="ticket">')
        if status != 200 or rows != 20 or "1000 tickets" not in page:
            sys.exit(f"portal: /portal/tickets answered {status} with {rows} ticket rows "
                     f"({'with' if '1000 tickets' in page else 'without'} \"1000 tickets\"); expected 200, 20 rows")
        status, css = fetch(port, stylesheet, cookie)
        if status != 200 or "{" not in css:
            sys.exit(f"portal: {stylesheet} answered {status}")
        print(f"  checked: /portal/tickets 200, {len(page.encode())} bytes, 20 ticket rows, \"1000 tickets\"; "
              f"stylesheet {len(css.encode())} bytes")
        base = f"http://127.0.0.1:{port}"
        targets = {"list": base + "/portal/tickets", "stylesheet": base + stylesheet}
        for name, url in targets.items():
            wrk(url, cookie, warmup, server.pid)
        print(f"  warmed up: {warmup} s of each; measuring wrk -t2 -c32 -d{seconds}s --latency, {runs} runs alternating")
        figures = {name: [] for name in targets}
        for index in range(runs):
            for name, url in targets.items():
                rate, p99, cpu, note = wrk(url, cookie, seconds, server.pid)
                figures[name].append((rate, p99, cpu))
                print(f"  run {index + 1} {name:>10}: {rate:8.0f} requests/s, p99 {p99:7.2f} ms, "
                      f"server CPU {cpu:.3f} ms/request; load average {os.getloadavg()[0]:.2f}{note}")
        load = os.getloadavg()
        if server.poll() is not None:
            sys.exit(f"portal: the server exited during the run; its log: {log.read_text()!r}")
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
    def median(name, field):
        return statistics.median(figure[field] for figure in figures[name])
    list_rate, list_p99, list_cpu = (median("list", field) for field in range(3))
    css_rate, css_p99, css_cpu = (median("stylesheet", field) for field in range(3))
    ratio = list_rate / css_rate
    print(f"  stylesheet (baseline): median {css_rate:.0f} requests/s, p99 {css_p99:.2f} ms, "
          f"server CPU {css_cpu:.3f} ms/request")
    print(f"  ticket list: median server CPU {list_cpu:.3f} ms/request ({list_cpu / css_cpu:.1f}x the stylesheet's); "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs (wrk shares them)")
    print(f"portal: ticket list median {list_rate:.0f} requests/s = {ratio:.2f}x the stylesheet's {css_rate:.0f} "
          f"(target >= {TARGETS['portal_ratio']:.2f}x): " + verdict("portal list throughput", ratio, TARGETS["portal_ratio"]))
    print(f"portal: ticket list median p99 {list_p99:.2f} ms at 32 connections (target < {TARGETS['portal_p99_ms']:.0f} ms): "
          + verdict("portal list p99", list_p99, TARGETS["portal_p99_ms"], higher_is_better=False))
    return list_rate, list_p99


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000, help="mails to generate (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="ingest runs (median is reported)")
    parser.add_argument("--repeat", type=int, default=5, help="parse repetitions (median is reported)")
    parser.add_argument("--only", action="append", choices=["parse", "ingest", "memory", "outbound", "render", "portal", "portal-under-ingest",
                                 "link-timing"],
                        help="run only these benchmarks (repeatable; default: all)")
    parser.add_argument("--previous", type=Path, help="folder with an earlier release build to compare parse and ingest with")
    args = parser.parse_args()
    only = set(args.only or ["parse", "ingest", "memory", "outbound", "render", "portal", "portal-under-ingest",
                              "link-timing"])
    if only & {"parse", "ingest"}:
        mails = WORK / "mails"
        shutil.rmtree(mails, ignore_errors=True)
        print(run(sys.executable, REPO / "Benchmarks" / "generate-mails.py", mails, "--count", args.count).stdout.strip())
        if "parse" in only:
            bench_parse(mails, args.repeat, args.previous)
        if "ingest" in only:
            now = bench_ingest(mails, args.runs)
            if args.previous:
                before = bench_ingest(mails, args.runs, args.previous / "postdesk", "ingest-previous")
                compare_previous("ingest mails/s", now, before, TARGETS["ingest_regression"])
    if "memory" in only:
        bench_memory()
    if "outbound" in only:
        bench_outbound(args.count, args.runs)
    if "render" in only:
        bench_render(args.repeat)
    if "portal" in only:
        bench_portal(args.runs)
    if "portal-under-ingest" in only:
        from portal_under_ingest import bench_portal_under_ingest
        if not bench_portal_under_ingest(args.runs):
            misses.append("portal p99 under ingest")
    if "link-timing" in only:
        from link_timing import bench_link_timing
        if not bench_link_timing():
            misses.append("link request timing")
    if misses:
        print("targets missed: " + ", ".join(misses))
    else:
        print("all targets met")


if __name__ == "__main__":
    main()
