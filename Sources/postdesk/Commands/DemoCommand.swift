import ArgumentParser
import Foundation
import Gateway
import Logging
import MailModel
import Store

/// `postdesk demo`: the whole thing on embedded defaults, no configuration file and no servers to
/// install: a Maildir in a local folder seeded from `samples/`, the database beside it, sent mail as
/// `.eml` files, and the portal on http://127.0.0.1:8080 with a sign-in link printed for a sample
/// customer. It keeps running (new mail dropped into the Maildir is taken in) until Ctrl-C.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run Postdesk on embedded defaults over the sample mails.")

    @Option(help: "The demo folder (created; its maildir/ and data/ are used).")
    var dir = ".demo"

    @Option(help: "Folder of sample mails to drop into the demo Maildir.")
    var samples = "samples"

    @Flag(help: "Take in the samples, print the tickets and exit, without serving the portal.")
    var once = false

    func run() async throws {
        LogSetup.bootstrap(level: .warning, format: .text)
        let config = PostdeskConfig.demo(folder: dir)
        let newFolder = URL(fileURLWithPath: dir).appendingPathComponent("maildir/new")
        try FileManager.default.createDirectory(at: newFolder, withIntermediateDirectories: true)
        let files = try FileManager.default.contentsOfDirectory(atPath: samples).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
        for name in files {
            let target = newFolder.appendingPathComponent("\(name).demo")
            if !FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.copyItem(atPath: (samples as NSString).appendingPathComponent(name), toPath: target.path)
            }
        }
        let lock = try DataFolderLock(folder: config.dataDir)
        defer { withExtendedLifetime(lock) {} }
        let app = try PostdeskApp(config: config, logger: Logger(label: "postdesk.demo"))
        let report = try await app.drainOnce()
        let tickets = try await app.database.read { try $0.ticketSummaries(limit: 50) }
        print(
            "Postdesk demo: \(files.count) sample mails dropped into \(dir)/maildir, \(report.inbound.fetched) taken in now;"
                + " \(report.outbound.sent) mails written to \(dir)/sent.\n")
        print(TicketFormat.table(tickets))
        let outcomes = try await app.database.read { try $0.inboundOutcomeCounts() }
        print("\ninbound mail by outcome: " + outcomes.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))
        let binary = CommandLine.arguments.first ?? "postdesk"
        print("""

            Explore:
              \(binary) ticket list --data-dir \(config.dataDir)
              \(binary) ticket show \(tickets.first?.ref ?? "TKT-XXXXXX") --data-dir \(config.dataDir)
              \(binary) parse samples/01-plain-new-ticket.eml
              sqlite3 \(config.databasePath) 'SELECT outcome, reason FROM inboundMail'
              ls \(dir)/sent        # the confirmations and notices, as .eml files
            """)
        guard !once else { return }
        let signIn = try await sampleSignInLink(app: app, config: config)
        print("""

            The portal: \(config.helpdesk.portalURL)/portal
            Sign in as \(signIn.email) (this link works once, for \(signIn.lifetime.inWords)):
              \(signIn.url)
            Drop more mail into \(dir)/maildir/new: it is taken in within seconds. Ctrl-C stops the demo.
            """)
        fflush(nil)  // the link must show before the services log anything
        try await app.runServices()
    }

    /// A sign-in link for the customer with the most tickets, made directly (the demo's mail is files).
    func sampleSignInLink(
        app: PostdeskApp, config: PostdeskConfig
    ) async throws -> (email: String, url: String, lifetime: Duration) {
        let lifetime = Duration.seconds(config.portal.loginLinkMinutes * 60)
        let portalURL = config.helpdesk.portalURL
        return try await app.database.write { tx in
            guard let customer = try tx.customerWithMostTickets(), let id = customer.id else {
                return ("(no customer yet)", "\(portalURL)/portal", lifetime)
            }
            let token = try tx.issueToken(
                customerID: id, ticketID: nil, purpose: .login, lifetime: lifetime.timeInterval, at: Date())
            return (customer.email, "\(portalURL)/portal/login/\(token)", lifetime)
        }
    }
}
