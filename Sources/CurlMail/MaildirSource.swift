import Foundation
import MailModel
import NIOPosix

/// A Maildir folder as an inbound source: for the demo, for an MTA that delivers to Maildir, and for
/// importing a backlog. Mail waits in `new/` and `cur/`; acknowledged mail moves to the Maildir++
/// subfolders `.Processed/cur/` and `.Quarantine/cur/`. The file work runs on NIO's thread pool.
public struct MaildirSource: InboundSource {
    public let root: URL
    public let sourceID: String

    public init(root: URL) throws {
        self.root = root
        sourceID = "maildir:\(root.standardizedFileURL.path)"
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    public func pending() async throws -> PendingMail {
        try await NIOThreadPool.singleton.runIfActive { try self.listNow() }
    }

    public func fetch(_ keys: [String], byteLimit: Int) async throws -> [RawMail] {
        try await NIOThreadPool.singleton.runIfActive { try self.readNow(keys, byteLimit: byteLimit) }
    }

    public func acknowledge(_ keys: [String], as disposition: Disposition) async throws {
        try await NIOThreadPool.singleton.runIfActive { try self.moveNow(keys, as: disposition) }
    }

    private func listNow() throws -> PendingMail {
        var keys: [String] = []
        for sub in ["new", "cur"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(sub).path)
            keys += names.filter { !$0.hasPrefix(".") }.sorted().map { "\(sub)/\($0)" }
        }
        return PendingMail(uidValidity: nil, keys: keys)
    }

    private func readNow(_ keys: [String], byteLimit: Int) throws -> [RawMail] {
        var mails: [RawMail] = []
        var bytes = 0
        for key in keys where Self.isValidKey(key) && bytes < byteLimit {
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(key).path) else { continue }
            bytes += data.count
            mails.append(RawMail(locator: MailLocator(source: sourceID, uidValidity: nil, key: key), bytes: [UInt8](data)))
        }
        return mails
    }

    private func moveNow(_ keys: [String], as disposition: Disposition) throws {
        let folder = root.appendingPathComponent(disposition == .processed ? ".Processed" : ".Quarantine")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        for key in keys where Self.isValidKey(key) {
            let from = root.appendingPathComponent(key)
            let to = folder.appendingPathComponent("cur").appendingPathComponent(from.lastPathComponent)
            guard FileManager.default.fileExists(atPath: from.path) else { continue }
            if FileManager.default.fileExists(atPath: to.path) { try FileManager.default.removeItem(at: to) }
            try FileManager.default.moveItem(at: from, to: to)
        }
    }

    /// Keys are `new/NAME` or `cur/NAME`; anything else (a path escaping the folder) is ignored.
    static func isValidKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && (parts[0] == "new" || parts[0] == "cur") && !parts[1].isEmpty
            && !parts[1].hasPrefix(".")
    }
}
