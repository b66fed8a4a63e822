"""Secrets never reach a log, at any level: the daemon runs at `debug` through a customer's whole
journey (a mail in, its confirmation out, a sign-in link asked for, mailed and used, portal pages
seen), then its whole log is searched for every secret the journey handled: the signing key in
data/secret.key (raw, hex, base64, as a Swift byte array), every token of every mail it sent, the
session and CSRF cookies, and the IMAP and SMTP passwords.
"""
import base64
import json
import re
from urllib.parse import urlsplit

from conftest import TOKEN_LINK, Client, _env, mail_texts, wait_for

CUSTOMER = "customer@example.test"


def _forms(secret):
    """The ways a secret could be printed: as it is, hex, base64 (plain and URL-safe), a byte array."""
    raw = secret if isinstance(secret, bytes) else secret.encode()
    b64 = base64.b64encode(raw).decode().rstrip("=")
    forms = [raw, raw.hex().encode(), raw.hex().upper().encode(), b64.encode(),
             b64.replace("+", "-").replace("/", "_").encode(),
             ("[" + ", ".join(str(byte) for byte in raw[:8])).encode()]
    return [form for form in forms if len(form) >= 8]


def test_no_secret_in_a_debug_log(desk, mailbox):
    instance = desk(log_level="debug")
    customer_box = mailbox.user_mailbox(CUSTOMER)
    agent_box = mailbox.user_mailbox(_env("POSTDESK_TEST_AGENT_USER"))
    base = instance.portal_ready()

    # A mail in, its confirmation out.
    mailbox.swaks(sender=CUSTOMER, subject="Router blinks red", body="Hello,\n\nthe router blinks red.\n\nCarol")
    wait_for(lambda: instance.scalar("SELECT ref FROM ticket WHERE subject = 'Router blinks red'"), timeout=60,
             what="the ticket")
    ref = instance.scalar("SELECT ref FROM ticket WHERE subject = 'Router blinks red'")
    customer_box.wait_for(1, what="the confirmation")

    # A sign-in link asked for, mailed, landed on and used; the portal's pages seen.
    client = Client(base)
    assert client.request("GET", "/portal")[0] == 200
    assert client.request("POST", "/portal/link", {"email": CUSTOMER})[0] == 200
    customer_box.wait_for(2, what="the sign-in link")
    login = next(m.group(0) for text in mail_texts(customer_box) for m in TOKEN_LINK.finditer(text)
                 if "/portal/login/" in m.group(0))
    path = urlsplit(login).path
    assert client.request("GET", path)[0] == 200
    status, headers, _ = client.request("POST", path, {})
    assert status == 303, status
    session = client.cookies.get("pd_session")
    assert session, "no session cookie"
    assert client.request("GET", "/portal/tickets")[0] == 200
    assert client.request("GET", f"/portal/tickets/{ref}")[0] == 200
    # A ticket link's landing page, and a path with a token that does not exist.
    ticket_links = [m.group(0) for text in mail_texts(customer_box) for m in TOKEN_LINK.finditer(text)
                    if "/portal/t/" in m.group(0)]
    assert ticket_links, "the confirmation carries a link to its ticket"
    assert client.request("GET", urlsplit(ticket_links[0]).path)[0] == 303, "signed in, a ticket link opens the ticket"
    client.request("GET", "/portal/login/" + "Q" * 43)
    assert instance.stop() == 0

    log = instance.log.read_bytes()
    assert b'"level":"debug"' in log.replace(b" ", b""), "the daemon did not log at debug level"
    key = (instance.folder / "data" / "secret.key").read_bytes()
    tokens = {match.group(1) for text in mail_texts(customer_box) + mail_texts(agent_box)
              for match in TOKEN_LINK.finditer(text)}
    assert len(tokens) >= 2, f"expected the login and ticket tokens in the mails, found {len(tokens)}"
    secrets = {"secret.key": key, "session cookie": session, "CSRF cookie": client.cookies.get("pd_csrf", ""),
               "IMAP/SMTP password": mailbox.support_pass, "CSRF form token": client.csrf or ""}
    secrets.update({f"mailed token {token[:6]}...": token for token in tokens})
    leaks = [name for name, secret in secrets.items() if secret and any(form in log for form in _forms(secret))]
    assert not leaks, f"found in the log: {leaks}"
    # The log still says what happened: requests for token paths are logged with the token cut out.
    lines = [json.loads(line) for line in log.splitlines() if line.startswith(b"{")]
    assert lines, "the log has JSON lines"
