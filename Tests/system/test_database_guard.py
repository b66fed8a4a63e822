"""A daemon whose database went missing or empty refuses to start, says why and how to restore, and
touches nothing: the raw mails, the signing key and the marker stay as they were."""
import hashlib
import os
import sqlite3
import subprocess

from conftest import BINARY, wait_for


def snapshot(folder):
    """Every file under `folder` with the SHA-256 of its bytes; not the daemon's lock, which each start
    writes (its process id) before it opens the database."""
    found = {}
    for root, _, names in os.walk(folder):
        for name in names:
            if name == "postdesk.lock":
                continue
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def run_refused(instance):
    """`postdesk run` on the daemon's configuration: its exit code and what it said."""
    result = subprocess.run([str(BINARY), "run", "--config", str(instance.config)],
                            capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


def daemon_with_tickets(daemon, mailbox, count=3):
    instance = daemon().start()
    for index in range(count):
        mailbox.swaks(sender=f"customer{index}@example.test", subject=f"Ticket {index}", body="hello")
    wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket") == count, what=f"{count} tickets")
    wait_for(lambda: mailbox.count("INBOX") == 0, what="the mails acknowledged")
    assert instance.stop() == 0
    return instance


def test_a_truncated_database_is_refused_and_nothing_is_touched(daemon, mailbox, tmp_path):
    instance = daemon_with_tickets(daemon, mailbox)
    data = instance.folder / "data"
    database = data / "postdesk.sqlite"
    backup = tmp_path / "backup.sqlite"
    with sqlite3.connect(database) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    assert (data / "database.id").exists() and (data / "secret.key").exists()
    assert any((data / "files" / "raw").rglob("*")), "the raw mails are stored"

    with open(database, "r+b") as handle:
        handle.truncate(0)
    for suffix in ("-wal", "-shm"):
        (data / f"postdesk.sqlite{suffix}").unlink(missing_ok=True)
    before = snapshot(data)

    code, output = run_refused(instance)
    assert code != 0
    assert f"refusing to open the database {database}: it is empty (0 bytes)" in output
    assert f"{data / 'database.id'} records that a database was created here" in output
    assert f"copy the last backup of postdesk.sqlite to {database}" in output
    assert "To start afresh with an empty database instead, move" in output
    assert snapshot(data) == before, "the refusal changed the data folder"
    assert database.stat().st_size == 0

    # The operator commands refuse the same way.
    listed = instance.postdesk("ticket", "list", check=False)
    assert listed.returncode != 0 and "it is empty (0 bytes)" in listed.stderr
    assert snapshot(data) == before

    # Restored as the message says, the daemon starts with its tickets.
    backup.replace(database)
    assert instance.postdesk("ticket", "list").stdout.count("Ticket ") == 3
    restarted = instance.start()
    restarted.portal_ready()
    assert restarted.scalar("SELECT COUNT(*) FROM ticket") == 3


def test_a_missing_database_is_refused(daemon, mailbox):
    instance = daemon_with_tickets(daemon, mailbox, count=1)
    data = instance.folder / "data"
    for suffix in ("", "-wal", "-shm"):
        (data / f"postdesk.sqlite{suffix}").unlink(missing_ok=True)
    before = snapshot(data)
    code, output = run_refused(instance)
    assert code != 0
    assert f"refusing to open the database {data / 'postdesk.sqlite'}: it is missing" in output
    assert snapshot(data) == before
    assert not (data / "postdesk.sqlite").exists()


def test_a_text_file_in_place_of_the_database_is_named(daemon, mailbox):
    instance = daemon_with_tickets(daemon, mailbox, count=1)
    database = instance.folder / "data" / "postdesk.sqlite"
    for suffix in ("-wal", "-shm"):
        (instance.folder / "data" / f"postdesk.sqlite{suffix}").unlink(missing_ok=True)
    database.write_text("these are my notes, not a database\n" * 200)
    code, output = run_refused(instance)
    assert code != 0
    assert f"cannot open the database {database}:" in output
    assert database.read_text().startswith("these are my notes")
