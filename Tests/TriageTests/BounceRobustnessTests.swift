import MIME
import MailModel
import Testing

@testable import Triage

/// A small deterministic generator (SplitMix64), so that every run tries the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite("Classifier and bounce parser robustness")
struct BounceRobustnessTests {
    static let headerPool = [
        "From: MAILER-DAEMON@mx.example.net", "From: Mail Delivery System <>", "From: Ada <ada@example.org>",
        "Return-Path: <>", "Return-Path: <MAILER-DAEMON>", "Auto-Submitted: auto-replied (vacation)",
        "Auto-Submitted:", "Precedence: bulk", "X-Precedence:", "X-Autoreply: yes", "X-Loop: yes", "List-Id: <l.x>",
        "X-Failed-Recipients: ", "X-Failed-Recipients: a@b.example, @@@, <x@y.example>",
        "X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: a@b.example",
        "Subject: Undelivered Mail Returned to Sender", "Subject: Automatic reply: ",
        "Subject: =?utf-8?q?Abwesenheitsnotiz?=",
        "Subject: Delivery Status Notification (Delay)", "Subject: Fwd: Undeliverable", "Message-ID: <m@x.example>",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b",
        "Content-Type: multipart/report; report-type=feedback-report; boundary=b",
        "Content-Type: multipart/mixed; boundary=b", "Content-Type: text/html", "Received: from x by y",
    ]

    static let bodyPool = [
        "--b", "--b--", "Content-Type: message/delivery-status", "Content-Type: message/rfc822",
        "Content-Type: text/rfc822-headers", "Content-Type: message/disposition-notification",
        "Final-Recipient: rfc822; nobody@example.org", "Original-Recipient: x400; /S=x/", "Action: delayed",
        "Action: failed (oops)", "Status: 5.1", "Status: 4.4.4.4.4", "Diagnostic-Code: smtp;", "Message-ID: <",
        "Disposition: automatic-action/MDN-sent-automatically; deleted", "<a@b.example>:", "  x@y.example on Fri",
        "The following address(es) failed:", "--- Below this line is a copy of the message.", "Received: from z",
        "I am out of the office until Monday.", "This is an automatic reply.", "550 5.1.1 user unknown", "",
        "Unknown user: ", "Recipient: [SMTP:", "> ", "****", "(generated from q@r.example)", "\tscreenname",
    ]

    /// What every verdict and report must satisfy, whatever the input (the parts of
    /// `MailAnalysis.analyze` that this suite covers: classification and bounce parsing).
    static func checkInvariants(_ parsed: ParsedMail) {
        let report = BounceParser.parse(parsed)
        let classification = MailClassifier.classify(parsed, parsedReport: report)
        let kind = classification.kind
        #expect(!classification.answerable || kind == .normal)
        #expect(classification.answerable == (classification.reason == nil))
        if kind == .bounce || kind == .delay { #expect(report != nil) }
        if let report {
            let addresses = report.recipients.map(\.address)
            #expect(Set(addresses).count == addresses.count)
            #expect(addresses.allSatisfy { $0.contains("@") && $0 == $0.lowercased() })
            #expect(report.recipients.count <= 1_000)
        }
    }

    @Test("random mails built from bounce and autoresponder pieces")
    func randomMails() throws {
        var random = SeededGenerator(state: 42)
        for _ in 0..<400 {
            var lines: [String] = []
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                lines.append(Self.headerPool.randomElement(using: &random) ?? "")
            }
            lines.append("")
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                var line = Self.bodyPool.randomElement(using: &random) ?? ""
                if Bool.random(using: &random) { line += " " + (Self.bodyPool.randomElement(using: &random) ?? "") }
                lines.append(line)
            }
            let text = lines.joined(separator: Bool.random(using: &random) ? "\r\n" : "\n")
            guard let parsed = try? MIMEParser().parse(Array(text.utf8)) else { continue }
            Self.checkInvariants(parsed)
        }
    }

    @Test("mutated fixtures never crash", arguments: BounceParserTests.fixtures)
    func mutatedFixtures(_ fixture: BounceFixture) throws {
        var random = SeededGenerator(state: UInt64(fixture.name.utf8.count))
        let original = Array(fixture.raw.utf8)
        for _ in 0..<60 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let start = Int.random(in: 0..<bytes.count, using: &random)
                let end = min(bytes.count, start + Int.random(in: 0...64, using: &random))
                switch Int.random(in: 0..<5, using: &random) {
                case 0: bytes.removeSubrange(start..<end)
                case 1: bytes.insert(contentsOf: bytes[start..<end], at: start)
                case 2: bytes.insert(contentsOf: Array("\r\n\r\n".utf8), at: start)
                case 3: for index in start..<end { bytes[index] = UInt8.random(in: 0...255, using: &random) }
                default: bytes.removeSubrange(start...)
                }
            }
            guard let parsed = try? MIMEParser().parse(bytes) else { continue }
            Self.checkInvariants(parsed)
        }
    }

    @Test("huge and degenerate inputs stay linear")
    func degenerateInputs() throws {
        let header = "From: MAILER-DAEMON@mx.example.net\r\nTo: support@example.test\r\nSubject: failure notice\r\n\r\n"
        let manyRecipients = (0..<50_000).map { "<user\($0)@example.org>: 550 5.1.1 User unknown" }
        let groups = (0..<20_000).map {
            "Final-Recipient: rfc822; r\($0)@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        }
        let inputs: [String] = [
            header + manyRecipients.joined(separator: "\r\n"),
            header + String(repeating: "@", count: 1_000_000),
            header + String(repeating: "a", count: 1_000_000) + "@example.org",
            header + String(repeating: "a.", count: 500_000) + "@" + String(repeating: "b.", count: 500_000),
            header + String(repeating: "5.5.5.", count: 200_000),
            header + String(repeating: "The following address(es) failed:\r\n", count: 50_000),
            "From: MAILER-DAEMON@mx.example.net\r\nContent-Type: multipart/report; report-type=delivery-status; "
                + "boundary=b\r\n\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
                + groups.joined(separator: "\r\n") + "--b--\r\n",
        ]
        for input in inputs {
            let parsed = try MIMEParser().parse(Array(input.utf8))
            let clock = ContinuousClock()
            let elapsed = clock.measure { Self.checkInvariants(parsed) }
            #expect(elapsed < .seconds(5))
        }
    }
}
