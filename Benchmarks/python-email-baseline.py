#!/usr/bin/env python3
"""Baseline MIME parsing speed with Python's email package.

Usage: Benchmarks/python-email-baseline.py DIR_OR_FILES... [--repeat R]

Reads every file (directories: all regular files inside, non-recursive, sorted)
into memory, then parses each one with
email.parser.BytesParser(policy=email.policy.default), walks the whole MIME tree
and decodes every leaf part (get_content() for text parts, get_payload(decode=True)
for the rest). Only parsing is timed. The run is repeated R times (default 3)
and the median is printed as one line:

  python-email: files=N bytes=B median_seconds=S mb_per_s=X [errors=K]

MB = 10^6 bytes. A file that fails to parse is counted in errors=K and skipped.
"""

import argparse
import email.parser
import email.policy
import os
import statistics
import sys
import time


def collect(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                full = os.path.join(p, name)
                if os.path.isfile(full) and not name.startswith("."):
                    files.append(full)
        elif os.path.isfile(p):
            files.append(p)
        else:
            sys.exit(f"python-email-baseline: no such file or directory: {p}")
    return files


def parse_all(blobs, parser):
    """Fully parse and decode every message; returns the number of failures."""
    errors = 0
    for data in blobs:
        try:
            msg = parser.parsebytes(data)
            for part in msg.walk():
                if part.is_multipart():
                    continue
                if part.get_content_maintype() == "text":
                    part.get_content()
                else:
                    part.get_payload(decode=True)
        except Exception:
            errors += 1
    return errors


def main():
    ap = argparse.ArgumentParser(description="Time a full MIME parse with Python's email package.")
    ap.add_argument("paths", nargs="+", metavar="DIR_OR_FILE")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    files = collect(args.paths)
    blobs = []
    for f in files:
        with open(f, "rb") as fh:
            blobs.append(fh.read())
    total = sum(len(b) for b in blobs)

    parser = email.parser.BytesParser(policy=email.policy.default)
    times = []
    errors = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        errors = parse_all(blobs, parser)
        times.append(time.perf_counter() - start)

    median = statistics.median(times)
    rate = (total / 1e6) / median if median > 0 else 0.0
    line = f"python-email: files={len(blobs)} bytes={total} median_seconds={median:.3f} mb_per_s={rate:.2f}"
    if errors:
        line += f" errors={errors}"
    print(line)


if __name__ == "__main__":
    main()
