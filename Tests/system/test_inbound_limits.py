"""Mail that used to stop a mailbox or the daemon: a mail of 200 MB, a folder the server refuses,
an empty mail. Each time the daemon keeps running and later mail becomes tickets."""
import json

from conftest import wait_for

ATTACHMENT_LINE = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3\r\n"


def _big_mail(path, megabytes):
    """A mail with a short text and a base64 attachment of about `megabytes` MB, written in chunks."""
    with open(path, "wb") as out:
        out.write(b"From: Big Sender <big@example.org>\r\nTo: support@example.test\r\nSubject: Huge logs\r\n"
                  b"Message-ID: <huge-logs@example.org>\r\nDate: Tue, 01 Oct 2024 10:00:00 +0000\r\n"
                  b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                  b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe server logs are attached.\r\n"
                  b"--b1\r\nContent-Type: application/gzip; name=\"logs.tar.gz\"\r\n"
                  b"Content-Disposition: attachment; filename=\"logs.tar.gz\"\r\n"
                  b"Content-Transfer-Encoding: base64\r\n\r\n")
        chunk = ATTACHMENT_LINE * 12_800  # 1 MiB
        for _ in range(megabytes):
            out.write(chunk)
        out.write(b"--b1--\r\n")
    return path


def _small_mail(path, subject):
    path.write_bytes((f"From: Customer <customer@example.test>\r\nTo: support@example.test\r\nSubject: {subject}\r\n"
                      f"Message-ID: <{subject.replace(' ', '-')}@example.test>\r\n\r\nhello\r\n").encode())
    return path


def _peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _events(instance):
    events = []
    for line in instance.logs().splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass
    return events


def test_a_200_mb_mail_keeps_memory_bounded_and_becomes_a_ticket_with_a_note(daemon, mailbox, tmp_path):
    mailbox.append("INBOX", [_big_mail(tmp_path / "big.eml", 200), _small_mail(tmp_path / "after.eml", "after big")])
    instance = daemon().start()
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 2, timeout=120, what="two tickets")
    wait_for(lambda: mailbox.count("Processed") == 2, timeout=60, what="both mails moved")
    peak = _peak_rss_mb(instance.process.pid)
    print(f"peak RSS of the daemon: {peak:.1f} MB")
    assert peak < 150, f"peak RSS {peak:.1f} MB"
    text = instance.scalar("SELECT m.text FROM message m JOIN ticket t ON t.id = m.ticketId WHERE t.subject = 'Huge logs'")
    assert "The server logs are attached." in text
    assert "over the limit of 25 MB" in text
    assert '"logs.tar.gz" (application/gzip' in text
    assert instance.scalar("SELECT MAX(size) FROM inboundMail") < 1 << 20, "only the excerpt was stored"
    assert any("over the size limit" in str(event) for event in _events(instance))
    assert instance.alive()
    assert instance.stop() == 0


def test_a_processed_folder_the_server_refuses_does_not_stop_intake(daemon, mailbox, tmp_path):
    mailbox.append("INBOX", [_small_mail(tmp_path / f"m{index}.eml", f"refused {index}") for index in range(3)])
    instance = daemon()
    instance.config.write_text(instance.config.read_text().replace(
        'processed_folder = "Processed"', 'processed_folder = "Bad&Name"'))
    instance.start()
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 3, what="three tickets")
    wait_for(lambda: "left in the inbox until restart" in instance.logs(), timeout=30, what="the mails given up on")
    mailbox.swaks(sender="customer@example.test", subject="Later mail", body="still flowing")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 4, what="the later mail's ticket")
    refusals = [event for event in _events(instance) if "refus" in str(event.get("message", ""))]
    assert refusals, instance.logs()[-2000:]
    reasons = " ".join(str(event) for event in refusals)
    assert "mUTF-7" in reasons, "the server's own reason is logged"
    assert "Bad&Name" in reasons
    assert "poll failed" not in instance.logs()
    assert mailbox.count("INBOX") == 4, "the refused mails stay in the inbox, nothing is lost"
    assert instance.scalar("SELECT COUNT(*) FROM inboundMail") == 4, "and none is taken in twice"
    assert instance.stop() == 0


def test_an_empty_mail_goes_to_quarantine_with_its_reason(daemon, mailbox, tmp_path):
    empty = tmp_path / "empty.eml"
    empty.write_bytes(b"")
    mailbox.append("INBOX", [empty, _small_mail(tmp_path / "after.eml", "after empty")])
    instance = daemon().start()
    wait_for(lambda: mailbox.count("Quarantine") == 1, what="the empty mail in quarantine")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 1, what="the later mail's ticket")
    outcome, reason, size = instance.query("SELECT outcome, reason, size FROM inboundMail WHERE size = 0")[0]
    assert outcome == "quarantined" and reason and size == 0
    assert "empty mail in the inbox" in instance.logs()
    wait_for(lambda: mailbox.count("INBOX") == 0, what="an empty inbox")
    assert instance.stop() == 0
