"""The inbound path end to end: Postfix -> Dovecot -> postdesk (IMAP via libcurl) -> SQLite."""
import os
import random
import signal
import subprocess
import time

from conftest import BINARY, wait_for


def test_mail_through_postfix_becomes_a_ticket(daemon, mailbox):
    instance = daemon().start()
    mailbox.swaks(sender="customer@example.test", subject="Printer on fire", body="It is really burning.")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 1, what="a ticket")
    subject, email = instance.query(
        "SELECT t.subject, c.email FROM ticket t JOIN customer c ON c.id = t.customerId")[0]
    assert subject == "Printer on fire"
    assert email == "customer@example.test"
    assert "It is really burning." in instance.scalar("SELECT text FROM message")
    assert instance.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'confirmation'") == 1
    wait_for(lambda: mailbox.count("INBOX") == 0 and mailbox.count("Processed") == 1, what="the mail moved")


def test_reply_with_in_reply_to_lands_on_its_ticket(daemon, mailbox):
    instance = daemon().start()
    mailbox.swaks(sender="customer@example.test", subject="VPN down", body="first",
                  headers=["Message-ID: <first-vpn@example.test>"])
    mailbox.swaks(sender="other@example.test", subject="Unrelated", body="another ticket")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 2, what="two tickets")
    mailbox.swaks(sender="customer@example.test", subject="Re: VPN down", body="still down",
                  headers=["Message-ID: <second-vpn@example.test>", "In-Reply-To: <first-vpn@example.test>"])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM message") == 3, what="the reply")
    rows = instance.query(
        "SELECT t.subject, COUNT(m.id) FROM ticket t JOIN message m ON m.ticketId = t.id GROUP BY t.id ORDER BY t.id")
    assert rows == [("VPN down", 2), ("Unrelated", 1)]
    assert instance.scalar("SELECT outcome FROM inboundMail ORDER BY id DESC LIMIT 1") == "reply"


def test_the_same_mail_twice_gives_one_message(daemon, mailbox):
    instance = daemon().start()
    for _ in range(2):
        mailbox.swaks(sender="customer@example.test", subject="Twice", body="same mail",
                      headers=["Message-ID: <twice@example.test>"])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") == 2, what="both deliveries")
    assert instance.scalar("SELECT COUNT(*) FROM message") == 1
    assert instance.scalar("SELECT COUNT(*) FROM ticket") == 1
    assert sorted(r[0] for r in instance.query("SELECT outcome FROM inboundMail")) == ["duplicate", "ticket"]
    wait_for(lambda: mailbox.count("INBOX") == 0, what="both mails moved")


def test_garbage_goes_to_quarantine_and_later_mail_still_flows(daemon, mailbox, tmp_path):
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(random.Random(7).randrange(0, 32) for _ in range(4096)))
    mailbox.append("INBOX", [garbage])
    instance = daemon().start()
    mailbox.swaks(sender="customer@example.test", subject="After the garbage", body="hello")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 1, what="the later mail's ticket")
    wait_for(lambda: mailbox.count("Quarantine") == 1, what="garbage in quarantine")
    outcome, reason, raw = instance.query("SELECT outcome, reason, rawPath FROM inboundMail WHERE outcome = 'quarantined'")[0]
    assert reason
    assert (instance.folder / "data" / "files" / raw).read_bytes() == garbage.read_bytes()
    assert mailbox.count("INBOX") == 0


def _mails(folder, count):
    files = []
    for index in range(count):
        path = folder / f"mail{index:04}.eml"
        path.write_bytes((
            f"From: Customer {index} <c{index}@example.org>\r\n"
            f"To: support@example.test\r\nSubject: Batch mail {index}\r\n"
            f"Message-ID: <batch-{index}@example.org>\r\nDate: Tue, 01 Oct 2024 10:00:00 +0000\r\n\r\n"
            f"Body of mail {index}\r\n" + "filler line\r\n" * 40).encode())
        files.append(path)
    return files


def test_sigkill_in_the_middle_of_a_batch_loses_and_doubles_nothing(daemon, mailbox, tmp_path):
    mailbox.append("INBOX", _mails(tmp_path, 200))
    assert mailbox.count("INBOX") == 200
    instance = daemon(batch_size=25).start()
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") >= 30, what="some progress", interval=0.01)
    instance.stop(signal.SIGKILL)
    killed_at = instance.scalar("SELECT COUNT(*) FROM inboundMail")
    assert killed_at < 200, "the daemon finished before it could be killed: nothing was tested"
    instance.start()
    wait_for(lambda: mailbox.count("INBOX") == 0, timeout=90, what="an empty inbox")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") == 200, what="200 inbound records")
    ids = [row[0] for row in instance.query("SELECT messageId FROM message")]
    assert len(ids) == 200 and len(set(ids)) == 200, "every mail in exactly one message"
    assert instance.scalar("SELECT COUNT(*) FROM ticket") == 200
    assert mailbox.count("Processed") == 200
    assert instance.stop() == 0, "SIGTERM stops the daemon cleanly"


def test_daemon_recovers_from_a_dovecot_outage_without_restart(daemon, mailbox):
    instance = daemon().start()
    mailbox.swaks(sender="customer@example.test", subject="Before the outage", body="one")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 1, what="the first ticket")
    mailbox.mailstack("stop-dovecot")
    try:
        time.sleep(20)
        assert instance.alive(), "the daemon must survive the outage"
    finally:
        mailbox.mailstack("start-dovecot")
    mailbox.swaks(sender="customer@example.test", subject="After the outage", body="two")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 2, timeout=60, what="the second ticket")
    assert instance.alive()
    assert "poll failed, retrying" in instance.logs()
    assert instance.stop() == 0


def test_deliver_takes_one_mail_from_an_mta_pipe(tmp_path):
    config = tmp_path / "postdesk.toml"
    config.write_text('[storage]\ndata_dir = "data"\n[helpdesk]\nsupport_address = "support@example.test"\n')
    mail = b"From: ada@example.org\r\nTo: support@example.test\r\nSubject: Piped\r\nMessage-ID: <p@x>\r\n\r\nhi\r\n"
    first = subprocess.run([str(BINARY), "deliver", "--config", str(config)], input=mail, capture_output=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.decode().startswith("ticket TKT-")
    again = subprocess.run([str(BINARY), "deliver", "--config", str(config)], input=mail, capture_output=True)
    assert again.returncode == 0
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    config.write_text(f'[storage]\ndata_dir = "{blocked}/data"\n')
    failed = subprocess.run([str(BINARY), "deliver", "--config", str(config)], input=mail, capture_output=True)
    assert failed.returncode == 75, "a temporary failure tells the MTA to keep the mail"
