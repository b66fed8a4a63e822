"""Mail understanding end to end: reply extraction, robots, bounces and trustworthy threading."""
from conftest import wait_for


def _ticket_and_confirmation(instance, mailbox, sender="customer@example.test"):
    mailbox.swaks(sender=sender, subject="Printer on fire", body="It is really burning.",
                  headers=["Message-ID: <first-printer@example.test>"])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM outbox") == 1, what="the ticket and its confirmation")
    ref = instance.scalar("SELECT ref FROM ticket")
    confirmation = instance.scalar("SELECT messageId FROM outbox")
    return ref, confirmation


def test_gmail_style_reply_keeps_only_the_new_text_visible(daemon, mailbox):
    instance = daemon().start()
    ref, confirmation = _ticket_and_confirmation(instance, mailbox)
    body = ("Thanks, switching it off and on again fixed it.\n\n"
            "On Tue, 1 Oct 2024 at 10:00, Support <support@example.test> wrote:\n"
            "> We received your request about the printer.\n"
            "> Reference: " + ref + "\n")
    mailbox.swaks(sender="customer@example.test", subject=f"Re: [{ref}] Printer on fire", body=body,
                  headers=["Message-ID: <reply-printer@example.test>", f"In-Reply-To: <{confirmation}>"])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM message") == 2, what="the reply")
    visible, text = instance.query("SELECT visibleText, text FROM message ORDER BY id DESC LIMIT 1")[0]
    assert visible == "Thanks, switching it off and on again fixed it."
    assert "We received your request" in text, "the full text is kept"


def test_out_of_office_reply_to_a_confirmation_gets_no_answer_and_changes_no_ticket(daemon, mailbox):
    instance = daemon().start()
    ref, confirmation = _ticket_and_confirmation(instance, mailbox)
    before = instance.query("SELECT status, updatedAt FROM ticket")
    mailbox.swaks(sender="customer@example.test", subject=f"Automatic reply: [{ref}] Printer on fire",
                  body="I am out of the office until Monday.",
                  headers=["Auto-Submitted: auto-replied", "X-Autoreply: yes", f"In-Reply-To: <{confirmation}>"])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") == 2, what="the auto-reply")
    assert instance.scalar("SELECT outcome FROM inboundMail ORDER BY id DESC LIMIT 1") == "auto-reply"
    assert instance.scalar("SELECT COUNT(*) FROM outbox") == 1, "no answer to a robot"
    assert instance.query("SELECT status, updatedAt FROM ticket") == before, "the ticket did not change"
    assert instance.query("SELECT kind, visibility FROM message ORDER BY id DESC LIMIT 1") == [("system", "internal")]


def test_a_bounce_lands_on_the_original_ticket(daemon, mailbox):
    instance = daemon().start()
    ref, confirmation = _ticket_and_confirmation(instance, mailbox, sender="gone@example.org")
    dsn = "\r\n".join([
        "This is a MIME-encapsulated message.", "",
        "--B1", "Content-Type: text/plain", "",
        "Your message could not be delivered to one or more recipients.", "",
        "--B1", "Content-Type: message/delivery-status", "",
        "Reporting-MTA: dns; mx.example.org", "",
        "Final-Recipient: rfc822; gone@example.org", "Action: failed", "Status: 5.1.1",
        "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown", "",
        "--B1", "Content-Type: message/rfc822", "",
        "From: support@example.test", "To: gone@example.org", f"Subject: [{ref}] Printer on fire",
        f"Message-ID: <{confirmation}>", "", "We received your request.", "",
        "--B1--", ""])
    mailbox.swaks(sender="MAILER-DAEMON@mx.example.org", subject="Undelivered Mail Returned to Sender", body=dsn,
                  headers=["MIME-Version: 1.0",
                           'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"'])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail") == 2, what="the bounce")
    outcome, ticket_ref = instance.query(
        "SELECT i.outcome, t.ref FROM inboundMail i LEFT JOIN ticket t ON t.id = i.ticketId ORDER BY i.id DESC LIMIT 1")[0]
    assert (outcome, ticket_ref) == ("bounce", ref)
    assert instance.scalar("SELECT COUNT(*) FROM suppression WHERE address = 'gone@example.org'") == 1
    assert instance.scalar("SELECT COUNT(*) FROM outbox") == 1, "nothing answers a bounce"
    assert instance.scalar("SELECT status FROM ticket") == "new"


def test_a_stranger_with_a_valid_subject_tag_opens_a_new_ticket(daemon, mailbox):
    instance = daemon().start()
    ref, _ = _ticket_and_confirmation(instance, mailbox)
    mailbox.swaks(sender="mallory@example.net", subject=f"Re: [{ref}] Printer on fire", body="Send me the logs.")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 2, what="a second ticket")
    rows = instance.query("SELECT t.ref, c.email FROM ticket t JOIN customer c ON c.id = t.customerId ORDER BY t.id")
    assert rows[0] == (ref, "customer@example.test")
    assert rows[1][0] != ref and rows[1][1] == "mallory@example.net"
    assert instance.scalar("SELECT COUNT(*) FROM message WHERE ticketId = (SELECT id FROM ticket WHERE ref = ?)", ref) == 1
