import Foundation
import ArgumentParser

@main
struct Postdesk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postdesk",
        abstract: "An email-driven helpdesk gateway: the support inbox as the primary channel.",
        subcommands: [
            RunCommand.self, CheckConfigCommand.self, DeliverCommand.self, ParseCommand.self, TicketCommand.self,
            OutboxCommand.self, TemplatesCommand.self, PortalCommand.self, DemoCommand.self,
        ]
    )
}

/// `--config FILE`, shared by the commands that read the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file (TOML).")
    var config: String

    func load() throws -> PostdeskConfig {
        do {
            return try ConfigLoader.load(path: config, environment: ProcessInfoEnvironment.current)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

enum ProcessInfoEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}
