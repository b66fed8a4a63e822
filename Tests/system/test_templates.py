"""Admins editing mail templates while the daemon runs: a broken edit is refused and reported, the
last good templates stay in use and mail keeps flowing; a fixed edit is picked up."""
import shutil
import signal
import subprocess
import time
from pathlib import Path

from conftest import BINARY, REPO, free_port, wait_for

SAMPLE = (b"From: Ada <ada@example.org>\r\nTo: support@example.test\r\nSubject: Printer %d\r\n"
          b"Message-ID: <printer-%d@example.org>\r\n\r\nIt is on fire.\r\n")


def test_a_broken_template_edit_is_refused_and_mail_keeps_flowing(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "mail-templates", templates)
    (tmp_path / "maildir" / "new").mkdir(parents=True)
    config = tmp_path / "postdesk.toml"
    config.write_text(f"""
[storage]
data_dir = "data"
[helpdesk]
support_address = "support@example.test"
templates = "{templates}"
[[maildir]]
path = "maildir"
poll_interval = 1
[outbound]
folder = "sent"
[portal]
listen = "127.0.0.1:{free_port()}"
""")
    log = open(tmp_path / "daemon.log", "wb")
    daemon = subprocess.Popen([str(BINARY), "run", "--config", str(config)], stdout=log, stderr=subprocess.STDOUT)
    sent = tmp_path / "sent"
    try:
        def deliver(number):
            (tmp_path / "maildir" / "new" / f"{number}.eml").write_bytes(SAMPLE % (number, number))

        def mails():
            return sorted(sent.glob("*.eml")) if sent.exists() else []

        deliver(1)
        wait_for(lambda: len(mails()) == 1, what="the first confirmation")
        subject = templates / "confirmation" / "subject.mustache"
        subject.write_text("{{#ticket}}[{{ticket.ref}}] {{ticket.subject}}\n")  # an unclosed section
        wait_for(lambda: "template edit refused" in (tmp_path / "daemon.log").read_text(errors="replace"),
                 what="the refusal in the log")
        assert "confirmation/subject.mustache" in (tmp_path / "daemon.log").read_text(errors="replace")
        deliver(2)
        wait_for(lambda: len(mails()) == 2, what="a confirmation despite the broken edit")
        assert b"Subject: [TKT-" in mails()[-1].read_bytes(), "the last good template was used"
        subject.write_text("Received: [{{ticket.ref}}] {{ticket.subject}}\n")
        time.sleep(3)
        daemon.send_signal(signal.SIGHUP)
        wait_for(lambda: "mail templates reloaded" in (tmp_path / "daemon.log").read_text(errors="replace"),
                 what="the fixed templates reloaded")
        deliver(3)
        wait_for(lambda: len(mails()) == 3, what="a third confirmation")
        newest = max(mails(), key=lambda p: p.stat().st_mtime)
        assert b"Subject: Received: [TKT-" in newest.read_bytes(), "the fixed template is in use"
        assert daemon.poll() is None
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
    assert daemon.returncode == 0


def test_the_daemon_refuses_to_start_on_broken_templates(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "mail-templates", templates)
    (templates / "resolution" / "text.mustache").write_text("{{unknown_variable}}\n")
    config = tmp_path / "postdesk.toml"
    config.write_text(
        f'[helpdesk]\ntemplates = "{templates}"\n[[maildir]]\npath = "maildir"\n[outbound]\nfolder = "sent"\n'
        f'[portal]\nlisten = "127.0.0.1:{free_port()}"\n')
    result = subprocess.run([str(BINARY), "run", "--config", str(config)], capture_output=True, timeout=30)
    assert result.returncode != 0
    assert b"resolution/text.mustache" in result.stdout + result.stderr
    check = subprocess.run([str(BINARY), "templates", "check", "--folder", str(templates)], capture_output=True)
    assert check.returncode == 1 and b"unknown_variable" in check.stdout
