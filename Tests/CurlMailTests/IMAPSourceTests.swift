import Foundation
import Logging
import MailModel
import Testing

@testable import CurlMail

/// The mail stack started by `make test` (scripts/mailstack), read from the environment.
struct MailStack {
    let imapURL: String
    let imapsURL: String
    let caFile: String
    let user: String
    let password: String

    static let names = [
        "POSTDESK_TEST_IMAP_URL", "POSTDESK_TEST_IMAPS_URL", "POSTDESK_TEST_CA_FILE", "POSTDESK_TEST_SUPPORT_USER",
        "POSTDESK_TEST_SUPPORT_PASS",
    ]
    /// The trait of tests that need it: skipped (and shown as skipped) without the stack.
    static var isAvailable: Bool { MailStackEnvironment.isAvailable(names) }

    /// The stack's settings; throws (the test fails) when they are missing.
    static func fromEnvironment() throws -> MailStack {
        let env = try MailStackEnvironment.values(names)
        return MailStack(
            imapURL: env["POSTDESK_TEST_IMAP_URL", default: ""], imapsURL: env["POSTDESK_TEST_IMAPS_URL", default: ""],
            caFile: env["POSTDESK_TEST_CA_FILE", default: ""], user: env["POSTDESK_TEST_SUPPORT_USER", default: ""],
            password: env["POSTDESK_TEST_SUPPORT_PASS", default: ""])
    }

    func run(_ arguments: String...) throws { try MailStackEnvironment.run(arguments) }

    /// Puts raw mails straight into a folder of the support mailbox.
    func append(_ mails: [String], folder: String = "INBOX") throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("append-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (index, mail) in mails.enumerated() {
            let path = dir.appendingPathComponent("\(index).eml").path
            try Data(mail.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        try MailStackEnvironment.run(["append", user, folder] + paths)
    }

    func source(url: String? = nil, password: String? = nil, caFile: String?? = nil, insecure: Bool = false)
        throws -> IMAPSource
    {
        try IMAPSource(
            connection: CurlConnection(
                url: url ?? imapURL, user: user, password: password ?? self.password,
                caFile: caFile ?? self.caFile, insecure: insecure, responseTimeout: 10),
            logger: Logger(label: "test"))
    }
}

func sampleMail(_ index: Int) -> String {
    "From: c\(index)@example.org\r\nTo: support@example.test\r\nSubject: IMAP test \(index)\r\n"
        + "Message-ID: <imap-\(index)-\(UUID().uuidString)@example.org>\r\n\r\nBody \(index)\r\n"
}

@Suite(
    "IMAP through libcurl against Dovecot", .serialized,
    .enabled(if: MailStack.isAvailable, "the mail stack is not running (scripts/mailstack start)"))
struct IMAPSourceTests {
    @Test("lists, fetches byte-exact and moves a batch over STARTTLS with one connection")
    func roundTrip() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        let mails = (1...5).map(sampleMail)
        try stack.append(mails)
        let source = try stack.source()
        let pending = try await source.pending()
        #expect(pending.keys.count == 5)
        #expect(pending.uidValidity != nil)
        let fetched = try await source.fetch(pending.keys, byteLimit: .max)
        #expect(fetched.count == 5)
        #expect(Set(fetched.map { String(decoding: $0.bytes, as: UTF8.self) }) == Set(mails))
        #expect(fetched.allSatisfy { $0.locator.uidValidity == pending.uidValidity })
        let limited = try await source.fetch(pending.keys, byteLimit: 1)
        #expect(limited.count == 1, "the byte limit stops the fetch after the first mail")
        try await source.acknowledge(Array(pending.keys.prefix(3)), as: .processed)
        try await source.acknowledge([pending.keys[3]], as: .quarantined)
        let after = try await source.pending()
        #expect(after.keys == [pending.keys[4]])
        #expect(after.uidValidity == pending.uidValidity)
        try stack.run("clear", stack.user)
    }

    @Test("mail arriving while the connection stays open is seen by the next poll")
    func liveSession() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append([sampleMail(1)])
        let source = try stack.source()
        let first = try await source.pending().keys
        #expect(first.count == 1)
        try await source.acknowledge(first, as: .processed)
        #expect(try await source.pending().keys.isEmpty)
        try stack.append([sampleMail(2)])
        let second = try await source.pending().keys
        #expect(second.count == 1)
        #expect(second != first)
        try stack.run("clear", stack.user)
    }

    @Test("a mailbox of 2,500 mails is listed completely, UID by UID")
    func largeMailbox() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append((1...2_500).map(sampleMail))
        let keys = try await stack.source().pending().keys.compactMap { UInt32($0) }
        #expect(keys.count == 2_500)
        #expect(Set(keys).count == 2_500)
        #expect(keys == keys.sorted())
        if let first = keys.first, let last = keys.last { #expect(last - first == 2_499, "no UID lost or garbled") }
        try stack.run("clear", stack.user)
    }

    @Test("implicit TLS with the CA file, and insecure mode, both work; an untrusted certificate fails")
    func tlsModes() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append([sampleMail(1)])
        #expect(try await stack.source(url: stack.imapsURL).pending().keys.count == 1)
        #expect(try await stack.source(url: stack.imapsURL, caFile: .some(nil), insecure: true).pending().keys.count == 1)
        await #expect(throws: CurlError.self) {
            _ = try await stack.source(url: stack.imapsURL, caFile: .some(nil)).pending()
        }
        try stack.run("clear", stack.user)
    }

    @Test("a wrong password is a login refusal")
    func wrongPassword() async throws {
        let stack = try MailStack.fromEnvironment()
        let error = await #expect(throws: CurlError.self) {
            _ = try await stack.source(password: "wrong").pending()
        }
        #expect(error?.isLoginDenied == true)
    }

    @Test("a missing processed folder is created on the first acknowledgement")
    func createsFolder() async throws {
        let stack = try MailStack.fromEnvironment()
        try stack.run("clear", stack.user)
        try stack.append([sampleMail(1)])
        let folder = "Done-\(UUID().uuidString.prefix(8))"
        let source = try IMAPSource(
            connection: CurlConnection(url: stack.imapURL, user: stack.user, password: stack.password, caFile: stack.caFile),
            folders: .init(processed: folder), logger: Logger(label: "test"))
        let keys = try await source.pending().keys
        try await source.acknowledge(keys, as: .processed)
        #expect(try await source.pending().keys.isEmpty)
        try stack.run("clear", stack.user)
    }
}
