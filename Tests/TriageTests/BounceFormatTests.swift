@testable import Triage

/// Hand-written bounces in the shapes real mail systems send. Addresses use example domains; the
/// mail that bounced was sent by support@example.test.
enum BounceFixtures {
    /// RFC 3464 reports.
    static let standard: [BounceFixture] = [
        BounceFixture(
            name: "RFC 3464 from Postfix, original recipient preferred",
            raw: """
                Return-Path: <>
                From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
                To: support@example.test
                Subject: Undelivered Mail Returned to Sender
                Auto-Submitted: auto-replied
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

                --B1
                Content-Description: Notification
                Content-Type: text/plain; charset=us-ascii

                This is the mail system at host mx.example.net.

                I'm sorry to have to inform you that your message could not
                be delivered to one or more recipients.

                <ada@example.org> (expanded from <sales@example.org>): host
                    mail.example.org[192.0.2.7] said: 550 5.1.1 <ada@example.org>: Recipient
                    address rejected: User unknown in local recipient table

                --B1
                Content-Description: Delivery report
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example.net
                Arrival-Date: Mon,  1 Jan 2024 10:00:00 +0000 (UTC)

                Final-Recipient: rfc822; ada@example.org
                Original-Recipient: rfc822;sales@example.org
                Action: failed
                Status: 5.1.1
                Remote-MTA: dns; mail.example.org
                Diagnostic-Code: smtp; 550 5.1.1 <ada@example.org>: Recipient address
                    rejected: User unknown in local recipient table

                --B1
                Content-Description: Undelivered Message
                Content-Type: message/rfc822

                From: Support <support@example.test>
                To: sales@example.org
                Subject: Your ticket [TKT-7F3KQ9]
                Message-ID: <tkt.1.abc@example.test>

                Hello
                --B1--
                """,
            kind: .bounce, recipients: ["sales@example.org failed 5.1.1"], originalMessageID: "tkt.1.abc@example.test"),
        BounceFixture(
            name: "RFC 3464 with header-only return and two recipients, one still delayed",
            raw: """
                From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
                To: <support@example.test>
                Subject: Returned mail: see transcript for details
                Content-Type: multipart/report; report-type=delivery-status; boundary="K"

                --K
                Content-Type: text/plain

                The original message was received at Mon, 1 Jan 2024 10:00:00 GMT
                   ----- The following addresses had permanent fatal errors -----
                <bob@example.org>
                --K
                Content-Type: message/delivery-status

                Reporting-MTA: dns; relay.example.net

                Final-Recipient: RFC822; bob@example.org
                Action: failed
                Status: 5.2.2
                Diagnostic-Code: SMTP; 552 5.2.2 <bob@example.org>... Mailbox full

                Final-Recipient: RFC822; carol@example.org
                Action: delayed
                Status: 4.4.1
                --K
                Content-Type: text/rfc822-headers

                From: support@example.test
                Message-ID: <tkt.2@example.test>
                Subject: Re: Printer
                --K--
                """,
            kind: .bounce, recipients: ["bob@example.org failed 5.2.2", "carol@example.org delayed 4.4.1"],
            originalMessageID: "tkt.2@example.test"),
        BounceFixture(
            name: "RFC 3464 delay warning",
            raw: """
                From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
                To: support@example.test
                Subject: Delayed Mail (still being retried)
                Content-Type: multipart/report; report-type=delivery-status; boundary="D"

                --D
                Content-Type: text/plain

                This is the mail system at host relay.example.net.
                ####################################################################
                # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
                ####################################################################
                --D
                Content-Type: message/delivery-status

                Reporting-MTA: dns; relay.example.net

                Final-Recipient: rfc822; dora@example.org
                Action: delayed
                Status: 4.4.1
                Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.9]:25: Connection timed out
                --D--
                """,
            kind: .delay, recipients: ["dora@example.org delayed 4.4.1"], originalMessageID: nil),
        BounceFixture(
            name: "Microsoft SMTPSVC report in multipart/mixed without a status code",
            raw: """
                From: postmaster@exchange.example.net
                To: support@example.test
                Subject: Delivery Status Notification (Failure)
                Content-Type: multipart/mixed; boundary="9B095B5ADSN="

                This is a MIME-formatted message.

                --9B095B5ADSN=
                Content-Type: text/plain; charset=unicode-1-1-utf-7

                This is an automatically generated Delivery Status Notification.

                Delivery to the following recipients failed.

                       erin@example.org

                --9B095B5ADSN=
                Content-Type: message/delivery-status

                Reporting-MTA: dns;exchange.example.net

                Final-Recipient: rfc822;erin@example.org
                Action: failure
                Diagnostic-Code: smtp;552 mailbox full

                --9B095B5ADSN=
                Content-Type: message/rfc822

                Message-ID: <tkt.3@example.test>
                From: support@example.test
                Subject: Hello

                Hi
                --9B095B5ADSN=--
                """,
            kind: .bounce, recipients: ["erin@example.org failed 5.2.2"], originalMessageID: "tkt.3@example.test"),
        BounceFixture(
            name: "Sieve rejection notice (RFC 5429)",
            raw: """
                Return-Path: <>
                From: Mail Delivery Subsystem <admin@mail.example.org>
                To: support@example.test
                Subject: Automatically rejected mail
                Auto-Submitted: auto-replied (rejected)
                Content-Type: multipart/report; report-type=disposition-notification; boundary="S"

                --S
                Content-Type: text/plain; charset=utf-8

                Your message to <fred@example.org> was automatically rejected:
                Quota exceeded (mailbox for user is full)
                --S
                Content-Type: message/disposition-notification

                Reporting-UA: mail.example.org; Dovecot Mail Delivery Agent
                Final-Recipient: rfc822; fred@example.org
                Original-Message-ID: <tkt.4@example.test>
                Disposition: automatic-action/MDN-sent-automatically; deleted
                --S--
                """,
            kind: .bounce, recipients: ["fred@example.org failed 5.2.2"], originalMessageID: "tkt.4@example.test"),
    ]

    /// A success notice: every recipient was reached.
    static let success = """
        From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
        To: support@example.test
        Subject: Successful Mail Delivery Report
        Content-Type: multipart/report; report-type=delivery-status; boundary="OK"

        --OK
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.net

        Final-Recipient: rfc822; gina@example.org
        Action: delivered
        Status: 2.0.0
        --OK--
        """

    /// An abuse report in the Abuse Reporting Format (RFC 5965).
    static let feedback = """
        From: <abuse@isp.example.net>
        To: <abuse-reports@example.test>
        Subject: FW: Printer
        Content-Type: multipart/report; report-type=feedback-report; boundary="A"

        --A
        Content-Type: text/plain

        This is an email abuse report for an email message received from IP 192.0.2.1.
        --A
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: SomeGenerator/1.0
        Version: 1
        --A
        Content-Type: message/rfc822

        From: support@example.test
        Message-ID: <tkt.5@example.test>

        Hi
        --A--
        """

    /// A read receipt (RFC 8098).
    static let readReceipt = """
        From: Ada <ada@example.org>
        To: support@example.test
        Subject: Read: Your ticket
        Content-Type: multipart/report; report-type=disposition-notification; boundary="R"

        --R
        Content-Type: text/plain

        Your message was read on Monday.
        --R
        Content-Type: message/disposition-notification

        Final-Recipient: rfc822; ada@example.org
        Disposition: manual-action/MDN-sent-manually; displayed
        --R--
        """

    /// A customer writing about a delivery problem: not a bounce.
    static let personComplaint = """
        From: Hal <hal@example.org>
        To: support@example.test
        Subject: Undeliverable mail to your sales team
        Message-ID: <p1@example.org>

        Hello,

        since yesterday my mail to orders@example.test could not be delivered. The error says the
        mailbox is full. Can you check?

        Hal
        """

    /// A customer forwarding a bounce they received.
    static let personForward = """
        From: Ivy <ivy@example.org>
        To: support@example.test
        Subject: Fwd: Undelivered Mail Returned to Sender
        Message-ID: <p2@example.org>

        Why does this happen?

        ---------- Forwarded message ---------
        From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
        Subject: Undelivered Mail Returned to Sender

        <orders@example.test>: host mx.example.test said: 550 5.1.1 User unknown
        """

    /// A customer quoting a delivery failure in a reply.
    static let personQuote = """
        From: Jo <jo@example.org>
        To: support@example.test
        Subject: Re: Delivery failure
        Message-ID: <p3@example.org>

        Thanks, it works again now.

        > Your message could not be delivered because of a network problem.
        """
}
