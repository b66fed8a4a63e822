import Foundation
import MailModel
import Testing

@testable import MIME

@Suite("Message writer: line lengths and folding")
struct MessageWriterFoldingTests {
    /// Mails whose headers and bodies push every limit.
    static let stressMails: [(String, OutgoingMail)] = [
        ("long ASCII subject", WriterFixture.mail(subject: String(repeating: "subject words ", count: 200))),
        (
            "long accented subject",
            WriterFixture.mail(subject: String(repeating: "Réponse à votre demande ", count: 60))
        ),
        ("long CJK subject", WriterFixture.mail(subject: String(repeating: "東京からのお問い合わせ", count: 60))),
        ("emoji subject", WriterFixture.mail(subject: String(repeating: "👨‍👩‍👧‍👦🇫🇷👍🏽 ", count: 80))),
        ("mixed subject", WriterFixture.mail(subject: String(repeating: "ok 好 fine ü ", count: 100))),
        ("word of 899", WriterFixture.mail(subject: "a " + String(repeating: "w", count: 899) + " b")),
        ("word of 5000", WriterFixture.mail(subject: String(repeating: "w", count: 5_000))),
        (
            "many long names",
            WriterFixture.mail(
                to: (0..<80).map {
                    EmailAddress(
                        name: String(repeating: $0 % 2 == 0 ? "Name " : "Nàme ", count: $0), address: "p\($0)@x.test")
                })
        ),
        (
            "long local parts",
            WriterFixture.mail(
                to: (0..<30).map { EmailAddress(address: String(repeating: "l", count: 64) + "@\($0).test") })
        ),
        (
            "many references",
            WriterFixture.mail(
                references: (0..<300).map { "\($0).\(String(repeating: "r", count: $0 % 120))@example.test" })
        ),
        ("long field", WriterFixture.mail(fields: [.init("X-Note", String(repeating: "note ", count: 500))])),
        (
            "long body lines",
            WriterFixture.mail(
                text: String(repeating: "é1=", count: 3_000), html: String(repeating: "<b>", count: 2_000))
        ),
    ]

    @Test(arguments: stressMails)
    func linesStayWithinLimits(_ name: String, _ mail: OutgoingMail) throws {
        let bytes = try WriterFixture.render(mail)
        #expect(WriterFixture.hasOnlyCRLF(bytes))
        let text = WriterFixture.text(bytes)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 998 })
        let headers = WriterFixture.headerLines(bytes)
        for (index, line) in headers.enumerated() {
            #expect(!line.allSatisfy { $0 == " " || $0 == "\t" }, "white-space-only line \(index)")
            if line.utf8.count > HeaderFolding.preferredLineLength {
                // Only a single unbreakable token may make a line long.
                let content =
                    index > 0 && line.first == " "
                    ? line.dropFirst() : line.split(separator: " ", maxSplits: 1).last ?? ""
                #expect(!content.contains(" "), "line \(index) could have been folded: \(line)")
            }
        }
        for word in encodedWords(in: headers.joined(separator: "\n")) {
            #expect(word.utf8.count <= 75)
            // Each word holds whole characters: it decodes alone to valid UTF-8.
            #expect(!EncodedWord.decode(word).contains("\u{FFFD}"))
        }
        let bodyLines = lines.dropFirst(headers.count + 1)
        #expect(bodyLines.allSatisfy { $0.utf8.count <= 76 })
        let parsed = try MIMEParser().parse(bytes)
        #expect(parsed.defects.isEmpty)
    }

    @Test func longSubjectsFoldInsideTheLimit() throws {
        let subject = String(repeating: "Réponse à votre demande ", count: 10)
        let headers = WriterFixture.headerLines(try WriterFixture.render(WriterFixture.mail(subject: subject)))
        let subjectLines = headers.drop { !$0.hasPrefix("Subject:") }.prefix {
            $0.hasPrefix("Subject:") || $0.hasPrefix(" ")
        }
        #expect(subjectLines.count > 3)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 76 })
    }

    @Test func referencesOneIDPerLine() throws {
        let ids = (0..<5).map { "id\($0)@example.test" }
        let headers = WriterFixture.headerLines(try WriterFixture.render(WriterFixture.mail(references: ids)))
        let start = try #require(headers.firstIndex(of: "References: <id0@example.test>"))
        #expect(Array(headers[(start + 1)...(start + 4)]) == (1..<5).map { " <id\($0)@example.test>" })
    }

    @Test func quotedPrintableLines() {
        let inputs = [
            String(repeating: "a", count: 200), String(repeating: "=", count: 200), String(repeating: "é", count: 200),
            String(repeating: "😀", count: 100), String(repeating: "a ", count: 200),
            String(repeating: "ab\t", count: 100),
            String(repeating: "x", count: 75) + "é", String(repeating: "x", count: 74) + " ",
        ]
        for input in inputs {
            let encoded = QuotedPrintable.encode(input)
            let lines = WriterFixture.text(encoded).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 76 })
            // No soft break splits a UTF-8 character: every line decodes alone.
            for line in lines {
                let decoded = QuotedPrintable.decode(Array(line.utf8))
                #expect(String(validating: decoded, as: UTF8.self) != nil, "split character in \(line)")
                #expect(line.last != " " && line.last != "\t")
            }
            #expect(QuotedPrintable.decode(encoded) == Array(input.utf8))
        }
    }

    @Test func quotedPrintableRandomRoundTrip() {
        var generator = SeededGenerator(state: 7)
        let pieces = ["a", " ", "\t", "=", ".", "From ", "\r\n", "\n", "\r", "é", "日", "😀", "\u{0}", "x=\n", "  \n"]
        for _ in 0..<300 {
            let count = Int.random(in: 0..<200, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let encoded = QuotedPrintable.encode(text)
            #expect(WriterFixture.hasOnlyCRLF(encoded))
            let expected = TextBody.normalizeLineEnds(text).replacingOccurrences(of: "\n", with: "\r\n")
            #expect(WriterFixture.text(QuotedPrintable.decode(encoded)) == expected)
            #expect(WriterFixture.text(encoded).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        }
    }

    private func encodedWords(in text: String) -> [String] {
        var words: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "=?UTF-8?") {
            let afterPrefix = rest[start.upperBound...]
            guard afterPrefix.count > 2, let end = afterPrefix.dropFirst(2).range(of: "?=") else { break }
            words.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return words
    }
}
