import Foundation
import MailModel
import Testing

@testable import MIME

@Suite("Message writer: header injection")
struct MessageWriterInjectionTests {
    static let standardNames = [
        "Date", "From", "To", "Reply-To", "Subject", "Message-ID", "MIME-Version", "X-Note", "Content-Type",
        "Content-Transfer-Encoding",
    ]

    static let hostileTexts: [String] = [
        "hi\r\nBcc: victim@example.test",
        "hi\nBcc: victim@example.test",
        "hi\rBcc: victim@example.test",
        "hi\r\n\r\n<html>body</html>",
        "hi\u{0}Bcc: victim@example.test",
        "hi\u{85}Bcc: x@y.test",
        "hi\u{2028}Bcc: x@y.test\u{2029}",
        "\r\n Bcc: continuation",
        "=?utf-8?q?a=0D=0ABcc:_victim@example.test?=",
        "=?utf-8?b?YQ0KQmNjOiB2aWN0aW1AZXhhbXBsZS50ZXN0?=",
        "é\r\nBcc: victim@example.test é",
        String(repeating: "x\r\n", count: 400),
    ]

    /// What the writer makes of hostile text: every control character a space, then trimmed.
    static func sanitized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isControl = value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            scalars.append(isControl ? " " : scalar)
        }
        return String(scalars).trimmingCharacters(in: .init(charactersIn: " "))
    }

    @Test(arguments: hostileTexts)
    func unstructuredTextIsSanitised(_ text: String) throws {
        let mail = WriterFixture.mail(
            from: EmailAddress(name: text, address: "support@example.test"),
            to: [EmailAddress(name: text, address: "customer@example.test")],
            replyTo: EmailAddress(name: text, address: "reply@example.test"), subject: text,
            fields: [.init("X-Note", text)])
        let bytes = try WriterFixture.render(mail)
        #expect(WriterFixture.hasOnlyCRLF(bytes))
        #expect(!bytes.contains(0))
        let parsed = try MIMEParser().parse(bytes)
        #expect(parsed.headers.map(\.name) == Self.standardNames)
        #expect(!parsed.headers.contains("bcc"))
        for line in WriterFixture.headerLines(bytes) {
            #expect(!line.hasPrefix("Bcc") && !line.hasPrefix(" Bcc") && !line.hasPrefix("<html>"))
        }
        let expected = Self.sanitized(text)
        #expect(parsed.subject == expected)
        #expect(parsed.headers["x-note"] == expected)
        #expect(parsed.to.map(\.address) == ["customer@example.test"])
        #expect(parsed.to.first?.name == (expected.isEmpty ? nil : expected))
        #expect(parsed.from.map(\.address) == ["support@example.test"])
        #expect(parsed.replyTo.map(\.address) == ["reply@example.test"])
        for value in [parsed.subject ?? "", parsed.headers["x-note"] ?? "", parsed.to.first?.name ?? ""] {
            #expect(!value.contains("\r") && !value.contains("\n"))
        }
        #expect(parsed.text == "Hi\n")
    }

    @Test func encodedWordLookalikesStayLiteral() throws {
        let text = "=?utf-8?q?a=0D=0ABcc:_victim@example.test?="
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(subject: text))
        #expect(parsed.subject == text)
    }

    static let badAddresses: [String] = [
        "a@b.test\r\nBcc: victim@example.test", "a@b.test\nBcc: x@y.test", "a@b.test\r", "a b@c.test", "a@b c.test",
        "<a@b.test>", "a<b@c.test", "a>b@c.test", "a,b@c.test", "a;b@c.test", "\"a b\"@c.test", "ü@c.test",
        "a@exämple.test", "a@", "@b.test", "ab", "", "a@b..test", "a@.b.test", "a@b.test.", "a\u{0}@b.test",
        "a(comment)@b.test", "a@b.test (comment)", "a\\b@c.test", "a:b@c.test", "a@[1.2.3.4", "a@[]",
        String(repeating: "l", count: 65) + "@x.test", "a@" + String(repeating: "d", count: 260),
    ]

    @Test(arguments: badAddresses)
    func badAddressesAreRefused(_ address: String) {
        let bad = EmailAddress(name: "X", address: address)
        let cases: [(String, OutgoingMail)] = [
            ("From", WriterFixture.mail(from: bad)),
            ("To", WriterFixture.mail(to: [EmailAddress(address: "ok@x.test"), bad])),
            ("Cc", WriterFixture.mail(cc: [bad])),
            ("Reply-To", WriterFixture.mail(replyTo: bad)),
        ]
        for (field, mail) in cases {
            #expect(throws: MessageWriterError.self) { try MessageWriter.render(mail) }
            do {
                _ = try MessageWriter.render(mail)
            } catch {
                #expect(error.kind == .invalidAddress)
                #expect(error.field == field)
                #expect(!error.description.contains("\r") && !error.description.contains("\n"))
            }
        }
        #expect(!MessageWriter.isValidAddress(address))
        #expect(throws: MessageWriterError.self) { try MessageWriter.formatAddress(bad) }
    }

    static let badMessageIDs: [String] = [
        "a@b.test\r\nBcc: victim@example.test", "a@b.test\n", "a b@c.test", "<a@b.test>", "a@b.test>", "a,b@c.test",
        "a;b@c.test", "\"a\"@b.test", "ü@b.test", "", "a(b)@c.test", "a\\b@c.test", "a\u{0}@b.test", "a\t@b.test",
        String(repeating: "i", count: 900) + "@x.test",
    ]

    @Test(arguments: badMessageIDs)
    func badMessageIDsAreRefused(_ id: String) {
        let cases: [(String, OutgoingMail)] = [
            ("Message-ID", WriterFixture.mail(messageID: id)),
            ("In-Reply-To", WriterFixture.mail(inReplyTo: id)),
            ("References", WriterFixture.mail(references: ["ok@x.test", id])),
        ]
        for (field, mail) in cases {
            do {
                _ = try MessageWriter.render(mail)
                Issue.record("\(field) accepted \(MessageWriterError.printable(id))")
            } catch {
                #expect(error.kind == .invalidMessageID)
                #expect(error.field == field)
                #expect(!error.description.contains("\r") && !error.description.contains("\n"))
            }
        }
        #expect(!MessageWriter.isValidMessageID(id))
    }

    @Test func ownMessageIDNeedsAnAtSign() throws {
        #expect(throws: MessageWriterError.self) { try MessageWriter.render(WriterFixture.mail(messageID: "no-at")) }
        #expect(throws: MessageWriterError.self) { try MessageWriter.render(WriterFixture.mail(messageID: "@x")) }
        let parsed = try WriterFixture.roundTrip(WriterFixture.mail(inReplyTo: "no-at", references: ["no-at-2"]))
        #expect(parsed.inReplyTo == ["no-at"])
        #expect(parsed.references == ["no-at-2"])
    }

    static let badFieldNames: [(String, MessageWriterError.Kind)] = [
        ("X-Bad\r\nBcc", .invalidFieldName), ("X-Bad\n", .invalidFieldName), ("X Bad", .invalidFieldName),
        ("X:Bad", .invalidFieldName), ("", .invalidFieldName), ("X-Ünï", .invalidFieldName),
        ("X-\u{0}", .invalidFieldName), ("\tX", .invalidFieldName),
        (String(repeating: "X", count: 77), .invalidFieldName),
        ("Bcc", .reservedFieldName), ("From", .reservedFieldName), ("content-type", .reservedFieldName),
        ("MIME-VERSION", .reservedFieldName), ("Message-Id", .reservedFieldName), ("Subject", .reservedFieldName),
    ]

    @Test(arguments: badFieldNames)
    func badFieldNamesAreRefused(_ name: String, _ kind: MessageWriterError.Kind) {
        let mail = WriterFixture.mail(fields: [.init("X-Fine", "ok"), .init(name, "value")])
        do {
            _ = try MessageWriter.render(mail)
            Issue.record("accepted the field name \(MessageWriterError.printable(name))")
        } catch {
            #expect(error.kind == kind)
            #expect(!error.field.contains("\r") && !error.field.contains("\n"))
            #expect(!error.description.contains("\r") && !error.description.contains("\n"))
        }
    }

    @Test func randomHostileTextNeverMakesAHeader() throws {
        var generator = SeededGenerator(state: 2026)
        let pieces = [
            "a", "Bcc: x@y.test", " ", "  ", "\r", "\n", "\r\n", "\t", "\u{0}", "\u{7F}", "\u{85}", "\u{2028}", "é",
            "日",
            "🎉", "👨‍👩‍👧", "=?", "?=", "_", "=", "\"", "\\", "<", ">", ",", ";", ":", "@", "(", ")",
            "=?utf-8?q?=0D=0A?=", String(repeating: "z", count: 120),
        ]
        for _ in 0..<300 {
            func hostile() -> String {
                let count = Int.random(in: 0..<40, using: &generator)
                return (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            }
            let subject = hostile()
            let name = hostile()
            let value = hostile()
            let mail = WriterFixture.mail(
                to: [EmailAddress(name: name, address: "c@x.test")], subject: subject, fields: [.init("X-Note", value)])
            let bytes = try WriterFixture.render(mail)
            #expect(WriterFixture.hasOnlyCRLF(bytes))
            let parsed = try MIMEParser().parse(bytes)
            #expect(parsed.headers.map(\.name) == Self.standardNames.filter { $0 != "Reply-To" })
            #expect(parsed.subject == Self.sanitized(subject))
            #expect(parsed.headers["x-note"] == Self.sanitized(value))
            let expectedName = Self.sanitized(name)
            #expect(parsed.to == [EmailAddress(name: expectedName.isEmpty ? nil : expectedName, address: "c@x.test")])
            #expect(WriterFixture.text(bytes).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
        }
    }
}
