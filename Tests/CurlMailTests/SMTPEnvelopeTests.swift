import Foundation
import Logging
import MailModel
import Testing

@testable import CurlMail

@Suite("SMTP envelope, replies and failure mapping, without a server")
struct SMTPEnvelopeTests {
    @Test(
        "well-formed envelope addresses pass",
        arguments: ["bob@example.test", "a.b+tag@sub.example.org", "x@[127.0.0.1]", "user@bücher.example", "a@b"])
    func goodAddresses(address: String) {
        #expect(SMTPEnvelope.problem(address: address) == nil)
    }

    @Test(
        "malformed envelope addresses are refused",
        arguments: [
            "", "bob", "@example.test", "bob@", "bob@example..test", "bob@.example.test", "bob@example.test.",
            "bob smith@example.test", "bob@example.test\r\nRCPT TO:<evil@example.org>", "<bob@example.test>",
            "bob@exa_mple.test", "bob@[127.0.0.1", String(repeating: "a", count: 65) + "@example.test",
            "a@" + String(repeating: "b", count: 260),
        ])
    func badAddresses(address: String) {
        #expect(SMTPEnvelope.problem(address: address) != nil)
    }

    @Test("the null sender is allowed; no recipients is not; problems are shown on one line")
    func envelopes() {
        #expect(SMTPEnvelope.problem(from: "", recipients: ["bob@example.test"]) == nil)
        #expect(SMTPEnvelope.problem(from: "", recipients: []) != nil)
        let problem = SMTPEnvelope.problem(from: "a@example.test\r\nDATA", recipients: ["bob@example.test"])
        #expect(problem?.contains("\\u{d}\\u{a}DATA") == true)
        #expect(problem?.unicodeScalars.contains { $0 == "\r" || $0 == "\n" } == false)
    }

    @Test("bare LF becomes CR LF; CR LF stays as it is")
    func lineEnds() {
        #expect(SMTPEnvelope.withCRLF(Array("a\nb\r\nc\n".utf8)) == Array("a\r\nb\r\nc\r\n".utf8))
        #expect(SMTPEnvelope.withCRLF(Array("\n".utf8)) == Array("\r\n".utf8))
        #expect(SMTPEnvelope.withCRLF(Array("a\r\nb".utf8)) == Array("a\r\nb".utf8))
        #expect(SMTPEnvelope.withCRLF([]) == [])
    }

    @Test("reply lines: single, multi-line, and the first error among a transfer's lines")
    func replies() {
        let lines = [
            "220 mail.example.test ESMTP", "250-mail.example.test", "250 8BITMIME", "250 2.1.0 Ok",
            "550-5.1.1 The account does not exist.", "550 5.1.1 Please check the address.", "221 2.0.0 Bye",
        ]
        let error = SMTPReply.firstError(in: lines)
        #expect(
            error == SMTPReply(code: 550, text: "5.1.1 The account does not exist. 5.1.1 Please check the address."))
        #expect(SMTPReply.last(in: lines)?.code == 221)
        #expect(SMTPReply.firstError(in: ["421"])?.line == "421")
        #expect(SMTPReply.firstError(in: ["250 Ok", "* 1 EXISTS", "A001 NO [AUTH] refused"]) == nil)
        #expect(SMTPReply.parse("55x nope") == nil)
        #expect(SMTPReply.parse("5500 nope") == nil)
    }

    @Test("failures: the server's answer to the mail is the message's (5xx permanent, 4xx temporary); the rest pauses the sender")
    func failureMapping() {
        let rejected = SMTPSender.failure(
            from: CurlError(code: 55, message: "RCPT failed: 550", serverReply: "550 5.1.1 <x@example.test>: unknown"))
        #expect(rejected.permanent && rejected.code == 550 && rejected.scope == .message)
        #expect(rejected.reason.hasPrefix("550 5.1.1 <x@example.test>: unknown"))
        let greylisted = SMTPSender.failure(
            from: CurlError(code: 55, message: "RCPT failed: 450", serverReply: "450 4.2.0 greylisted"))
        #expect(!greylisted.permanent && greylisted.code == 450 && greylisted.scope == .message)
        let tooBig = SMTPSender.failure(
            from: CurlError(code: 55, message: "MAIL failed: 552", serverReply: "552 5.3.4 Message size exceeds fixed limit"))
        #expect(tooBig.permanent && tooBig.scope == .message, "a 5xx to MAIL FROM with SIZE is about this mail")
        let content = SMTPSender.failure(
            from: CurlError(code: 8, message: "", serverReply: "554 5.7.1 spam", uploadStarted: true))
        #expect(content.permanent && content.scope == .message, "refused after the data: this mail's content")
        // The sender's, and never permanent: they say nothing about the mail.
        let full = SMTPSender.failure(
            from: CurlError(code: 55, message: "MAIL failed: 452", serverReply: "452 4.3.1 Insufficient system storage"))
        #expect(!full.permanent && full.scope == .sender)
        let closing = SMTPSender.failure(
            from: CurlError(code: 55, message: "RCPT failed: 421", serverReply: "421 4.4.2 closing"))
        #expect(closing.scope == .sender)
        let login = SMTPSender.failure(
            from: CurlError(code: 67, message: "Login denied", serverReply: "535 5.7.8 Error: authentication failed"))
        #expect(!login.permanent && login.scope == .sender, "a password being changed must not kill queued mail")
        let greeting = SMTPSender.failure(
            from: CurlError(code: 8, message: "Got unexpected smtp-server response: 554", serverReply: "554 no service"))
        #expect(greeting.scope == .sender)
        for code in [7, 28, 60, 56, 3] {
            let failure = SMTPSender.failure(from: CurlError(code: code, message: "x"))
            #expect(!failure.permanent && failure.scope == .sender)
        }
        let injected = SMTPSender.failure(
            from: CurlError(code: 56, message: "a\r\nb", serverReply: "451 4.3.0 try\u{7}again\r\nlater"))
        #expect(!injected.reason.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test("a malformed address fails permanently before any connection is made")
    func malformedAddressNeedsNoServer() async throws {
        let sender = try SMTPSender(
            connection: CurlConnection(url: "smtp://127.0.0.1:1", user: "", password: ""), logger: Logger(label: "test")
        )
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send([], envelopeFrom: "", recipients: ["bob@example.test>\r\nDATA"])
        }
        #expect(failure?.permanent == true)
        #expect(failure?.code == nil)
    }

    @Test("a refused connection is a temporary failure")
    func connectionRefused() async throws {
        let sender = try SMTPSender(
            connection: CurlConnection(url: "smtp://127.0.0.1:1", user: "", password: ""), logger: Logger(label: "test")
        )
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send(
                Array("Subject: x\r\n\r\nx\r\n".utf8), envelopeFrom: "", recipients: ["b@example.test"])
        }
        #expect(failure?.permanent == false)
    }

    @Test("a server that never greets runs into the connect timeout (which covers the greeting): a temporary failure")
    func silentServer() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let sender = try SMTPSender(
            connection: CurlConnection(
                url: "smtp://127.0.0.1:\(listener.port)", user: "", password: "", requireTLS: false,
                connectTimeout: 2, responseTimeout: 1),
            logger: Logger(label: "test"))
        let start = ContinuousClock.now
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send(
                Array("Subject: x\r\n\r\nx\r\n".utf8), envelopeFrom: "", recipients: ["b@example.test"])
        }
        #expect(failure?.permanent == false)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("only smtp:// and smtps:// URLs make a sender")
    func scheme() {
        #expect(throws: CurlError.self) {
            _ = try SMTPSender(
                connection: CurlConnection(url: "imap://127.0.0.1:1", user: "", password: ""),
                logger: Logger(label: "test"))
        }
    }
}

/// A TCP socket on loopback that listens but never accepts: the kernel completes the handshake, then
/// the client waits for a greeting that never comes.
final class SilentListener: Sendable {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw CurlError(code: -1, message: "cannot listen on loopback") }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Foundation.close(descriptor) }
}
