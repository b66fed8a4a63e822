import Testing

@testable import MIME

@Suite("RFC 2045/2046 MIME trees and transfer encodings")
struct MIMETreeTests {
    @Test func nestedMultipartWithPreambleAndEpilogue() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=outer

            preamble text
            --outer
            Content-Type: multipart/alternative; boundary="outer_alt"

            --outer_alt
            Content-Type: text/plain

            plain
            --outer_alt
            Content-Type: text/html

            <p>html</p>
            --outer_alt--
            --outer
            Content-Type: application/zip; name=a.zip

            PK
            --outer--
            epilogue text
            """, crlf: true)
        #expect(mail.root.children.count == 2)
        #expect(mail.root.children[0].children.map(\.mimeType) == ["text/plain", "text/html"])
        guard case .multipart(let preamble, _, let epilogue) = mail.root.body else {
            Issue.record("not a multipart")
            return
        }
        #expect(String(decoding: preamble, as: UTF8.self) == "preamble text")
        #expect(String(decoding: epilogue, as: UTF8.self) == "epilogue text")
        #expect(mail.text == "plain")
        #expect(mail.html == "<p>html</p>")
        #expect(mail.attachments.map(\.filename) == ["a.zip"])
        #expect(mail.attachments.first?.data == Array("PK".utf8))
    }

    @Test func missingFinalBoundaryAndPartWithoutHeaders() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary="=_?odd (chars) +,./:=?"

            --=_?odd (chars) +,./:=?

            first, no headers
            --=_?odd (chars) +,./:=?
            Content-Type: text/plain

            second, never closed
            """)
        #expect(mail.root.children.count == 2)
        #expect(mail.text == "first, no headers\nsecond, never closed")
        #expect(mail.defects.contains { $0.contains("close delimiter") })
    }

    @Test func similarBoundariesSplitOnlyOnExactMatches() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: multipart/alternative; boundary="b_alt"

            --b_alt
            Content-Type: text/plain

            one
            --b_alt--
            --b
            Content-Type: text/plain; name=x.txt

            two
            --b--
            """)
        #expect(mail.root.children.count == 2)
        #expect(mail.root.children[0].children.count == 1)
        #expect(mail.text == "one")
    }

    static let quotedPrintable: [(String, String)] = [
        ("caf=C3=A9", "café"),
        ("soft=\nbreak", "softbreak"),
        ("soft=\r\nbreak", "softbreak"),
        ("soft=  \nbreak", "softbreak"),
        ("lower =c3=a9", "lower é"),
        ("bad =ZZ escape =", "bad =ZZ escape "),
        ("trailing   \nspace", "trailing\nspace"),
        ("a=3D=3Db", "a==b"),
    ]

    @Test(arguments: quotedPrintable)
    func quotedPrintableDecoding(_ input: String, _ expected: String) {
        #expect(String(decoding: QuotedPrintable.decode(Array(input.utf8)), as: UTF8.self) == expected)
    }

    static let base64: [(String, String)] = [
        ("aGVsbG8gd29ybGQ=", "hello world"),
        ("aGVs\r\nbG8g\r\nd29y bGQ=", "hello world"),
        ("aGVsbG8gd29ybGQ", "hello world"),
        ("aGV*sbG8!gd29y#bGQ=", "hello world"),
        ("aGk=aGk=", "hihi"),
        ("aGVsbG", "hell"),
        ("", ""),
    ]

    @Test(arguments: base64)
    func base64Decoding(_ input: String, _ expected: String) {
        #expect(String(decoding: Base64.decode(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test(arguments: [[UInt8](), [0], [1, 2], [0xFF, 0xFE, 0xFD], Array(0...255)])
    func base64RoundTrip(_ bytes: [UInt8]) {
        #expect(Base64.decode(Array(Base64.encode(bytes, lineLength: 76).utf8)) == bytes)
    }

    @Test func transferEncodings() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            w6ljaGVj
            --x
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: binary

            \u{1}\u{2}
            --x
            Content-Type: application/octet-stream; name=q.bin
            Content-Transfer-Encoding: Quoted-Printable

            =00=01
            --x--
            """)
        #expect(mail.text == "échec")
        #expect(mail.attachments.map(\.data) == [[1, 2], [0, 1]])
    }

    @Test func messageRFC822IsAnAttachmentAndANestedMessage() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=m

            --m
            Content-Type: text/plain

            see attached
            --m
            Content-Type: message/rfc822

            Subject: inner
            Message-ID: <inner@example.org>

            inner body
            --m--
            """)
        #expect(mail.attachments.count == 1)
        #expect(mail.attachments[0].contentType == "message/rfc822")
        #expect(String(decoding: mail.attachments[0].data, as: UTF8.self).hasPrefix("Subject: inner"))
        let inner = try #require(mail.root.children[1].message)
        #expect(inner.headers["subject"] == "inner")
        #expect(ParsedMail(root: inner).text == "inner body")
    }

    static let parameters: [(String, String, [String: String])] = [
        ("text/plain; charset=\"utf-8\"; format=flowed", "text/plain", ["charset": "utf-8", "format": "flowed"]),
        ("TEXT/Plain;CHARSET=UTF-8", "text/plain", ["charset": "UTF-8"]),
        ("attachment; filename*=utf-8''na%C3%AFve%20file.txt", "attachment", ["filename": "naïve file.txt"]),
        (
            "attachment; filename*0*=utf-8''R%C3%A9; filename*1=sum; filename*2*=%C3%A9.pdf", "attachment",
            ["filename": "Résumé.pdf"]
        ),
        ("attachment; filename*1=\"b.txt\"; filename*0=\"a\"", "attachment", ["filename": "ab.txt"]),
        ("attachment; filename*=iso-8859-1'fr'caf%E9.txt", "attachment", ["filename": "café.txt"]),
        ("attachment; filename=\"=?utf-8?B?w6kudHh0?=\"", "attachment", ["filename": "é.txt"]),
        ("text/plain; name=This is a test.txt", "text/plain", ["name": "This is a test.txt"]),
        ("multipart/mixed\n\tboundary=\"xyz\"", "multipart/mixed", ["boundary": "xyz"]),
        ("text/plain; charset=us-ascii (Plain text)", "text/plain", ["charset": "us-ascii"]),
        ("application/pdf; name=\"unterminated", "application/pdf", ["name": "unterminated"]),
    ]

    @Test(arguments: parameters)
    func rfc2231Parameters(_ input: String, _ value: String, _ expected: [String: String]) {
        let parsed = HeaderParameters(parsing: input)
        #expect(parsed.value == value)
        #expect(parsed.parameters == expected)
    }

    @Test func filenameFallsBackToContentTypeName() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=f

            --f
            Content-Type: application/pdf; name="from-type.pdf"

            x
            --f
            Content-Type: application/pdf; name="ignored.pdf"
            Content-Disposition: attachment; filename="from-disposition.pdf"

            y
            --f--
            """)
        #expect(mail.attachments.map(\.filename) == ["from-type.pdf", "from-disposition.pdf"])
    }

    @Test func uuencodeTransferEncoding() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=u

            --u
            Content-Type: application/octet-stream; name=hi.txt
            Content-Transfer-Encoding: x-uuencode

            begin 644 hi.txt
            #:&D*
            `
            end
            --u--
            """)
        #expect(mail.attachments.first?.data == Array("hi\n".utf8))
    }
}
