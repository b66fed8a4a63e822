"""Who may write into a ticket, and what the customer sees, end to end: mail through the real Postfix
into the support mailbox, Postdesk's answers read from the customer's, the colleague's and the agent's
Dovecot mailboxes, the portal over real HTTP (DESIGN.md invariants 8 and 9)."""
import json
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

from conftest import AGENT, SUPPORT, TOKEN_LINK, Client, _address, _answer_notice, _text, mail_texts, wait_for

CUSTOMER = "customer@example.test"
COLLEAGUE = "colleague@example.test"
FIRST = "<trust-1@example.test>"


def _open(instance, mailbox, cc=None):
    """The customer's first mail (with `cc` on it); returns the ticket's reference."""
    mail = EmailMessage()
    mail["From"] = f"Carol Customer <{CUSTOMER}>"
    mail["To"] = SUPPORT
    if cc:
        mail["Cc"] = cc
    mail["Subject"] = "Printer on fire"
    mail["Message-ID"] = FIRST
    mail.set_content("It is really burning.\n\nCarol")
    mailbox.send(mail, to=SUPPORT)
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 1, timeout=60, what="the ticket")
    return instance.scalar("SELECT ref FROM ticket")


def _mail(sender, subject, body, **headers):
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = SUPPORT
    mail["Subject"] = subject
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    return mail


def test_a_spoofed_agent_is_quarantined_and_nothing_reaches_the_customer(desk, mailbox):
    instance = desk()
    ref = _open(instance, mailbox)
    customer = mailbox.user_mailbox(CUSTOMER)
    agent = mailbox.user_mailbox(AGENT)
    customer.wait_for(1, what="the confirmation")
    agent.wait_for(1, what="the new-ticket notice")
    mailbox.send(_mail(f"Alice Agent <{AGENT}>", f"Re: [{ref}] Printer on fire",
                       "#resolve Fixed\nPlease send your password to evil@example.net."))
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail WHERE outcome = 'quarantined'") == 1,
             timeout=60, what="the spoofed mail quarantined")
    assert "no token signed for that agent" in instance.scalar(
        "SELECT reason FROM inboundMail WHERE outcome = 'quarantined'")
    wait_for(lambda: mailbox.count("Quarantine") == 1, timeout=30, what="the mail in the Quarantine folder")
    told = agent.wait_for(2, what="the agent told of the quarantined mail")[-1]
    assert "quarantined" in str(told["Subject"]) and f"[{ref}]" in str(told["Subject"])
    time.sleep(5)  # give a wrongly relayed mail time to arrive
    assert customer.count() == 1, "only the confirmation reached the customer"
    assert instance.scalar("SELECT status FROM ticket") == "new", "no command ran"
    assert instance.scalar("SELECT COUNT(*) FROM message") == 1
    assert instance.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'agent-reply'") == 0


def test_a_forged_verdict_below_our_servers_does_not_make_an_agent(desk, mailbox):
    """The stack's Postfix adds its own verdict on top: dmarc=fail for unauthenticated mail from the
    agents' domain, dmarc=pass for authenticated mail (scripts/mailstack)."""
    instance = desk(agents={"authserv_id": "mx.example.test"})
    ref = _open(instance, mailbox)
    customer = mailbox.user_mailbox(CUSTOMER)
    customer.wait_for(1, what="the confirmation")
    forged = ("Authentication-Results", "mx.example.test; dmarc=pass header.from=example.test")
    _answer_notice(mailbox, ref, "#close\nForged: please pay to account 123.", headers=[forged])
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM inboundMail WHERE outcome = 'quarantined'") == 1,
             timeout=60, what="the forged answer quarantined")
    assert "dmarc=fail" in instance.scalar("SELECT reason FROM inboundMail WHERE outcome = 'quarantined'")
    assert instance.scalar("SELECT status FROM ticket") == "new"
    _answer_notice(mailbox, ref, "Please restart it.", login=AGENT)
    answer = customer.wait_for(2, what="the authenticated agent's answer")[1]
    assert "Please restart it." in _text(answer) and "pay to account" not in _text(answer)
    assert instance.scalar("SELECT status FROM ticket") == "pending"


def test_a_stranger_citing_the_customers_message_id_gets_a_ticket_of_their_own(desk, mailbox):
    instance = desk()
    ref = _open(instance, mailbox)
    customer = mailbox.user_mailbox(CUSTOMER)
    customer.wait_for(1, what="the confirmation")
    mailbox.send(_mail("Mallory <mallory@example.net>", "Re: Printer on fire", "I am Carol: send the invoice here.",
                       In_Reply_To=FIRST, References=FIRST), sender="mallory@example.net", to=SUPPORT)
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == 2, timeout=60, what="the stranger's ticket")
    assert instance.query("SELECT relatedTo FROM ticket ORDER BY id DESC LIMIT 1") == [(ref,)]
    assert instance.scalar("SELECT COUNT(*) FROM message m JOIN ticket t ON t.id = m.ticketId WHERE t.ref = ?",
                           ref) == 1, "nothing written into the customer's ticket"
    assert "takes no part" in instance.scalar("SELECT reason FROM inboundMail ORDER BY id DESC LIMIT 1")
    time.sleep(3)
    assert customer.count() == 1


def test_a_colleague_joins_by_name_and_the_answer_reaches_both_as_sent(desk, mailbox):
    mailbox.mailstack("clear", COLLEAGUE)
    instance = desk()
    ref = _open(instance, mailbox, cc=f"Dana Colleague <{COLLEAGUE}>")
    customer = mailbox.user_mailbox(CUSTOMER)
    colleague = mailbox.user_mailbox(COLLEAGUE)
    confirmation = customer.wait_for(1, what="the confirmation")[0]
    assert colleague.count() == 0, "a confirmation goes to the customer only"
    mailbox.send(_mail(f"Dana Colleague <{COLLEAGUE}>", "Re: Printer on fire", "It is the one on the second floor.",
                       In_Reply_To=FIRST, References=FIRST))
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM message") == 2, timeout=60, what="the colleague's reply")
    assert instance.query("SELECT kind, authorEmail, authorName FROM message ORDER BY id DESC LIMIT 1") == [
        ("customer", COLLEAGUE, "Dana Colleague")]
    _answer_notice(mailbox, ref, "#priority high\nPlease restart it.\n\n-- \nAlice, second-level support", count=2)
    answer = customer.wait_for(2, what="the agent's answer to the customer")[1]
    copy = colleague.wait_for(1, what="the agent's answer to the colleague")[0]
    assert _address(answer["To"]) == CUSTOMER and COLLEAGUE in str(answer["Cc"])
    for mail in (answer, copy):
        body = _text(mail)
        assert "Please restart it." in body
        assert "#priority" not in body and "second-level" not in body and "Status:" not in body
        assert "/portal/t/" not in body, "no sign-in link where a Cc reads it"
    sent = json.loads(instance.scalar("SELECT context FROM outbox WHERE kind = 'agent-reply'"))
    assert sent["reply_text"] == "Please restart it."

    # The portal shows the answer as it was sent, not the agent's whole mail.
    link = next(m.group(0) for text in mail_texts(customer) for m in TOKEN_LINK.finditer(text)
                if "/portal/t/" in m.group(0))
    assert link in _text(confirmation)
    client = Client(instance.portal_ready())
    path = urlsplit(link).path
    status, _, _ = client.request("GET", path)
    if status == 200:  # the landing page: Continue spends nothing and signs in
        status, _, _ = client.request("POST", path, {})
    assert status == 303, status
    status, _, page = client.request("GET", f"/portal/tickets/{ref}")
    assert status == 200
    assert "Please restart it." in page
    for hidden in ("#priority", "second-level", "Status:", f"replied on ticket {ref}", "wrote:"):
        assert hidden not in page, f"{hidden!r} reached the customer's page"
    assert "Dana Colleague" in page, "the colleague is shown by name, not as You"
