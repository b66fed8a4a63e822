import Foundation
import Testing

@testable import MailTemplates

/// The shipped templates, and scratch copies of them to break.
enum TemplateFixtures {
    /// `mail-templates/` of the repository, found from this file's path (through symlinks if needed).
    static let shippedFolder: String = {
        let file = URL(fileURLWithPath: #filePath)
        let candidates = [file.resolvingSymlinksInPath(), file].map {
            $0.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("mail-templates").path
        }
        let marker = "confirmation/subject.mustache"
        return candidates.first { FileManager.default.fileExists(atPath: "\($0)/\(marker)") } ?? candidates[0]
    }()

    /// A fresh copy of the shipped templates in a temporary folder; remove it with `remove(_:)`.
    static func scratchCopy() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("postdesk-templates-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: shippedFolder, toPath: folder)
        return folder
    }

    static func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func write(_ text: String, to file: String, in folder: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(file)"))
    }

    static func read(_ file: String, in folder: String) throws -> String {
        try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)
    }

    /// The kinds whose mail customers answer: their bodies start with the reply marker.
    static let answeredKinds: [TemplateKind] = [.confirmation, .agentReply, .resolution]

    static let marker = "-- reply above this line --"
}
