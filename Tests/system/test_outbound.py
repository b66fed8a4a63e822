"""The outbound path end to end: Postdesk's mail through the real Postfix into real Dovecot mailboxes.

Customers write through Postfix; Postdesk answers through Postfix (STARTTLS, SMTP AUTH); the tests read
what the customer and the agent received over IMAP, and what Postdesk recorded in its database.
"""
import email.utils
import re
import time
from email.message import EmailMessage

from conftest import AGENT, SUPPORT, _address, _answer_notice, _ids, _text, wait_for

CUSTOMER = "customer@example.test"
UNKNOWN = "unknown@example.test"  # Postfix takes mail from it, and refuses mail to it with 550


def _open_ticket(instance, mailbox, subject="Printer on fire", body="It is really burning.\n\nCarol",
                 message_id="<printer-1@example.test>", sender=CUSTOMER):
    """A customer's first mail through Postfix; returns the ticket's reference once it exists."""
    mailbox.swaks(sender=sender, subject=subject, body=body, headers=[f"Message-ID: {message_id}"])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 1, timeout=60, what="the ticket")
    return instance.scalar("SELECT ref FROM ticket")


def _confirmation(instance, mailbox, **kwargs):
    """A ticket opened by the customer, and the confirmation as the customer's mailbox holds it."""
    ref = _open_ticket(instance, mailbox, **kwargs)
    customer = mailbox.user_mailbox(CUSTOMER)
    confirmation = customer.wait_for(1, what="the confirmation in the customer's mailbox")[0]
    return ref, customer, confirmation


def _threads_into_the_customers_conversation(instance, mail):
    """In-Reply-To names a mail of the customer's conversation (the customer's own, or one sent to
    them), and References names no mail the customer never got (such as the team's notices)."""
    customer_ids = {f"<{row[0]}>" for row in instance.query(
        "SELECT messageId FROM message WHERE kind = 'customer' AND messageId IS NOT NULL")}
    sent_to_customer = {f"<{row[0]}>" for row in instance.query(
        "SELECT messageId FROM outbox WHERE recipient = ? AND state = 'sent'", CUSTOMER)}
    sent_elsewhere = {f"<{row[0]}>" for row in instance.query(
        "SELECT messageId FROM outbox WHERE recipient != ?", CUSTOMER)}
    parent = _ids(mail["In-Reply-To"])
    assert len(parent) == 1 and parent[0] in customer_ids | sent_to_customer, \
        f"In-Reply-To {parent} is not a mail of the customer's conversation; sent to others: {sent_elsewhere}"
    references = _ids(mail["References"])
    assert "<printer-1@example.test>" in references
    assert not set(references) & sent_elsewhere, f"References name mail the customer never got: {references}"


def _settled(instance, inbound):
    """Waits until `inbound` mails are recorded and nothing due is left in the outbox."""
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") >= inbound, timeout=60,
             what=f"{inbound} inbound mails recorded")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'queued'") == 0, timeout=60,
             what="an empty outbox queue")


def test_confirmation_reaches_the_customer_threaded_and_tagged(desk, mailbox):
    instance = desk()
    ref, _, mail = _confirmation(instance, mailbox)
    assert re.fullmatch(r"TKT-[0-9A-Z]{6}", ref)
    assert _ids(mail["In-Reply-To"]) == ["<printer-1@example.test>"], "it answers the customer's mail"
    assert "<printer-1@example.test>" in _ids(mail["References"])
    assert mail["Subject"] == f"[{ref}] Printer on fire"
    assert _address(mail["From"]) == SUPPORT
    assert re.fullmatch(rf"support\+{ref}\.[0-9a-z]+@example\.test", _address(mail["Reply-To"])), mail["Reply-To"]
    assert mail["Auto-Submitted"] == "auto-replied"
    message_id = _ids(mail["Message-ID"])[0]
    assert re.fullmatch(rf"<{ref}\.[0-9a-z]+\.[0-9a-z]+@example\.test>", message_id), message_id
    assert ref in _text(mail)
    rows = instance.query("SELECT kind, recipient, state, attempts, messageId FROM outbox WHERE kind = 'confirmation'")
    assert rows == [("confirmation", CUSTOMER, "sent", 1, message_id.strip("<>"))]


def test_customer_reply_to_the_confirmation_lands_on_the_same_ticket(desk, mailbox):
    instance = desk()
    ref, customer, confirmation = _confirmation(instance, mailbox)
    reply = EmailMessage()
    reply["From"] = f"Carol Customer <{CUSTOMER}>"
    reply["To"] = str(confirmation["Reply-To"])
    reply["Subject"] = "Re: " + str(confirmation["Subject"])
    reply["Message-ID"] = "<printer-2@example.test>"
    reply["In-Reply-To"] = str(confirmation["Message-ID"])
    reply["References"] = "<printer-1@example.test> " + str(confirmation["Message-ID"])
    reply.set_content("It is the printer on the second floor.\n\n"
                      "On Tue, 1 Oct 2024 at 10:00, Postdesk <support@example.test> wrote:\n"
                      "> Thank you for contacting Postdesk.\n")
    mailbox.send(reply)
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM message") == 2, timeout=60, what="the reply")
    assert instance.scalar("SELECT COUNT(*) FROM ticket") == 1, "no second ticket"
    rows = instance.query("SELECT t.ref, m.kind, m.visibleText FROM message m JOIN ticket t ON t.id = m.ticketId "
                          "ORDER BY m.id")
    assert [row[0] for row in rows] == [ref, ref]
    assert rows[1][1:] == ("customer", "It is the printer on the second floor.")
    assert instance.query("SELECT outcome FROM inboundMail ORDER BY id") == [("ticket",), ("reply",)]
    _settled(instance, 2)
    assert instance.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'confirmation'") == 1, "a reply is not confirmed"
    assert customer.count() == 1


def test_agent_reply_by_mail_reaches_the_customer(desk, mailbox):
    instance = desk()
    ref, customer, confirmation = _confirmation(instance, mailbox)
    # The agent hears of the ticket at the team address and answers that notice from their mail client.
    _answer_notice(mailbox, ref, "Please hold the power button for ten seconds, then switch it on again.\n\nAlice")
    mails = customer.wait_for(2, what="the agent's reply in the customer's mailbox")
    assert len(mails) == 2
    answer = mails[1]
    name, address = email.utils.parseaddr(str(answer["From"]))
    assert address == SUPPORT
    assert "via" in name and "Alice Agent" in name, answer["From"]
    body = _text(answer)
    assert "Please hold the power button for ten seconds" in body
    assert "wrote:" not in body and "It is really burning" not in body, "the agent's quoted history stays out"
    assert f"[{ref}]" in answer["Subject"]
    assert answer["Auto-Submitted"] is None, "a person's answer is not automated mail"
    assert _address(answer["Reply-To"]) == _address(confirmation["Reply-To"])
    assert instance.scalar("SELECT status FROM ticket") == "pending"
    assert instance.query("SELECT kind, visibility FROM message ORDER BY id DESC LIMIT 1") == [("agent", "public")]
    assert instance.query("SELECT state FROM outbox WHERE kind = 'agent-reply'") == [("sent",)]
    _threads_into_the_customers_conversation(instance, answer)


def test_internal_note_reaches_no_customer(desk, mailbox):
    instance = desk()
    ref, customer, _ = _confirmation(instance, mailbox)
    _answer_notice(mailbox, ref, "#note\nCarol called: it is the printer on the second floor.")
    _settled(instance, 2)
    time.sleep(5)  # give a wrongly sent mail time to arrive
    assert customer.count() == 1, "only the confirmation"
    assert instance.query("SELECT kind, visibility, visibleText FROM message ORDER BY id DESC LIMIT 1") == [
        ("note", "internal", "Carol called: it is the printer on the second floor.")]
    assert instance.scalar("SELECT COUNT(*) FROM outbox WHERE recipient = ? AND kind != 'confirmation'", CUSTOMER) == 0
    assert instance.scalar("SELECT status FROM ticket") == "new"


def test_resolve_command_sends_the_resolution_notice(desk, mailbox):
    instance = desk()
    ref, customer, confirmation = _confirmation(instance, mailbox)
    _answer_notice(mailbox, ref, "#resolve Fixed it")
    notice = customer.wait_for(2, what="the resolution notice")[1]
    assert f"[{ref}]" in notice["Subject"]
    assert _address(notice["From"]) == SUPPORT
    body = _text(notice)
    assert "Fixed it" in body and "resolved" in body
    assert notice["Auto-Submitted"] == "auto-generated"
    assert instance.query("SELECT status, resolution FROM ticket") == [("resolved", "Fixed it")]
    assert instance.query("SELECT recipient, state FROM outbox WHERE kind = 'resolution'") == [(CUSTOMER, "sent")]
    _settled(instance, 2)
    assert customer.count() == 2, "no separate agent reply for a bare command"
    _threads_into_the_customers_conversation(instance, notice)


def test_confirmation_waits_out_a_postfix_outage(desk, mailbox, tmp_path):
    instance = desk()
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") == 0 and "outbox worker started" in instance.logs(),
             what="the daemon to start")
    first = tmp_path / "first.eml"
    first.write_bytes(
        b"From: Carol Customer <customer@example.test>\r\nTo: support@example.test\r\n"
        b"Subject: Printer on fire\r\nMessage-ID: <outage-1@example.test>\r\n"
        b"Date: " + email.utils.formatdate(localtime=True).encode() + b"\r\n\r\nIt is really burning.\r\n")
    customer = mailbox.user_mailbox(CUSTOMER)
    mailbox.mailstack("stop-postfix")
    stopped = time.monotonic()
    try:
        mailbox.append("INBOX", [first])  # straight into Dovecot: Postfix is down
        wait_for(lambda: instance.scalar(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'confirmation' AND lastError IS NOT NULL") == 1,
            timeout=60, what="a failed try")
        state, attempts, error = instance.query(
            "SELECT state, attempts, lastError FROM outbox WHERE kind = 'confirmation'")[0]
        # The sender's failure: the mail is not charged with it, and says why it waits.
        assert state == "queued" and attempts == 0 and "curl error 7" in error, (state, attempts, error)
        assert "sending paused" in instance.logs()
        time.sleep(max(0.0, 30 - (time.monotonic() - stopped)))
        assert instance.alive(), "the daemon survives the outage"
        assert instance.scalar("SELECT state FROM outbox WHERE kind = 'confirmation'") == "queued"
        assert customer.count() == 0
    finally:
        mailbox.mailstack("start-postfix")
    mail = customer.wait_for(1, timeout=150, what="the confirmation after the outage")[0]
    assert _ids(mail["In-Reply-To"]) == ["<outage-1@example.test>"]
    state, attempts, error = instance.query(
        "SELECT state, attempts, lastError FROM outbox WHERE kind = 'confirmation'")[0]
    assert (state, error, attempts) == ("sent", None, 1)
    assert "sending resumed" in instance.logs()
    assert instance.alive()
    assert instance.stop() == 0


def test_refused_recipient_becomes_a_dead_letter(desk, mailbox):
    instance = desk()
    _open_ticket(instance, mailbox, sender=UNKNOWN, message_id="<unknown-1@example.test>")
    wait_for(lambda: instance.scalar("SELECT state FROM outbox WHERE kind = 'confirmation'") == "dead", timeout=60,
             what="the dead letter")
    mail_id, recipient, attempts, error = instance.query(
        "SELECT id, recipient, attempts, lastError FROM outbox WHERE kind = 'confirmation'")[0]
    assert (recipient, attempts) == (UNKNOWN, 1), "a 5xx is not retried"
    assert "550" in error, error
    listed = instance.postdesk("outbox", "list", "--state", "dead").stdout
    line = next(line for line in listed.splitlines() if line.split("\t")[0] == str(mail_id))
    assert "dead" in line and "confirmation" in line and UNKNOWN in line and "550" in line, line
    assert instance.query("SELECT state FROM outbox WHERE kind = 'agent-notice'") == [("sent",)], \
        "the rest of the outbox still flows"
    # Sent again on request, refused again: a dead letter once more, and not a loop of retries.
    assert "queued again" in instance.postdesk("outbox", "retry", str(mail_id)).stdout
    wait_for(lambda: instance.scalar("SELECT attempts FROM outbox WHERE id = ?", mail_id) == 2, timeout=60,
             what="the second attempt")
    assert instance.query("SELECT state FROM outbox WHERE id = ?", mail_id) == [("dead",)]


def test_vacation_responder_does_not_start_a_mail_loop(desk, mailbox):
    instance = desk()
    customer = mailbox.user_mailbox(CUSTOMER)
    _open_ticket(instance, mailbox, message_id="<vacation-1@example.test>")
    answered, sent = set(), []
    deadline = time.monotonic() + 60
    quiet_since = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - quiet_since < 25:
        for uid, mail in customer.messages():
            if uid in answered:
                continue
            answered.add(uid)
            quiet_since = time.monotonic()
            auto = EmailMessage()
            auto["From"] = f"Carol Customer <{CUSTOMER}>"
            auto["To"] = SUPPORT
            auto["Subject"] = "Out of office: " + str(mail["Subject"])
            auto["In-Reply-To"] = str(mail["Message-ID"])
            auto["References"] = " ".join(_ids(mail["References"]) + _ids(mail["Message-ID"]))
            auto["Auto-Submitted"] = "auto-replied"
            auto.set_content("I am on vacation until Monday and will read your mail when I am back.")
            sent.append(mailbox.send(auto))
        time.sleep(1)
    assert time.monotonic() - quiet_since >= 25, f"still answering after 60 s: {len(sent)} auto-replies sent"
    _settled(instance, 1 + len(sent))
    mails = [mail for _, mail in customer.messages()]
    assert len(mails) == 1, [str(mail["Subject"]) for mail in mails]
    assert mails[0]["Auto-Submitted"] == "auto-replied", "the one mail is the confirmation"
    assert len(sent) == 1, "one auto-reply to the one confirmation, then quiet"
    assert instance.query("SELECT outcome FROM inboundMail ORDER BY id") == [("ticket",), ("auto-reply",)]
    assert instance.query("SELECT kind FROM outbox WHERE recipient = ?", CUSTOMER) == [("confirmation",)]
    assert instance.scalar("SELECT status FROM ticket") == "new", "an auto-reply changes nothing"
    team = mailbox.user_mailbox(AGENT).messages()
    assert len(team) == 1, "the team hears of the new ticket only, not of the auto-reply"
