import ArgumentParser
import Foundation
import Gateway
import Logging

/// `postdesk run --config FILE`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the gateway: poll the inbound mailboxes until stopped (SIGTERM, SIGINT).")

    @OptionGroup var options: ConfigOption

    @Flag(help: "Take in what is waiting in every mailbox once, then exit.")
    var once = false

    func run() async throws {
        let config = try options.load()
        LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let logger = Logger(label: "postdesk")
        let lock = try DataFolderLock(folder: config.dataDir)
        defer { withExtendedLifetime(lock) {} }
        let app = try PostdeskApp(config: config, logger: logger)
        if once {
            let start = ContinuousClock.now
            let report = try await app.drainOnce()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let inbound = report.inbound
            let rate = seconds > 0 ? Double(inbound.fetched) / seconds : 0
            print(
                "fetched \(inbound.fetched), acknowledged \(inbound.acknowledged), quarantined \(inbound.quarantined)"
                    + " in \(String(format: "%.3f", seconds)) s (\(String(format: "%.0f", rate)) mails/s);"
                    + " sent \(report.outbound.sent), to retry \(report.outbound.retried), dead \(report.outbound.dead)")
            return
        }
        guard !(config.imap.isEmpty && config.maildirs.isEmpty) else {
            throw ValidationError("the configuration names no inbound source: add an [[imap]] or [[maildir]] table")
        }
        try await app.runServices()
    }
}

/// `postdesk check-config --config FILE`: every problem with its key and line, or a short summary.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Check a configuration file and report every problem.")

    @Option(help: "The configuration file (TOML).")
    var config: String

    func run() throws {
        do {
            let loaded = try ConfigLoader.load(path: config, environment: ProcessInfoEnvironment.current)
            print("\(config): ok")
            print("  data folder: \(loaded.dataDir)")
            print("  support address: \(loaded.helpdesk.supportAddress), ticket prefix: \(loaded.helpdesk.ticketPrefix)")
            for box in loaded.imap {
                print("  imap \(box.name): \(box.url) as \(box.user), \(box.inbox) -> \(box.processedFolder) / \(box.quarantineFolder), every \(box.pollInterval) s")
            }
            for maildir in loaded.maildirs { print("  maildir \(maildir.name): \(maildir.path), every \(maildir.pollInterval) s") }
            if loaded.imap.isEmpty && loaded.maildirs.isEmpty { print("  note: no inbound source configured") }
        } catch {
            print(error.description)
            throw ExitCode(1)
        }
    }
}
