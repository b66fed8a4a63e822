import Foundation
import Testing

@testable import MIME

/// Bad input never crashes or hangs, limits hold, and time stays linear.
@Suite("Robustness and limits")
struct RobustnessTests {
    static func elapsed(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    @Test func notAMail() {
        let parser = MIMEParser()
        #expect(throws: MIMEError.self) { try parser.parse([]) }
        #expect(throws: MIMEError.self) { try parser.parse(Array("\r\n\r\n  \n".utf8)) }
        #expect(throws: MIMEError.self) { try parser.parse(Array("just some text\nwithout headers".utf8)) }
        #expect(throws: MIMEError.self) { try parser.parse([0, 1, 2, 0xFF, 0x3A]) }
        let small = MIMEParser(options: .init(maxTotalBytes: 10))
        #expect(throws: MIMEError.self) { try small.parse(Array("Subject: too long\n\nbody".utf8)) }
        do {
            _ = try parser.parse([])
        } catch {
            #expect(!error.description.contains("\n"))
            #expect(error.kind == .empty)
        }
    }

    @Test func mboxFromLineAndLeadingBlankLineAreSkipped() throws {
        let mail = try MIMEParser().parse(
            Array("From ada@example.org Mon Jan  1 00:00:00 2024\nSubject: hi\n\nbody".utf8))
        #expect(mail.subject == "hi")
        let blank = try MIMEParser().parse(Array("\r\nSubject: hi\r\n\r\nbody".utf8))
        #expect(blank.subject == "hi" && blank.text == "body")
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomAndMutatedBytesNeverCrash(seed: UInt64) throws {
        var generator = SeededGenerator(state: seed)
        let parser = MIMEParser()
        let base = try Fixture.sample("07-rfc2231-filename.eml") + Fixture.sample("03-multipart-alternative-qp.eml")
        for round in 0..<150 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0..<2_000, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
            } else {
                bytes = base
                for _ in 0..<Int.random(in: 1..<40, using: &generator) {
                    let index = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(contentsOf: Array("\n--b1_rfc2231\n=?".utf8), at: index)
                    }
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            if let mail = try? parser.parse(bytes) {
                _ = mail.text.count + mail.attachments.count + (mail.html?.count ?? 0)
            }
        }
    }

    @Test func twentyThousandPartsAreCappedQuickly() throws {
        var text = "Content-Type: multipart/mixed; boundary=p\n\n"
        for index in 0..<20_000 { text += "--p\nContent-Type: application/octet-stream; name=f\(index)\n\nx\n" }
        text += "--p--\n"
        var mail: ParsedMail?
        let seconds = try Self.elapsed { mail = try Fixture.parse(text) }
        #expect(seconds < 5)
        #expect(mail?.attachments.count ?? 0 < 20_000)
        #expect(mail?.defects.contains { $0.contains("parts") } == true)
    }

    @Test func nestingDepthOfAThousand() throws {
        var text = ""
        for level in 0..<1_000 { text += "Content-Type: multipart/mixed; boundary=l\(level)\n\n--l\(level)\n" }
        text += "Content-Type: text/plain\n\ndeep\n"
        var mail: ParsedMail?
        let seconds = try Self.elapsed { mail = try Fixture.parse(text) }
        #expect(seconds < 5)
        #expect(mail?.defects.contains { $0.contains("nesting") } == true)

        var messages = ""
        for _ in 0..<1_000 { messages += "Content-Type: message/rfc822\n\n" }
        messages += "Subject: bottom\n\nx"
        let nested = try Fixture.parse(messages)
        #expect(nested.root.allParts.count <= MIMEParser.Options().maxDepth + 1)
    }

    @Test func oneMegabyteHeaderLine() throws {
        let long = String(repeating: "a", count: 1_000_000)
        var mail: ParsedMail?
        let seconds = try Self.elapsed {
            mail = try Fixture.parse("Subject: short\nX-Long: \(long)\nFrom: ada@example.org\n\nbody")
        }
        #expect(seconds < 5)
        #expect(mail?.subject == "short")
        #expect(mail?.text == "body")
        #expect(mail?.defects.isEmpty == false)

        let address = String(repeating: "x", count: 50_000)
        let addresses = try Fixture.parse("To: \(address)@example.org, <\(address)\nSubject: =?utf-8?q?\(address)\n\nx")
        #expect(addresses.to.count == 2)
    }

    @Test func truncatedBase64AndQuotedPrintable() throws {
        let mail = try Fixture.parse(
            """
            Content-Type: multipart/mixed; boundary=t

            --t
            Content-Type: text/plain
            Content-Transfer-Encoding: quoted-printable

            cut here =C
            --t
            Content-Type: image/png; name=cut.png
            Content-Transfer-Encoding: base64

            iVBORw0KGgoAAAANSUhEU
            """)
        #expect(mail.text == "cut here =C")
        #expect(mail.attachments.first?.size == 15)
    }

    @Test func headerByteLimitDropsLaterFields() throws {
        let parser = MIMEParser(options: .init(maxHeaderBytes: 40))
        let mail = try parser.parse(
            Array("Subject: kept\nX-Filler: 0123456789012345678901234567890\nTo: a@b.c\n\nbody".utf8))
        #expect(mail.subject == "kept")
        #expect(mail.to.isEmpty)
        #expect(mail.text == "body")
    }

    @Test func largeBase64AttachmentIsLinear() throws {
        let payload = [UInt8](repeating: 0x5A, count: 6_000_000)
        let text =
            "Content-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain\n\nsee file\n--z\n"
            + "Content-Type: application/octet-stream; name=big.bin\nContent-Transfer-Encoding: base64\n\n"
            + Base64.encode(payload, lineLength: 76) + "\n--z--\n"
        var mail: ParsedMail?
        let seconds = try Self.elapsed { mail = try Fixture.parse(text) }
        #expect(seconds < 5)
        #expect(mail?.attachments.first?.size == payload.count)
    }
}
