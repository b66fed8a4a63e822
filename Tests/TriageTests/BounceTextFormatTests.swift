@testable import Triage

/// Hand-written non-standard bounces: plain-text notifications of the common mail systems.
extension BounceFixtures {
    static let plainText: [BounceFixture] = [
        BounceFixture(
            name: "Postfix without a report part",
            raw: """
                From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
                To: support@example.test
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/mixed; boundary="P"

                --P
                Content-Description: Notification
                Content-Type: text/plain

                This is the Postfix program at host mx.example.net.

                I'm sorry to have to inform you that the message returned
                below could not be delivered to one or more destinations.

                <kim@example.org>: host mail.example.org[192.0.2.4] said: 550 5.1.1
                    <kim@example.org>... User unknown

                --P
                Content-Description: Undelivered Message
                Content-Type: message/rfc822

                Message-ID: <tkt.10@example.test>
                From: support@example.test
                To: kim@example.org

                Hi
                --P--
                """,
            kind: .bounce, recipients: ["kim@example.org failed 5.1.1"], originalMessageID: "tkt.10@example.test"),
        BounceFixture(
            name: "Exim with X-Failed-Recipients and an inline copy",
            raw: """
                X-Failed-Recipients: lee@example.org
                Auto-Submitted: auto-replied
                From: Mail Delivery System <Mailer-Daemon@mx.example.net>
                To: support@example.test
                Subject: Mail delivery failed: returning message to sender

                This message was created automatically by mail delivery software.

                A message that you sent could not be delivered to one or more of its
                recipients. This is a permanent error. The following address(es) failed:

                  lee@example.org
                    host mail.example.org [192.0.2.5]
                    SMTP error from remote mail server after RCPT TO:<lee@example.org>:
                    550 5.1.1 <lee@example.org>: Recipient address rejected: User unknown

                ------ This is a copy of the message, including all the headers. ------

                Return-path: <support@example.test>
                Message-ID: <tkt.11@example.test>
                From: support@example.test
                To: lee@example.org

                Hi
                """,
            kind: .bounce, recipients: ["lee@example.org failed 5.1.1"], originalMessageID: "tkt.11@example.test"),
        BounceFixture(
            name: "Exim delay warning",
            raw: """
                From: Mail Delivery System <Mailer-Daemon@mx.example.net>
                To: support@example.test
                Subject: Warning: message 1qAbCd-0001xY-Zz delayed 24 hours

                This message was created automatically by mail delivery software.
                A message that you sent has not yet been delivered to one or more of its
                recipients after more than 24 hours on the queue on mx.example.net.

                The message identifier is:     1qAbCd-0001xY-Zz

                The address to which the message has not yet been delivered is:

                  max@example.org
                    host mail.example.org [192.0.2.6]
                    Connection timed out

                No action is required on your part. Delivery attempts will continue for
                some time, and this warning may be repeated at intervals if the message
                remains undelivered. Eventually the mail delivery software will give up,
                and when that happens, the message will be returned to you.
                """,
            kind: .delay, recipients: ["max@example.org delayed 4.4.1"], originalMessageID: nil),
        BounceFixture(
            name: "qmail",
            raw: """
                From: MAILER-DAEMON@mx.example.net
                To: support@example.test
                Subject: failure notice

                Hi. This is the qmail-send program at mx.example.net.
                I'm afraid I wasn't able to deliver your message to the following addresses.
                This is a permanent error; I've given up. Sorry it didn't work out.

                <ned@example.org>:
                Sorry, no mailbox here by that name. (#5.1.1)

                <ola@example.org>:
                192.0.2.8 does not like recipient.
                Remote host said: 552 Mailbox quota exceeded
                Giving up on 192.0.2.8.

                --- Below this line is a copy of the message.

                Return-Path: <support@example.test>
                Message-ID: <tkt.12@example.test>
                To: ned@example.org, ola@example.org, pat@example.org
                """,
            kind: .bounce, recipients: ["ned@example.org failed 5.1.1", "ola@example.org failed 5.2.2"],
            originalMessageID: "tkt.12@example.test"),
        BounceFixture(
            name: "old Sendmail text with a transcript",
            raw: """
                From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
                To: support@example.test
                Subject: Returned mail: User unknown

                The original message was received at Mon, 1 Jan 2024 10:00:00 +0100
                from support.example.test [192.0.2.1]

                   ----- The following addresses had permanent fatal errors -----
                <quinn@example.org>

                   ----- Transcript of session follows -----
                ... while talking to mail.example.org.:
                >>> MAIL From:<support@example.test> SIZE=1200
                <<< 250 ok
                >>> RCPT To:<quinn@example.org>
                <<< 550 5.1.1 <quinn@example.org>... User unknown
                550 5.1.1 <quinn@example.org>... User unknown

                   ----- Message header follows -----
                Message-ID: <tkt.13@example.test>
                """,
            kind: .bounce, recipients: ["quinn@example.org failed 5.1.1"], originalMessageID: "tkt.13@example.test"),
        BounceFixture(
            name: "Sendmail warning",
            raw: """
                From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
                To: support@example.test
                Subject: Warning: could not send message for past 4 hours

                    **********************************************
                    **      THIS IS A WARNING MESSAGE ONLY      **
                    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **
                    **********************************************

                The original message was received at Mon, 1 Jan 2024 10:00:00 +0100

                   ----- Transcript of session follows -----
                rae@example.org... Deferred: Connection refused by mail.example.org.
                Warning: message still undelivered after 4 hours
                Will keep trying until message is 5 days old
                """,
            kind: .delay, recipients: ["rae@example.org delayed 4.4.1"], originalMessageID: nil),
        BounceFixture(
            name: "Gmail, address not found",
            raw: """
                Return-Path: <>
                From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
                To: support@example.test
                Subject: Delivery Status Notification (Failure)
                In-Reply-To: <tkt.14@example.test>

                ** Address not found **

                Your message wasn't delivered to sam@example.org because the address couldn't be found, or is
                unable to receive mail.

                The response from the remote server was:
                550 5.1.1 The email account that you tried to reach does not exist.
                """,
            kind: .bounce, recipients: ["sam@example.org failed 5.1.1"], originalMessageID: "tkt.14@example.test"),
        BounceFixture(
            name: "Gmail delay",
            raw: """
                From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
                To: support@example.test
                Subject: Delivery Status Notification (Delay)

                ** Message not delivered yet **

                There was a temporary problem delivering your message to tom@example.org. Gmail will retry for
                46 more hours. You'll be notified if the delivery fails permanently.
                """,
            kind: .delay, recipients: ["tom@example.org delayed 4.0.0"], originalMessageID: nil),
        BounceFixture(
            name: "Yahoo",
            raw: """
                From: MAILER-DAEMON@yahoo.example
                To: support@example.test
                Subject: Delivery failure

                Message from yahoo.example.
                Unable to deliver message to the following address(es).

                <uma@example.org>:
                Sorry your message to uma@example.org cannot be delivered. This account has been disabled or
                discontinued.

                --- Original message follows.
                """,
            kind: .bounce, recipients: ["uma@example.org failed 5.2.1"], originalMessageID: nil),
    ]
}
