import Foundation
import MailModel
import Testing

@testable import MIME

/// Helpers shared by the message writer tests.
enum WriterFixture {
    static let date = Date(timeIntervalSince1970: 1_775_549_109)  // Tue, 07 Apr 2026 08:05:09 +0000

    static func mail(
        from: EmailAddress = EmailAddress(name: "Alice via Support", address: "support@example.test"),
        to: [EmailAddress] = [EmailAddress(address: "customer@example.test")],
        cc: [EmailAddress] = [], replyTo: EmailAddress? = nil, subject: String = "Hello",
        messageID: String = "m1@example.test", inReplyTo: String? = nil, references: [String] = [],
        text: String = "Hi\n", html: String? = nil, fields: [OutgoingMail.Field] = []
    ) -> OutgoingMail {
        OutgoingMail(
            from: from, to: to, cc: cc, replyTo: replyTo, subject: subject, messageID: messageID,
            inReplyTo: inReplyTo, references: references, date: date, text: text, html: html, fields: fields)
    }

    /// Renders with a fixed boundary generator.
    static func render(_ mail: OutgoingMail) throws -> [UInt8] {
        var generator = SeededGenerator(state: 42)
        return try MessageWriter.render(mail, using: &generator)
    }

    static func roundTrip(_ mail: OutgoingMail) throws -> ParsedMail {
        try MIMEParser().parse(render(mail))
    }

    /// The header block's lines (up to the first empty line), without their CRLF.
    static func headerLines(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        for line in text(bytes).components(separatedBy: "\r\n") {
            if line.isEmpty { break }
            lines.append(line)
        }
        return lines
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// True when every LF is preceded by CR and every CR followed by LF.
    static func hasOnlyCRLF(_ bytes: [UInt8]) -> Bool {
        for (index, byte) in bytes.enumerated() {
            if byte == 10, index == 0 || bytes[index - 1] != 13 { return false }
            if byte == 13, index + 1 >= bytes.count || bytes[index + 1] != 10 { return false }
        }
        return true
    }

    /// Text with every line break as `\n` and one final line break, as the writer delivers a body.
    static func expectedBody(_ text: String) -> String {
        let normalized = TextBody.normalizeLineEnds(text)
        return normalized.isEmpty || normalized.hasSuffix("\n") ? normalized : normalized + "\n"
    }
}

@Suite("Message writer: whole messages")
struct MessageWriterTests {
    @Test func goldenTextMessage() throws {
        let mail = WriterFixture.mail(
            to: [
                EmailAddress(name: "Jürgen Müller", address: "jm@example.test"),
                EmailAddress(address: "bob@example.test"),
            ],
            replyTo: EmailAddress(address: "support@example.test"),
            subject: "Re: Café order [TKT-7F3KQ9]",
            messageID: "tkt-7f3kq9.2@example.test", inReplyTo: "cust-1@example.test",
            references: ["root@example.test", "cust-1@example.test"],
            text: "Bonjour,\nvotre café = prêt.\n", fields: [.init("Auto-Submitted", "auto-replied")])
        let expected = """
            Date: Tue, 07 Apr 2026 08:05:09 +0000\r
            From: "Alice via Support" <support@example.test>\r
            To: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.test>, bob@example.test\r
            Reply-To: support@example.test\r
            Subject: Re: =?UTF-8?Q?Caf=C3=A9?= order [TKT-7F3KQ9]\r
            Message-ID: <tkt-7f3kq9.2@example.test>\r
            In-Reply-To: <cust-1@example.test>\r
            References: <root@example.test>\r
             <cust-1@example.test>\r
            MIME-Version: 1.0\r
            Auto-Submitted: auto-replied\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Bonjour,\r
            votre caf=C3=A9 =3D pr=C3=AAt.\r

            """
        #expect(WriterFixture.text(try WriterFixture.render(mail)) == expected)
    }

    @Test func goldenAlternativeMessage() throws {
        let mail = WriterFixture.mail(text: "Hi *there*\n", html: "<p>Hi <b>there</b></p>\n")
        let expected = """
            Date: Tue, 07 Apr 2026 08:05:09 +0000\r
            From: "Alice via Support" <support@example.test>\r
            To: customer@example.test\r
            Subject: Hello\r
            Message-ID: <m1@example.test>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/alternative;\r
             boundary="=_BOUNDARY"\r
            \r
            --=_BOUNDARY\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Hi *there*\r
            \r
            --=_BOUNDARY\r
            Content-Type: text/html; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            <p>Hi <b>there</b></p>\r
            \r
            --=_BOUNDARY--\r

            """
        var generator = SeededGenerator(state: 42)
        let boundary = MessageWriter.makeBoundary(using: &generator)
        let rendered = WriterFixture.text(try WriterFixture.render(mail))
        #expect(rendered.replacingOccurrences(of: boundary, with: "=_BOUNDARY") == expected)
        let parsed = try MIMEParser().parse(Array(rendered.utf8))
        #expect(parsed.text == "Hi *there*\n")
        #expect(parsed.html == "<p>Hi <b>there</b></p>\r\n")
    }

    @Test func boundariesDifferAndAreWellFormed() throws {
        let mail = WriterFixture.mail(html: "<p>x</p>")
        let first = WriterFixture.text(try MessageWriter.render(mail))
        let second = WriterFixture.text(try MessageWriter.render(mail))
        #expect(first != second)
        let parsed = try MIMEParser().parse(Array(first.utf8))
        let boundary = try #require(parsed.root.contentType["boundary"])
        #expect(boundary.hasPrefix("=_") && boundary.count == 30)
        #expect(parsed.root.children.map(\.mimeType) == ["text/plain", "text/html"])
        #expect(parsed.defects.isEmpty)
    }

    static let sevenBitBodies: [(String, String)] = [
        ("Hello\nworld\n", "7bit"),
        ("", "7bit"),
        ("tab\there\n", "7bit"),
        (String(repeating: "a", count: 76), "7bit"),
        (String(repeating: "a", count: 77), "quoted-printable"),
        ("trailing space \n", "quoted-printable"),
        (".hidden\n", "quoted-printable"),
        ("From here\n", "quoted-printable"),
        ("caf\u{E9}\n", "quoted-printable"),
        ("bell\u{7}\n", "quoted-printable"),
    ]

    @Test(arguments: sevenBitBodies)
    func transferEncodingOfTextBodies(_ text: String, _ encoding: String) throws {
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(text: text))
        #expect(parsed.root.transferEncoding == encoding)
        #expect(parsed.root.mimeType == "text/plain")
        #expect(parsed.root.charset == "utf-8")
        #expect(parsed.text == WriterFixture.expectedBody(text))
    }

    static let dates: [(TimeInterval, String)] = [
        (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"),
        (1_775_549_109.9, "Tue, 07 Apr 2026 08:05:09 +0000"),
        (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 +0000"),
        (1e300, "Fri, 31 Dec 9999 23:59:59 +0000"),
        (-1e300, "Mon, 01 Jan 0001 00:00:00 +0000"),
    ]

    @Test(arguments: dates)
    func dateFormat(_ interval: TimeInterval, _ expected: String) {
        #expect(MessageWriter.formatDate(Date(timeIntervalSince1970: interval)) == expected)
    }

    @Test func dateRoundTrip() throws {
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail())
        #expect(parsed.date?.date == WriterFixture.date)
        #expect(parsed.date?.utcOffsetSeconds == 0)
    }

    static let addresses: [(EmailAddress, String)] = [
        (EmailAddress(address: "a@example.test"), "a@example.test"),
        (EmailAddress(name: "", address: "a@example.test"), "a@example.test"),
        (EmailAddress(name: "Ada", address: "a@example.test"), "\"Ada\" <a@example.test>"),
        (EmailAddress(name: "Lovelace, Ada", address: "a@x.test"), "\"Lovelace, Ada\" <a@x.test>"),
        (EmailAddress(name: "Say \"hi\" \\o/", address: "a@x.test"), "\"Say \\\"hi\\\" \\\\o/\" <a@x.test>"),
        (EmailAddress(name: "Zoë", address: "z@x.test"), "=?UTF-8?Q?Zo=C3=AB?= <z@x.test>"),
        (EmailAddress(name: "山田太郎", address: "y@x.test"), "=?UTF-8?B?5bGx55Sw5aSq6YOO?= <y@x.test>"),
        (EmailAddress(name: "=?utf-8?q?x?=", address: "a@x.test"), "=?UTF-8?Q?=3D=3Futf-8=3Fq=3Fx=3F=3D?= <a@x.test>"),
        (EmailAddress(address: "o'brien+tag@[192.0.2.1]"), "o'brien+tag@[192.0.2.1]"),
    ]

    @Test(arguments: addresses)
    func formatAddress(_ address: EmailAddress, _ expected: String) throws {
        #expect(try MessageWriter.formatAddress(address) == expected)
        let parsed = AddressParser.parse(expected)
        #expect(parsed.map(\.address) == [address.address])
        #expect(parsed.first?.name == (address.name?.isEmpty == false ? address.name : nil))
    }

    @Test func encodedWordHelper() {
        #expect(EncodedWord.encode("plain ASCII, kept") == "plain ASCII, kept")
        #expect(EncodedWord.encode("Grüße aus München") == "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?UTF-8?Q?M=C3=BCnchen?=")
        #expect(EncodedWord.encode("東京からのお問い合わせ") == "=?UTF-8?B?5p2x5Lqs44GL44KJ44Gu44GK5ZWP44GE5ZCI44KP44Gb?=")
        #expect(EncodedWord.encode("a\r\nBcc: x@y") == "a  Bcc: x@y")
        #expect(EncodedWord.decode(EncodedWord.encode("déjà vu, encore")) == "déjà vu, encore")
    }

    @Test func quotedPrintableHelper() {
        let cases: [(String, String)] = [
            ("Café = 3 €  \n", "Caf=C3=A9 =3D 3 =E2=82=AC =20\r\n"),
            ("From the desk\n.\n", "=46rom the desk\r\n=2E\r\n"),
            ("a\rb\r\nc\nd", "a\r\nb\r\nc\r\nd"),
            ("tab\t\n", "tab=09\r\n"),
            ("", ""),
        ]
        for (input, expected) in cases {
            #expect(WriterFixture.text(QuotedPrintable.encode(input)) == expected)
        }
    }
}
