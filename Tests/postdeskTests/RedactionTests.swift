import CurlMail
import Foundation
import Gateway
import Logging
import Portal
import ServiceLifecycle
import Testing

@testable import postdesk

/// Secrets never reach a log: every type that holds one prints, reflects and dumps without it.
@Suite("Secrets stay out of descriptions")
struct RedactionTests {
    static let imapPassword = "imap-password-8f3kq9zz"
    static let smtpPassword = "smtp-password-4v7wq2xx"
    static let secretKey = "a signing key of well over thirty-two characters"
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var secrets: [String] { [imapPassword, smtpPassword, secretKey] }

    /// A configuration with every kind of secret, its data in a fresh temporary folder.
    static func config() -> PostdeskConfig {
        var config = PostdeskConfig()
        config.dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("postdesk-redaction-\(UUID())").path
        config.helpdesk.secretKey = secretKey
        config.helpdesk.templates = repo.appendingPathComponent("mail-templates").path
        config.imap = [
            .init(name: "support", url: "imaps://imap.example.test:993", user: "support@example.test", password: imapPassword)
        ]
        config.outbound = .init(url: "smtps://smtp.example.test:465", user: "support@example.test", password: smtpPassword)
        config.portal.port = 0
        return config
    }

    @Test("the check finds a secret where one is, in each of its forms")
    func checkWorks() {
        struct Plain { var key: [UInt8]; var password: String }
        let plain = Plain(key: Array(Self.secretKey.utf8), password: Self.imapPassword)
        #expect(SecretForms.leaks(of: Self.secrets, in: plain).count >= 4)
        #expect(!SecretForms.leaks(of: [Self.secretKey], in: Data(Self.secretKey.utf8).base64EncodedString()).isEmpty)
        #expect(!SecretForms.leaks(of: [Self.secretKey], in: "\(Array(Self.secretKey.utf8))").isEmpty)
    }

    @Test("the configuration and its parts")
    func configuration() {
        let config = Self.config()
        let parts: [Any] = [config, config.helpdesk, config.imap[0], config.outbound as Any, config.portal]
        for part in parts {
            #expect(SecretForms.leaks(of: Self.secrets, in: part).isEmpty, "\(type(of: part))")
        }
        #expect(String(describing: config.imap[0]).contains("imaps://imap.example.test:993"))
    }

    @Test("the curl adapters and the connection settings they hold")
    func curlAdapters() throws {
        let connection = CurlConnection(url: "smtps://smtp.example.test:465", user: "support", password: Self.smtpPassword)
        let smtp = try SMTPSender(connection: connection)
        let imap = try IMAPSource(
            connection: CurlConnection(url: "imaps://imap.example.test:993", user: "support", password: Self.imapPassword),
            logger: Logger(label: "test"))
        for value in [connection, smtp, imap] as [Any] {
            #expect(SecretForms.leaks(of: Self.secrets, in: value).isEmpty, "\(type(of: value))")
        }
        #expect(String(describing: connection).contains("smtps://smtp.example.test:465"))
    }

    @Test("the app, the portal's settings, controller and services, the poller's sources")
    func appAndServices() throws {
        let config = Self.config()
        defer { try? FileManager.default.removeItem(atPath: config.dataDir) }
        let app = try PostdeskApp(config: config, logger: Logger(label: "test"))
        let settings = PortalSettings(supportAddress: "support@example.test", secretKey: Array(Self.secretKey.utf8))
        let controller = PortalController(
            database: app.database, blobs: app.blobs, desk: PortalIntake(ingestor: app.ingestor), settings: settings,
            logger: Logger(label: "test"))
        var values: [Any] = [app, settings, controller, controller.linkRequestMailer]
        values += try app.portal() as [Any]
        values += try app.sources().map(\.source) as [Any]
        for value in values {
            #expect(SecretForms.leaks(of: Self.secrets, in: value).isEmpty, "\(type(of: value))")
        }
    }

    @Test("the service group names services by type, never by description")
    func serviceNames() throws {
        let config = Self.config()
        defer { try? FileManager.default.removeItem(atPath: config.dataDir) }
        let app = try PostdeskApp(config: config, logger: Logger(label: "test"))
        for service in try app.buildServices() {
            let name = PostdeskApp.serviceName(service)
            #expect(SecretForms.leaks(of: Self.secrets, in: name).isEmpty)
            #expect(!name.contains("("), "\(name)")
        }
    }

    @Test("paths with a link's token are logged without it", arguments: [
        ("/portal/login/Zx9_secret-Token", "/portal/login/<token>"),
        ("/portal/t/Zx9_secret-Token", "/portal/t/<token>"),
        ("/portal/t/Zx9_secret-Token/rate/5", "/portal/t/<token>/rate/5"),
        ("/portal/t/Zx9_secret-Token/rate", "/portal/t/<token>/rate"),
        ("/portal/tickets/TKT-7F3KQ9", "/portal/tickets/TKT-7F3KQ9"),
    ])
    func paths(path: String, logged: String) {
        #expect(PortalPath.redacted(path) == logged)
    }
}
