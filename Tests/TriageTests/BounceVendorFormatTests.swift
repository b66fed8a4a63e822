@testable import Triage

/// Hand-written notifications of groupware and appliance mail systems.
extension BounceFixtures {
    static let vendors: [BounceFixture] = [
        BounceFixture(
            name: "Exchange 2003 with an X.400 style address",
            raw: """
                From: System Administrator <postmaster@corp.example.net>
                To: support@example.test
                Subject: Undeliverable: Your ticket
                Content-Type: multipart/mixed; boundary="X"

                --X
                Content-Type: text/plain

                Your message

                  To:      Vic <vic@example.org>
                  Subject: Your ticket
                  Sent:    Mon, 1 Jan 2024 10:00:00 +0100

                did not reach the following recipient(s):

                c=US;a= ;p=Corp;o=Main;dda:SMTP=vic@example.org; on Mon, 1 Jan 2024 10:00:05 +0100
                    The recipient name is not recognized
                    MSEXCH:IMS:Corp:Main:MAIN01 0 (000C05A6) Unknown Recipient
                --X
                Content-Type: message/rfc822

                Message-ID: <tkt.20@example.test>
                From: support@example.test
                To: Vic <vic@example.org>

                Hi
                --X--
                """,
            kind: .bounce, recipients: ["vic@example.org failed 5.1.1"], originalMessageID: "tkt.20@example.test"),
        BounceFixture(
            name: "Exchange 2010 and Office 365 text",
            raw: """
                From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example.net>
                To: support@example.test
                Subject: Undeliverable: Your ticket
                Auto-Submitted: auto-replied

                Delivery has failed to these recipients or groups:

                Wes Lane (wes.lane@example.org)<mailto:wes.lane@example.org>
                The email address you entered couldn't be found. Please check the recipient's email address and try
                to resend the message.

                Diagnostic information for administrators:

                Generating server: MAIL01.corp.example.net

                wes.lane@example.org
                Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP
                address lookup'

                Original message headers:

                Message-ID: <tkt.21@example.test>
                """,
            kind: .bounce, recipients: ["wes.lane@example.org failed 5.1.10"],
            originalMessageID: "tkt.21@example.test"),
        BounceFixture(
            name: "Lotus Domino",
            raw: """
                From: Postmaster@notes.example.net
                To: support@example.test
                Subject: DELIVERY FAILURE: User Xena (xena@example.org) not listed in Domino Directory

                Your message

                  Subject: Your ticket

                was not delivered to:

                  xena@example.org

                because:

                  User Xena (xena@example.org) not listed in Domino Directory
                """,
            kind: .bounce, recipients: ["xena@example.org failed 5.1.1"], originalMessageID: nil),
        BounceFixture(
            name: "GroupWise",
            raw: """
                From: GWIA <gwia@gw.example.net>
                To: support@example.test
                Subject: Message status - undeliverable
                Content-Type: multipart/mixed; boundary="G"

                --G
                Content-Type: text/plain

                The message that you sent was undeliverable to the following:
                \tyan@example.org (user not found)

                Possible causes: the address is misspelled.
                --G
                Content-Type: message/rfc822

                Message-ID: <tkt.22@example.test>
                From: support@example.test

                Hi
                --G--
                """,
            kind: .bounce, recipients: ["yan@example.org failed 5.1.1"], originalMessageID: "tkt.22@example.test"),
        BounceFixture(
            name: "SMTP32",
            raw: """
                From: "Postmaster" <postmaster@smtp32.example.net>
                To: support@example.test
                Subject: Undeliverable Mail

                Unknown user: zoe@example.org

                RCPT TO generated following response:
                553 5.3.0 <zoe@example.org>... Addressee unknown

                Original message follows.
                """,
            kind: .bounce, recipients: ["zoe@example.org failed 5.3.0"], originalMessageID: nil),
        BounceFixture(
            name: "AOL with a bare screen name",
            raw: """
                From: "Mail Delivery Subsystem" <MAILER-DAEMON@aol.example>
                To: support@example.test
                Subject: Mail Delivery Problem

                Your mail to the following recipients could not be delivered because they are not accepting
                mail from support@example.test:
                \tabby123
                """,
            kind: .bounce, recipients: ["abby123@aol.example failed 5.2.1"], originalMessageID: nil),
        BounceFixture(
            name: "CompuServe",
            raw: """
                From: CompuServe Postmaster <postmaster@csi.example.net>
                To: support@example.test
                Subject: Undeliverable Message

                Your message could not be delivered as addressed.

                Invalid receiver address: ben@csi.example.net
                """,
            kind: .bounce, recipients: ["ben@csi.example.net failed 5.1.1"], originalMessageID: nil),
        BounceFixture(
            name: "virus scanner relay without a daemon sender",
            raw: """
                From: scanner@gw.example.net
                To: support@example.test
                Subject: Mail could not be delivered
                Content-Type: multipart/mixed; boundary="V"

                --V
                Content-Type: text/plain

                ****** Message from the mail gateway ******
                Sent <<< RCPT TO:<cat@example.org>
                Received >>> 550 5.1.1 unknown user.
                Unable to deliver message to <cat@example.org>.
                --V
                Content-Type: message/rfc822

                Message-ID: <tkt.23@example.test>
                From: support@example.test

                Hi
                --V--
                """,
            kind: .bounce, recipients: ["cat@example.org failed 5.1.1"], originalMessageID: "tkt.23@example.test"),
    ]
}
