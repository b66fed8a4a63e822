import Foundation
import Logging
import MailModel
import Testing

@testable import CurlMail

/// The Postfix of the mail stack (scripts/mailstack), read from the environment. Mail goes from the
/// customer account to the agent mailbox, which no other test reads, or to a domain the stack discards.
struct SMTPStack {
    let smtpURL: String
    let smtpsURL: String
    let imapURL: String
    let caFile: String
    let user: String
    let password: String
    let reader: String
    let readerPassword: String

    static let names = [
        "POSTDESK_TEST_SMTP_URL", "POSTDESK_TEST_SMTPS_URL", "POSTDESK_TEST_IMAP_URL", "POSTDESK_TEST_CA_FILE",
        "POSTDESK_TEST_CUSTOMER_USER", "POSTDESK_TEST_CUSTOMER_PASS", "POSTDESK_TEST_AGENT_USER",
        "POSTDESK_TEST_AGENT_PASS",
    ]
    /// The trait of tests that need it: skipped (and shown as skipped) without the stack.
    static var isAvailable: Bool { MailStackEnvironment.isAvailable(names) }

    /// The stack's settings; throws (the test fails) when they are missing.
    static func fromEnvironment() throws -> SMTPStack {
        let env = try MailStackEnvironment.values(names)
        return SMTPStack(
            smtpURL: env["POSTDESK_TEST_SMTP_URL", default: ""], smtpsURL: env["POSTDESK_TEST_SMTPS_URL", default: ""],
            imapURL: env["POSTDESK_TEST_IMAP_URL", default: ""], caFile: env["POSTDESK_TEST_CA_FILE", default: ""],
            user: env["POSTDESK_TEST_CUSTOMER_USER", default: ""], password: env["POSTDESK_TEST_CUSTOMER_PASS", default: ""],
            reader: env["POSTDESK_TEST_AGENT_USER", default: ""],
            readerPassword: env["POSTDESK_TEST_AGENT_PASS", default: ""])
    }

    func run(_ arguments: String...) throws { try MailStackEnvironment.run(arguments) }

    func sender(
        url: String? = nil, user: String? = nil, password: String? = nil, caFile: String?? = nil,
        requireTLS: Bool = true
    ) throws -> SMTPSender {
        try SMTPSender(
            connection: CurlConnection(
                url: url ?? smtpURL, user: user ?? self.user, password: password ?? self.password,
                caFile: caFile ?? self.caFile, requireTLS: requireTLS, connectTimeout: 10, responseTimeout: 10),
            helloName: "client.example.org", logger: Logger(label: "test"))
    }

    /// The mails in the agent's inbox whose bytes contain `marker`, waiting up to `seconds` for one.
    func delivered(containing marker: String, seconds: Double = 15) async throws -> [[UInt8]] {
        let source = try IMAPSource(
            connection: CurlConnection(url: imapURL, user: reader, password: readerPassword, caFile: caFile),
            logger: Logger(label: "test"))
        let needle = Array(marker.utf8)
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let mails = try await source.fetch(source.pending().keys, byteLimit: .max).map(\.bytes)
            let found = mails.filter { $0.firstRange(of: needle) != nil }
            if !found.isEmpty { return found }
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return []
    }
}

/// A small RFC 5322 message with CRLF line ends whose Message-ID holds `marker`.
func outgoingMail(_ marker: String, to recipient: String = "agent@example.test", body: String? = nil) -> [UInt8] {
    let text =
        body
        ?? "Hello,\r\n.a line that starts with a dot\r\n..two dots\r\n.\r\nUTF-8: Grüße, 東京\r\n\r\nBye\r\n"
    return Array(
        ("From: Customer <customer@example.test>\r\nTo: \(recipient)\r\nSubject: SMTP test \(marker)\r\n"
            + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <\(marker)@example.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
            + "\r\n" + text).utf8)
}

/// Whether `delivered` is `sent` with only trace fields (Return-Path, Delivered-To, Received) before it.
func arrivedByteExact(_ delivered: [UInt8], _ sent: [UInt8]) -> Bool {
    guard delivered.count > sent.count, Array(delivered.suffix(sent.count)) == sent else { return false }
    let prefix = String(decoding: delivered.prefix(delivered.count - sent.count), as: UTF8.self)
    let names = prefix.components(separatedBy: "\r\n").filter {
        !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("\t")
    }
    .map { $0.prefix { $0 != ":" }.lowercased() }
    // What delivery puts on top: Postfix's and Dovecot's trace fields and the stack's verdict.
    return Set(names).isSubset(of: ["return-path", "delivered-to", "received", "authentication-results"])
}

func marker() -> String { "smtp-" + UUID().uuidString.lowercased() }

@Suite(
    "SMTP through libcurl against Postfix", .serialized,
    .enabled(if: SMTPStack.isAvailable, "the mail stack is not running (scripts/mailstack start)"))
struct SMTPSenderTests {
    @Test("STARTTLS + AUTH: the mail arrives byte-exact, dot lines and UTF-8 intact")
    func startTLSWithAuth() async throws {
        let stack = try SMTPStack.fromEnvironment()
        try stack.run("clear", stack.reader)
        let id = marker()
        let mail = outgoingMail(id)
        let sender = try stack.sender()
        try await sender.send(mail, envelopeFrom: stack.user, recipients: [stack.reader])
        let delivered = try await stack.delivered(containing: id)
        #expect(delivered.count == 1)
        #expect(delivered.first.map { arrivedByteExact($0, mail) } == true)
        #expect(
            delivered.first.map { String(decoding: $0, as: UTF8.self).hasPrefix("Return-Path: <customer@") } == true)
        #expect(await sender.connectionsOpened == 1)
    }

    @Test("a bare LF in the message goes out as CR LF")
    func bareLineFeeds() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let id = marker()
        let crlf = outgoingMail(id, body: "one\r\ntwo\r\n")
        let bare = Array(String(decoding: crlf, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        try await stack.sender().send(bare, envelopeFrom: stack.user, recipients: [stack.reader])
        let delivered = try await stack.delivered(containing: id)
        #expect(delivered.first.map { arrivedByteExact($0, crlf) } == true)
    }

    @Test("implicit TLS (smtps) with the CA file, and the null sender")
    func implicitTLS() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let id = marker()
        let mail = outgoingMail(id)
        try await stack.sender(url: stack.smtpsURL).send(mail, envelopeFrom: "", recipients: [stack.reader])
        let delivered = try await stack.delivered(containing: id)
        #expect(delivered.first.map { arrivedByteExact($0, mail) } == true)
        #expect(delivered.first.map { String(decoding: $0, as: UTF8.self).hasPrefix("Return-Path: <>") } == true)
    }

    @Test("plain text without AUTH to a local relay, when TLS is not required")
    func plainRelay() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let id = marker()
        let mail = outgoingMail(id)
        let sender = try stack.sender(user: "", password: "", caFile: .some(nil), requireTLS: false)
        try await sender.send(mail, envelopeFrom: "", recipients: [stack.reader])
        let delivered = try await stack.delivered(containing: id)
        #expect(delivered.first.map { arrivedByteExact($0, mail) } == true)
    }

    @Test("ten sends reuse one connection; so do several recipients")
    func connectionReuse() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let sender = try stack.sender()
        for index in 1...10 {
            try await sender.send(
                outgoingMail("\(marker())-\(index)", to: "sink@example.org"), envelopeFrom: stack.user,
                recipients: ["sink@example.org", "other@example.org"])
        }
        #expect(await sender.mailsSent == 10)
        #expect(await sender.connectionsOpened == 1)
    }

    @Test("a recipient refused with 550 is a permanent failure with its code and the server's words")
    func unknownRecipient() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let sender = try stack.sender()
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send(
                outgoingMail(marker()), envelopeFrom: stack.user, recipients: ["unknown@example.test"])
        }
        #expect(failure?.permanent == true)
        #expect(failure?.code == 550)
        #expect(failure?.reason.contains("Recipient address rejected") == true)
        #expect(failure?.reason.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) == false)
    }

    @Test("one refused recipient among several fails the send, and no one gets the mail")
    func allRecipientsOrNone() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let sender = try stack.sender()
        let refused = marker()
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send(
                outgoingMail(refused), envelopeFrom: stack.user, recipients: [stack.reader, "unknown@example.test"])
        }
        #expect(failure?.permanent == true)
        #expect(failure?.code == 550)
        let accepted = marker()
        try await sender.send(outgoingMail(accepted), envelopeFrom: stack.user, recipients: [stack.reader])
        #expect(try await stack.delivered(containing: accepted).count == 1)
        #expect(try await stack.delivered(containing: refused, seconds: 0).isEmpty)
    }

    @Test("a wrong password (535) is the sender's failure, for a send and a probe; the right one probes fine")
    func wrongPassword() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let sender = try stack.sender(password: "wrong")
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send(outgoingMail(marker()), envelopeFrom: stack.user, recipients: [stack.reader])
        }
        #expect(failure?.permanent == false)
        #expect(failure?.scope == .sender)
        #expect(failure?.code == 535)
        let probe = await #expect(throws: SendFailure.self) { try await sender.probe() }
        #expect(probe?.scope == .sender)
        try await stack.sender().probe()
    }

    @Test("a certificate from an untrusted CA is a temporary failure, for STARTTLS and implicit TLS")
    func untrustedCertificate() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let systemCAs = "/etc/ssl/certs/ca-certificates.crt"
        let wrongCA: String? = FileManager.default.fileExists(atPath: systemCAs) ? systemCAs : nil
        for url in [stack.smtpURL, stack.smtpsURL] {
            let failure = await #expect(throws: SendFailure.self) {
                try await stack.sender(url: url, caFile: .some(wrongCA)).send(
                    outgoingMail(marker()), envelopeFrom: stack.user, recipients: [stack.reader])
            }
            #expect(failure?.permanent == false)
            #expect(failure?.code == nil)
        }
    }

    @Test("a 2 MB message arrives byte-exact")
    func largeMessage() async throws {
        let stack = try SMTPStack.fromEnvironment()
        var generator = SystemRandomNumberGenerator()
        let lines = (0..<27_000).map { _ in
            Data((0..<57).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64EncodedString()
        }
        let id = marker()
        let mail = outgoingMail(id, body: lines.joined(separator: "\r\n") + "\r\n")
        #expect(mail.count > 2_000_000)
        try await stack.sender().send(mail, envelopeFrom: stack.user, recipients: [stack.reader])
        let delivered = try await stack.delivered(containing: id)
        #expect(delivered.first.map { arrivedByteExact($0, mail) } == true)
        try stack.run("clear", stack.reader)
    }

    @Test("Postfix stopped: a temporary failure; the same sender works again once it is back")
    func serverDown() async throws {
        let stack = try SMTPStack.fromEnvironment()
        let sender = try stack.sender()
        try await sender.send(outgoingMail(marker()), envelopeFrom: stack.user, recipients: ["sink@example.org"])
        try stack.run("stop-postfix")
        let failure: SendFailure?
        do {
            defer { try? stack.run("start-postfix") }
            failure = await #expect(throws: SendFailure.self) {
                try await sender.send(
                    outgoingMail(marker()), envelopeFrom: stack.user, recipients: ["sink@example.org"])
            }
        }
        #expect(failure?.permanent == false)
        try await sender.send(outgoingMail(marker()), envelopeFrom: stack.user, recipients: ["sink@example.org"])
        #expect(await sender.connectionsOpened == 2)
    }
}
