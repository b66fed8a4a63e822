import ArgumentParser
import Foundation
import Store

/// `postdesk ticket list|show`: the tickets in the database, for operators.
struct TicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket", abstract: "List, show and act on tickets.",
        subcommands: [List.self, Show.self, Reply.self, Note.self, Resolve.self, Close.self, Assign.self])

    /// Where the database is: a configuration file, or a data folder directly.
    struct Location: ParsableArguments {
        @Option(help: "The configuration file (TOML).")
        var config: String?

        @Option(help: "The data folder (instead of --config).")
        var dataDir: String?

        func open() throws -> AppDatabase {
            let folder: String
            if let dataDir {
                folder = dataDir
            } else if let config {
                do {
                    folder = try ConfigLoader.load(path: config, environment: ProcessInfoEnvironment.current).dataDir
                } catch { throw ValidationError(error.description) }
            } else {
                throw ValidationError("say where the data is: --config FILE or --data-dir FOLDER")
            }
            return try DataFolder.open(dataDir: folder, create: false)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tickets, most recently updated first.")
        @OptionGroup var location: Location
        @Option(help: "Only tickets with this status (new, open, pending, resolved, closed).")
        var status: String?
        @Option(help: "How many at most.")
        var limit = 100
        @Flag(help: "JSON instead of a table.")
        var json = false

        func run() throws {
            var wanted: Ticket.Status?
            if let status {
                guard let parsed = Ticket.Status(rawValue: status) else {
                    throw ValidationError("unknown status \(status.debugDescription)")
                }
                wanted = parsed
            }
            let summaries = try location.open().read { try $0.ticketSummaries(limit: limit, status: wanted) }
            if json {
                print(try TicketFormat.json(summaries))
            } else {
                print(TicketFormat.table(summaries))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one ticket with its conversation.")
        @OptionGroup var location: Location
        @Argument(help: "The ticket reference, e.g. TKT-7F3KQ9.")
        var ref: String
        @Flag(help: "JSON instead of text.")
        var json = false
        @Flag(help: "Each message's whole mail: quoted history and signature, and agents' commands and notices.")
        var full = false

        func run() throws {
            guard let detail = try location.open().read({ try $0.ticketDetail(ref: ref.uppercased()) }) else {
                throw ValidationError("no ticket \(ref)")
            }
            print(json ? try TicketFormat.json(detail) : TicketFormat.text(detail, full: full))
        }
    }
}
