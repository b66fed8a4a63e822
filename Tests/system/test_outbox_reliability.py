"""The outbox against the real Postfix and Dovecot when things go wrong: a daemon killed while it
sends, Postfix down, a wrong SMTP password, another process holding the database.

Mail is queued straight into the outbox (sign-in link mails to the customer, each with its own
Message-ID), so a test starts with exactly the mail it counts; the customer's mailbox tells what
arrived and how often.
"""
import datetime
import random
import signal
import sqlite3
import time

from conftest import wait_for

CUSTOMER = "customer@example.test"


def _schema_ready(instance):
    """Waits until the daemon runs its outbox worker: its database exists."""
    wait_for(lambda: "outbox worker started" in instance.logs(), timeout=60, what="the daemon to start")


def _queue(instance, count, tag):
    """Writes `count` due mails into the outbox; returns their Message-IDs."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000")
    ids = [f"{tag}-{index}@example.test" for index in range(count)]
    path = instance.folder / "data" / "postdesk.sqlite"
    with sqlite3.connect(path, timeout=30) as db:
        db.executemany(
            "INSERT INTO outbox (kind, recipient, messageId, context, state, attempts, nextAttemptAt, createdAt, automated)"
            " VALUES ('magic-link', ?, ?, ?, 'queued', 0, ?, ?, 1)",
            [(CUSTOMER, message_id, '{"customer_email":"%s"}' % CUSTOMER, now, now) for message_id in ids])
    return ids


def _arrivals(mailbox):
    """How often each Message-ID reached the customer's inbox."""
    connection = mailbox.user_mailbox(CUSTOMER)._connect()
    try:
        connection.select("INBOX", readonly=True)
        _, data = connection.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    finally:
        connection.logout()
    counts = {}
    for part in data:
        if isinstance(part, tuple):
            value = part[1].decode(errors="replace").split(":", 1)[-1].strip().strip("<>")
            counts[value] = counts.get(value, 0) + 1
    return counts


def _settled_arrivals(mailbox, expected, timeout=180):
    """The arrivals once at least `expected` mails are in and Postfix has nothing more to deliver."""
    wait_for(lambda: mailbox.user_mailbox(CUSTOMER).count() >= expected, timeout=timeout, interval=1,
             what=f"{expected} mails in the customer's inbox")
    last = -1
    while True:  # Postfix may still hold a second copy: wait until the count stands still
        time.sleep(2)
        now = mailbox.user_mailbox(CUSTOMER).count()
        if now == last:
            return _arrivals(mailbox)
        last = now


def _states(instance):
    return dict(instance.query("SELECT state, COUNT(*) FROM outbox GROUP BY state"))


def test_sigkill_while_sending_doubles_at_most_the_mail_in_flight(desk, mailbox):
    instance = desk()
    _schema_ready(instance)
    instance.stop()
    ids = _queue(instance, 1000, "kill")
    rng = random.Random(11)
    kills = 0
    while kills < 10 and _states(instance).get("queued", 0) + _states(instance).get("sending", 0) > 0:
        instance.start()
        wait_for(lambda: "outbox worker started" in instance.logs().rsplit("postdesk running", 1)[-1],
                 timeout=60, what="the daemon to start")
        time.sleep(rng.uniform(0.1, 0.7))
        instance.stop(signal.SIGKILL)
        kills += 1
    instance.start()
    wait_for(lambda: _states(instance).get("sent", 0) == 1000, timeout=300, interval=1, what="every mail sent")
    arrivals = _settled_arrivals(mailbox, 1000)
    assert set(ids) <= set(arrivals), f"lost: {sorted(set(ids) - set(arrivals))[:5]}"
    doubled = {message_id: count for message_id, count in arrivals.items() if count > 1}
    print(f"\n1000 mails, {kills} kills: {len(doubled)} arrived twice ({sorted(doubled)})")
    assert all(count == 2 for count in doubled.values()), doubled
    assert len(doubled) <= kills, f"{len(doubled)} doubled in {kills} kills"
    assert _states(instance) == {"sent": 1000}


def test_postfix_down_sends_everything_within_seconds_of_its_return(desk, mailbox):
    instance = desk()
    _schema_ready(instance)
    mailbox.mailstack("stop-postfix")
    try:
        ids = _queue(instance, 100, "outage")
        wait_for(lambda: "sending paused" in instance.logs(), timeout=30, what="the pause")
        time.sleep(60)
        assert _states(instance) == {"queued": 100}, "no mail is charged with the outage"
    finally:
        mailbox.mailstack("start-postfix")
    back = time.monotonic()
    wait_for(lambda: _states(instance).get("sent", 0) == 100, timeout=60, interval=0.2, what="every mail sent")
    took = time.monotonic() - back
    print(f"\nPostfix down 60 s: 100 queued mails all sent {took:.1f} s after its return")
    assert took <= 10, f"{took:.1f} s"
    assert set(ids) <= set(_settled_arrivals(mailbox, 100))
    assert "sending resumed" in instance.logs()


def test_wrong_smtp_password_for_40s_makes_no_dead_letter(desk, mailbox):
    instance = desk()
    _schema_ready(instance)
    password = mailbox.password(mailbox.support_user)
    mailbox.mailstack("set-password", mailbox.support_user, "changed-meanwhile")
    try:
        ids = _queue(instance, 50, "password")
        wait_for(lambda: "sending paused" in instance.logs(), timeout=30, what="the pause")
        time.sleep(40)
        assert _states(instance) == {"queued": 50}
        assert "535" in instance.logs(), "the log says the server refused the login"
    finally:
        mailbox.mailstack("set-password", mailbox.support_user, password)
    wait_for(lambda: _states(instance).get("sent", 0) == 50, timeout=30, interval=0.2, what="every mail sent")
    assert set(ids) <= set(_settled_arrivals(mailbox, 50))
    assert "changed-meanwhile" not in instance.logs() and password not in instance.logs()


def test_a_30s_exclusive_lock_by_another_process_makes_no_dead_letter(desk, mailbox):
    instance = desk()
    _schema_ready(instance)
    ids = _queue(instance, 50, "lock")
    path = instance.folder / "data" / "postdesk.sqlite"
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        db.execute("BEGIN EXCLUSIVE")
        time.sleep(30)
        assert instance.alive()
    finally:
        db.execute("COMMIT")
        db.close()
    wait_for(lambda: _states(instance).get("sent", 0) == 50, timeout=60, interval=0.2, what="every mail sent")
    assert _states(instance) == {"sent": 50}
    assert set(ids) <= set(_settled_arrivals(mailbox, 50))
