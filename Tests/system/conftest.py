"""System tests: the postdesk binary against the real mail stack (Dovecot + Postfix on loopback).

`make test` starts the stack and exports its settings (scripts/mailstack env). Without them these
tests are skipped, unless POSTDESK_REQUIRE_MAILSTACK=1, when their absence is a failure.
"""
import email.policy
import http.client
import re
import email.utils
import imaplib
import json
import os
import signal
import smtplib
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from email.message import EmailMessage
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / ".build" / "debug" / "postdesk"
MAILSTACK = REPO / "scripts" / "mailstack"
TEMPLATES = REPO / "mail-templates"


def _env(name):
    value = os.environ.get(name)
    if not value:
        if os.environ.get("POSTDESK_REQUIRE_MAILSTACK") == "1":
            pytest.fail(f"{name} is not set: start the mail stack (scripts/mailstack start)")
        pytest.skip("the mail stack is not running (eval \"$(scripts/mailstack env)\")")
    return value


class Stack:
    """The running mail stack: addresses, credentials, and helpers to send, append and inspect mail."""

    def __init__(self):
        self.imap_url = _env("POSTDESK_TEST_IMAP_URL")
        self.imap_host = _env("POSTDESK_TEST_IMAP_HOST")
        self.imap_port = int(_env("POSTDESK_TEST_IMAP_PORT"))
        self.smtp_host = _env("POSTDESK_TEST_SMTP_HOST")
        self.smtp_port = int(_env("POSTDESK_TEST_SMTP_PORT"))
        self.ca_file = _env("POSTDESK_TEST_CA_FILE")
        self.support_user = _env("POSTDESK_TEST_SUPPORT_USER")
        self.support_pass = _env("POSTDESK_TEST_SUPPORT_PASS")
        self.customer_user = _env("POSTDESK_TEST_CUSTOMER_USER")

    def mailstack(self, *args, check=True):
        return subprocess.run([str(MAILSTACK), *args], check=check, capture_output=True, text=True, timeout=120)

    def clear(self):
        self.mailstack("clear", self.support_user)
        self.mailstack("clear", self.customer_user)

    def swaks(self, *, sender, subject, body, headers=(), to=None):
        """Sends a mail through Postfix with swaks; `headers` may replace Message-ID and add others."""
        to = to or self.support_user
        names = {h.split(":", 1)[0].lower() for h in headers}
        lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}",
                 "Date: " + email.utils.formatdate(localtime=True)]
        if "message-id" not in names:
            lines.append(f"Message-ID: <{uuid.uuid4()}@example.test>")
        raw = "\r\n".join(lines + list(headers)) + "\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n"
        subprocess.run(["swaks", "--silent", "2", "--server", f"{self.smtp_host}:{self.smtp_port}",
                        "--from", sender, "--to", to, "--data", "-"],
                       input=raw.encode(), check=True, capture_output=True, timeout=60)

    def append(self, folder, files):
        self.mailstack("append", self.support_user, folder, *[str(f) for f in files])

    def imap(self):
        connection = imaplib.IMAP4(self.imap_host, self.imap_port)
        connection.login(self.support_user, self.support_pass)
        return connection

    def count(self, folder):
        connection = self.imap()
        try:
            status, data = connection.select(f'"{folder}"', readonly=True)
            return int(data[0]) if status == "OK" else 0
        finally:
            connection.logout()

    @property
    def smtp_url(self):
        return _env("POSTDESK_TEST_SMTP_URL")

    def password(self, user):
        """The mail stack's password of `user` (support, customer or agent, at the test domain)."""
        return _env(f"POSTDESK_TEST_{user.split('@', 1)[0].upper()}_PASS")

    def user_mailbox(self, user):
        """The Dovecot mailbox of `user`, read over IMAP."""
        return UserMailbox(self, user, self.password(user))

    def send(self, message, *, sender=None, to=None, login=None):
        """Sends an `email.message.EmailMessage` through Postfix; the envelope comes from its headers
        unless `sender` and `to` are given. With `login` (a mail user), it authenticates first, and
        the stack's Postfix then adds a passing verdict on top (scripts/mailstack)."""
        if "Date" not in message:
            message["Date"] = email.utils.formatdate(localtime=True)
        if "Message-ID" not in message:
            message["Message-ID"] = f"<{uuid.uuid4()}@example.test>"
        sender = sender or email.utils.parseaddr(str(message["From"]))[1]
        recipients = [to] if isinstance(to, str) else list(to or
                      [address for _, address in email.utils.getaddresses([str(message["To"])])])
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=60) as smtp:
            if login:
                smtp.login(login, self.password(login))
            smtp.send_message(message, from_addr=sender, to_addrs=recipients)
        return str(message["Message-ID"])


class UserMailbox:
    """One user's Dovecot mailbox over IMAP: the mails Postdesk sent to a customer or an agent."""

    def __init__(self, stack, user, password):
        self.stack = stack
        self.user = user
        self.password = password

    def _connect(self):
        connection = imaplib.IMAP4(self.stack.imap_host, self.stack.imap_port)
        connection.login(self.user, self.password)
        return connection

    def count(self, folder="INBOX"):
        connection = self._connect()
        try:
            status, data = connection.select(f'"{folder}"', readonly=True)
            return int(data[0]) if status == "OK" else 0
        finally:
            connection.logout()

    def messages(self, folder="INBOX"):
        """Every mail of the folder as (uid, email.message.EmailMessage), in arrival order."""
        connection = self._connect()
        try:
            status, _ = connection.select(f'"{folder}"', readonly=True)
            if status != "OK":
                return []
            _, data = connection.uid("SEARCH", None, "ALL")
            uids = [int(uid) for uid in data[0].split()]
            found = []
            for uid in uids:
                _, parts = connection.uid("FETCH", str(uid), "(BODY.PEEK[])")
                raw = next(part[1] for part in parts if isinstance(part, tuple))
                found.append((uid, email.message_from_bytes(raw, policy=email.policy.default)))
            return found
        finally:
            connection.logout()

    def wait_for(self, count, timeout=90, what=None):
        """Waits until the inbox holds at least `count` mails and returns them (oldest first)."""
        wait_for(lambda: self.count() >= count, timeout=timeout, interval=0.5,
                 what=what or f"{count} mail(s) in the mailbox of {self.user}")
        return [message for _, message in self.messages()]


@pytest.fixture(scope="session")
def stack():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run swift build first")
    return Stack()


@pytest.fixture
def mailbox(stack):
    """An empty support mailbox (and customer mailbox) for one test."""
    stack.clear()
    yield stack
    stack.clear()


class Daemon:
    """`postdesk run` with a configuration written for the test, and the database it writes."""

    def __init__(self, stack, folder, batch_size=50, poll_interval=1, helpdesk=None, tables=None, portal=None,
                 log_level="info"):
        """`helpdesk` adds keys to [helpdesk]; `tables` adds tables, e.g. {"outbound": {...}}; `portal`
        adds keys to [portal]. The portal always gets a free loopback port of its own (`portal_url`), so
        daemons never clash on the default 8080; [helpdesk] portal_url points there unless given."""
        self.folder = Path(folder)
        self.config = self.folder / "postdesk.toml"
        self.log = self.folder / "daemon.log"
        tables = dict(tables or {})
        portal = {**tables.pop("portal", {}), **(portal or {})}
        if "listen" not in portal:
            portal["listen"] = f"127.0.0.1:{free_port()}"
        host, port = str(portal["listen"]).rsplit(":", 1)
        self.portal_port = int(port)
        self.portal_url = f"http://{host}:{port}"
        helpdesk = {"portal_url": self.portal_url, **(helpdesk or {})}
        tables["portal"] = portal
        self.config.write_text(f"""
[storage]
data_dir = "data"

[helpdesk]
support_address = "{stack.support_user}"
{toml_keys(helpdesk or {})}{toml_tables(tables or {})}

[log]
level = "{log_level}"
format = "json"

[[imap]]
name = "support"
url = "{stack.imap_url}"
user = "{stack.support_user}"
password_env = "POSTDESK_TEST_SUPPORT_PASS"
ca_file = "{stack.ca_file}"
inbox = "INBOX"
processed_folder = "Processed"
quarantine_folder = "Quarantine"
poll_interval = {poll_interval}
batch_size = {batch_size}
""")
        self.process = None

    def start(self, open_files=None):
        """Starts the daemon; `open_files` sets its limit of open files (like `ulimit -n`)."""
        def limit():
            import resource
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

        self.process = subprocess.Popen([str(BINARY), "run", "--config", str(self.config)],
                                        stdout=open(self.log, "ab"), stderr=subprocess.STDOUT,
                                        preexec_fn=limit if open_files else None)
        return self

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=timeout)
        return self.process.returncode if self.process else None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def portal_ready(self, timeout=30):
        """Waits until the portal answers GET /portal (its sign-in page) and returns its base URL."""
        def answers():
            if not self.alive():
                raise AssertionError(f"the daemon exited ({self.process.returncode}):\n{self.logs()[-3000:]}")
            try:
                with urllib.request.urlopen(self.portal_url + "/portal", timeout=5) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, OSError):
                return False

        wait_for(answers, timeout=timeout, interval=0.2, what=f"the portal at {self.portal_url}")
        return self.portal_url

    def query(self, sql, *args):
        path = self.folder / "data" / "postdesk.sqlite"
        if not path.exists():
            return []
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
                return db.execute(sql, args).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):  # the daemon is still creating the schema
                return []
            raise

    def scalar(self, sql, *args):
        rows = self.query(sql, *args)
        return rows[0][0] if rows else 0

    def logs(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def postdesk(self, *args, check=True):
        """Runs a postdesk command against this daemon's configuration."""
        result = subprocess.run([str(BINARY), *args, "--config", str(self.config)],
                                capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"postdesk {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result


_ports_given = set()
_ports_lock = threading.Lock()


def free_port(host="127.0.0.1"):
    """A TCP port free on `host` right now, never the same twice in this session (so two daemons of
    one test do not get the same one)."""
    with _ports_lock:
        for _ in range(100):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind((host, 0))
                port = probe.getsockname()[1]
            if port not in _ports_given:
                _ports_given.add(port)
                return port
    raise AssertionError("no free port found")


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def toml_keys(keys):
    return "".join(f"{name} = {toml_value(value)}\n" for name, value in keys.items())


def toml_tables(tables):
    return "".join(f"\n[{name}]\n{toml_keys(keys)}" for name, keys in tables.items())


@pytest.fixture
def daemon(mailbox, tmp_path):
    made = []

    def make(**kwargs):
        instance = Daemon(mailbox, tmp_path, **kwargs)
        made.append(instance)
        return instance

    yield make
    for instance in made:
        instance.stop(signal.SIGKILL)


@pytest.fixture
def desk(daemon, mailbox):
    """A daemon that sends mail: [outbound] to the mail stack's Postfix (STARTTLS, logged in as
    support), agent@ as the agent and the team address, the repository's templates. The agent's
    mailbox is emptied before and after, like the support and customer mailboxes."""
    agent = _env("POSTDESK_TEST_AGENT_USER")
    mailbox.mailstack("clear", agent)

    def make(outbound=None, agents=None, helpdesk=None, **kwargs):
        tables = {
            "outbound": {"url": mailbox.smtp_url, "user": mailbox.support_user,
                         "password_env": "POSTDESK_TEST_SUPPORT_PASS", "ca_file": mailbox.ca_file,
                         **(outbound or {})},
            # Notices go out at once: these tests wait for an empty outbox, not for a digest window.
            "agents": {"addresses": [agent], "team_address": agent, "notice_digest_minutes": 0, **(agents or {})},
        }
        settings = {"product_name": "Postdesk", "templates": str(TEMPLATES), **(helpdesk or {})}
        return daemon(helpdesk=settings, tables=tables, **kwargs).start()

    yield make
    mailbox.mailstack("clear", agent)


def wait_for(condition, timeout=30, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Selenium, shared by the session's browser tests (browser.py)."""
    from browser import start_browser  # imported here so tests without a browser don't need Selenium

    driver = start_browser()
    yield driver
    driver.quit()


# Portal links in our mail: sign-in links and links to one ticket, with their token.
TOKEN_LINK = re.compile(r"https?://[^\s\"'<>]+/portal/(?:login|t)/([A-Za-z0-9_-]{20,})")


class Client:
    """A browser without a browser: one keep-alive connection, its cookies, the last form token."""

    def __init__(self, base):
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrf": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        page = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        if found:
            self.csrf = found.group(1)
        return response.status, response.headers, page


def mail_texts(box):
    """Every text part of every mail in a user's mailbox, decoded."""
    texts = []
    for _, message in box.messages():
        for part in message.walk():
            if part.get_content_maintype() == "text":
                texts.append(part.get_content())
    return texts


# Mail as people write it: addresses, ids and text of a mail, and an agent answering a notice.
SUPPORT = "support@example.test"
AGENT = "agent@example.test"


def _address(header):
    return email.utils.parseaddr(str(header or ""))[1]


def _ids(header):
    return re.findall(r"<[^<>]+>", str(header or ""))


def _text(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def _agent_mail(*, body, in_reply_to, references=(), subject, to=SUPPORT):
    mail = EmailMessage()
    mail["From"] = "Alice Agent <agent@example.test>"
    mail["To"] = to
    mail["Subject"] = subject
    mail["In-Reply-To"] = in_reply_to
    mail["References"] = " ".join([*references, in_reply_to])
    mail.set_content(body)
    return mail


def _answer_notice(mailbox, ref, body, count=1, login=None, headers=()):
    """The agent answers the notice about ticket `ref` from their mail client (its token is theirs);
    `headers` are (name, value) pairs added to the mail, `login` is passed to `Stack.send`."""
    notice = [mail for mail in mailbox.user_mailbox(AGENT).wait_for(count, what="the notice to the team")
              if f"[{ref}]" in str(mail["Subject"])][-1]
    quoted = "\n".join("> " + line for line in _text(notice).splitlines())
    mail = _agent_mail(
        to=_address(notice["Reply-To"]) or SUPPORT, subject="Re: " + str(notice["Subject"]),
        in_reply_to=str(notice["Message-ID"]), references=_ids(notice["References"]),
        body=body + f"\n\nOn Tue, 1 Oct 2024 at 10:05, Postdesk <{SUPPORT}> wrote:\n{quoted}\n")
    for name, value in headers:
        mail[name] = value
    mailbox.send(mail, login=login)
    return notice
