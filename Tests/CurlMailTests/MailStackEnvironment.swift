import Foundation

/// The running mail stack (scripts/mailstack) as the tests see it: its settings from the environment
/// (`eval "$(scripts/mailstack env)"`) and its script for clearing and filling mailboxes.
///
/// A test that needs the stack takes the trait `.enabled(if: MailStackEnvironment.isAvailable(...))`:
/// without the stack it is reported as skipped, never as passed. When the run requires the stack
/// (POSTDESK_REQUIRE_MAILSTACK=1, as `make test` sets) the test runs anyway, and `values` fails it.
enum MailStackEnvironment {
    static var isRequired: Bool { ProcessInfo.processInfo.environment["POSTDESK_REQUIRE_MAILSTACK"] == "1" }

    /// Whether tests that read `names` can run: all are set, or the run requires the stack.
    static func isAvailable(_ names: [String]) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isRequired || names.allSatisfy { !(env[$0] ?? "").isEmpty }
    }

    /// The values of `names`; throws (the test fails) when one is missing.
    static func values(_ names: [String]) throws -> [String: String] {
        let env = ProcessInfo.processInfo.environment
        var found: [String: String] = [:]
        for name in names {
            guard let value = env[name], !value.isEmpty else { throw MailStackMissing(variable: name) }
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
    var variable: String? = nil
    var description: String {
        "the mail stack is not running\(variable.map { " (\($0) is not set)" } ?? ""): start it with scripts/mailstack "
            + "start and eval \"$(scripts/mailstack env)\""
    }
}
