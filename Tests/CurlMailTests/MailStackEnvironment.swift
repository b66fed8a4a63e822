import Foundation

/// The running mail stack (scripts/mailstack) as the tests see it: its settings from the environment
/// (`eval "$(scripts/mailstack env)"`) and its script for clearing and filling mailboxes.
enum MailStackEnvironment {
    /// The values of `names`, or nil (the test is skipped) when the stack is not running, unless the
    /// run requires it (POSTDESK_REQUIRE_MAILSTACK=1, as `make test` sets), when that is a failure.
    static func values(_ names: [String]) throws -> [String: String]? {
        let env = ProcessInfo.processInfo.environment
        var found: [String: String] = [:]
        for name in names {
            guard let value = env[name], !value.isEmpty else {
                if env["POSTDESK_REQUIRE_MAILSTACK"] == "1" { throw MailStackMissing() }
                return nil
            }
            found[name] = value
        }
        return found
    }

    /// `scripts/mailstack` of this repository.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/mailstack").path

    /// Runs `scripts/mailstack ARGUMENTS...`; a failure means the stack is not usable.
    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MailStackMissing() }
    }
}

struct MailStackMissing: Error, CustomStringConvertible {
    var description: String { "the mail stack is not running: start it with scripts/mailstack start" }
}
