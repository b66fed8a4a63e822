import Foundation
import Logging
import MailModel
import Testing

@testable import CurlMail

/// The mail that breaks a mailbox, against the real Dovecot: folders it refuses, empty mail, mail too
/// large to download. Nested in `IMAPSourceTests`, so it shares its serialisation (one mailbox) and its
/// trait (skipped without the stack).
extension IMAPSourceTests {
@Suite("IMAP robustness against Dovecot")
struct Robustness {
    func source(_ stack: MailStack, processed: String = "Processed", maxMailBytes: Int = IMAPSource.defaultMaxMailBytes)
        throws -> IMAPSource
    {
        try IMAPSource(
            connection: CurlConnection(
                url: stack.imapURL, user: stack.user, password: stack.password, caFile: stack.caFile, responseTimeout: 10),
            folders: .init(processed: processed), maxMailBytes: maxMailBytes, logger: Logger(label: "test"))
    }

    @Test("a folder the server refuses names each refused mail with the server's words; the inbox stays usable")
    func refusedFolder() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append((1...3).map(sampleMail))
        let source = try source(stack, processed: "Bad&Name")
        let keys = try await source.pending().keys
        let refused = await #expect(throws: AcknowledgementRefused.self) {
            try await source.acknowledge(keys, as: .processed)
        }
        #expect(refused?.refusals.map(\.key) == keys, "the set was refused, then each mail on its own")
        #expect(refused?.refusals.allSatisfy { $0.folder == "Bad&Name" } == true)
        let reason = refused?.refusals.first?.reason ?? ""
        #expect(reason.contains(" NO ") && reason.contains("mUTF-7"), "the server's tagged reply: \(reason)")
        #expect(try await source.pending().keys == keys, "nothing moved, nothing lost")
        try await source.acknowledge(keys, as: .quarantined)
        #expect(try await source.pending().keys.isEmpty, "the same connection still acknowledges elsewhere")
        try stack.run("clear", stack.user)
    }

    @Test("a refused command's error carries the tagged reply; a refused login carries no password")
    func serverWords() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append([sampleMail(1)])
        let key = try #require(try await source(stack).pending().keys.first)
        let session = try CurlSession(
            connection: CurlConnection(url: stack.imapURL, user: stack.user, password: stack.password, caFile: stack.caFile),
            label: "test")
        let error = await #expect(throws: CurlError.self) {
            _ = try await session.perform(
                .init(url: stack.imapURL + "/INBOX", customRequest: "UID MOVE \(key) \"Nope-\(UUID())\""))
        }
        #expect(error?.isCommandRefused == true)
        #expect(error?.serverReply?.contains("NO [TRYCREATE] Mailbox doesn't exist") == true, "\(String(describing: error))")
        #expect(error?.description.contains("server said: A") == true)
        let secret = "wr0ng-\(UUID().uuidString)"
        let denied = await #expect(throws: CurlError.self) { _ = try await stack.source(password: secret).pending() }
        #expect(denied?.isLoginDenied == true)
        #expect(denied?.serverReply?.contains("[AUTHENTICATIONFAILED]") == true)
        let shown = "\(String(describing: denied)) \(denied?.description ?? "")"
        #expect(!shown.contains(secret))
        #expect(!shown.contains(Base64Encoding.standard.encode(Array("\0\(stack.user)\0\(secret)".utf8))))
    }

    @Test("an empty mail comes back with no bytes; an expunged one does not come back")
    func emptyMail() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append(["", "\r\n  \r\n", sampleMail(1)])
        let source = try source(stack)
        let keys = try await source.pending().keys
        #expect(keys.count == 3)
        let mails = try await source.fetch(keys + ["999999"], byteLimit: .max)
        #expect(mails.map(\.locator.key) == keys)
        #expect(mails.map(\.bytes.count).prefix(2) == [0, 6])
        try stack.run("clear", stack.user)
    }

    @Test("a mail over the limit is not downloaded: its excerpt has the header, the text and a note")
    func largeMail() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        let attachment = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n", count: 30_000)  // about 1.1 MB
        let big =
            "From: Big <big@example.org>\r\nTo: support@example.test\r\nSubject: Large one\r\n"
            + "Message-ID: <large-\(UUID())@example.org>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "Please look at the logs.\r\n--b1\r\nContent-Type: application/octet-stream; name=\"logs.tar\"\r\n"
            + "Content-Disposition: attachment; filename=\"logs.tar\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + attachment + "--b1--\r\n"
        try stack.append([big, sampleMail(2)])
        let source = try source(stack, maxMailBytes: 64 << 10)
        let keys = try await source.pending().keys
        let mails = try await source.fetch(keys, byteLimit: .max)
        #expect(mails.count == 2, "the mail after it still comes")
        let excerpt = String(decoding: mails.first?.bytes ?? [], as: UTF8.self)
        #expect(mails.first.map { $0.bytes.count < 8 << 10 } == true, "\(mails.first?.bytes.count ?? 0) bytes")
        #expect(excerpt.contains("Subject: Large one\r\n"))
        #expect(excerpt.contains("Please look at the logs."))
        #expect(excerpt.contains("over the limit of 0.1 MB"))
        #expect(excerpt.contains("\"logs.tar\" (application/octet-stream"))
        #expect(!excerpt.contains("QUJDREVGR0hJSktMTU5PUFFS"))
        let after = String(decoding: mails.last?.bytes ?? [], as: UTF8.self)
        #expect(after.contains("Subject: IMAP test 2\r\n"))
        try stack.run("clear", stack.user)
    }

    @Test("a large mail of one text part keeps its own Content-Type and the start of its text")
    func largeSinglePart() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        let body = "First line of a long report.\r\n" + String(repeating: "more report text\r\n", count: 10_000)
        try stack.append([
            "From: r@example.org\r\nSubject: Long report\r\nMessage-ID: <long-\(UUID())@example.org>\r\n"
                + "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n" + body
        ])
        let source = try source(stack, maxMailBytes: 32 << 10)
        let mails = try await source.fetch(try await source.pending().keys, byteLimit: .max)
        let excerpt = String(decoding: mails.first?.bytes ?? [], as: UTF8.self)
        #expect(excerpt.contains("--=_postdesk_excerpt_0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nFirst line"))
        #expect(excerpt.contains("Subject: Long report\r\n"))
        #expect(excerpt.contains("over the limit"))
        try stack.run("clear", stack.user)
    }

    @Test("a transfer past its cap stops with exceededLimit, and the next one works")
    func writeCap() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append([sampleMail(1) + String(repeating: "filler line\r\n", count: 2_000)])
        let session = try CurlSession(
            connection: CurlConnection(url: stack.imapURL, user: stack.user, password: stack.password, caFile: stack.caFile),
            label: "test")
        let source = try source(stack)
        let key = try #require(try await source.pending().keys.first)
        let error = await #expect(throws: CurlError.self) {
            _ = try await session.perform(.init(url: stack.imapURL + "/INBOX;UID=\(key)", maxBodyBytes: 1_000))
        }
        #expect(error?.exceededLimit == true)
        let whole = try await session.perform(.init(url: stack.imapURL + "/INBOX;UID=\(key)", maxBodyBytes: 1 << 20))
        #expect(whole.body.count > 20_000)
        try stack.run("clear", stack.user)
    }
}
}
