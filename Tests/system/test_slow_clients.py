"""Slow clients never starve the mail: the daemon runs with 1,024 open files (`ulimit -n 1024`) while
2,000 idle TCP connections to its portal are held for 60 s (each one the server closes is opened
again at once), and mail keeps arriving in the mail stack's inbox. Every mail must be taken in, the
daemon must stay up, and once the clients are gone the portal must answer again.
"""
import errno
import os
import resource
import socket
import time
import urllib.request

from conftest import wait_for

CONNECTIONS = 2000
HOLD_SECONDS = 60
MAILS = 12
OPEN_FILES = 1024


class IdleCrowd:
    """Many TCP connections that never send a byte; any the server closes is replaced."""

    def __init__(self, port, size):
        self.port = port
        self.sockets = [self._open() for _ in range(size)]
        self.reopened = 0

    def _open(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", self.port))  # in progress; the kernel finishes it
        return sock

    def refresh(self):
        """Replaces the connections the server has closed (a read says end of file, or an error)."""
        for index, sock in enumerate(self.sockets):
            try:
                if sock.recv(1, socket.MSG_PEEK) != b"":
                    continue  # the server sent something (it never should); keep it anyway
            except BlockingIOError:
                continue  # open and silent
            except OSError as error:
                if error.errno in (errno.ENOTCONN, errno.EAGAIN):
                    continue  # still connecting
            sock.close()
            self.sockets[index] = self._open()
            self.reopened += 1

    def close(self):
        for sock in self.sockets:
            sock.close()
        self.sockets = []


def test_idle_connections_do_not_stop_the_mail(daemon, mailbox):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = CONNECTIONS + 512
    if soft < wanted:
        assert hard >= wanted, f"this test needs {wanted} open files; the hard limit is {hard}"
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    instance = daemon().start(open_files=OPEN_FILES)
    base = instance.portal_ready()
    crowd = IdleCrowd(instance.portal_port, CONNECTIONS)
    try:
        start = time.monotonic()
        sent = 0
        most_open = 0
        while time.monotonic() - start < HOLD_SECONDS:
            if sent < MAILS and time.monotonic() - start >= sent * (HOLD_SECONDS - 10) / MAILS:
                mailbox.swaks(sender=f"slow{sent}@example.test", subject=f"Slow client test {sent}",
                              body=f"Mail number {sent} while the portal is crowded.")
                sent += 1
            crowd.refresh()
            most_open = max(most_open, len(os.listdir(f"/proc/{instance.process.pid}/fd")))
            assert instance.alive(), f"the daemon exited:\n{instance.logs()[-3000:]}"
            time.sleep(0.5)
        # Every mail was taken in while the crowd was there.
        wait_for(lambda: instance.scalar("SELECT COUNT(*) FROM ticket WHERE subject LIKE 'Slow client test %'") == MAILS,
                 timeout=30, what=f"{MAILS} tickets")
        assert instance.scalar("SELECT COUNT(*) FROM inboundMail") == MAILS
    finally:
        crowd.close()
    print(f"idle connections replaced after the server closed them: {crowd.reopened}; "
          f"most descriptors the daemon had open: {most_open} of {OPEN_FILES}")
    assert crowd.reopened > 0, "the server closed none of the idle connections: no header timeout at work"
    # The cap (512 of 1,024) kept a reserve of descriptors for the mailboxes and the database.
    assert most_open < OPEN_FILES - 200, f"the daemon had {most_open} of {OPEN_FILES} descriptors open"
    with urllib.request.urlopen(base + "/portal", timeout=20) as response:
        assert response.status == 200
    assert instance.alive()
    logs = instance.logs()
    assert "connection cap" in logs, "reaching the cap is logged"
    assert "Too many open files" not in logs and "EMFILE" not in logs
