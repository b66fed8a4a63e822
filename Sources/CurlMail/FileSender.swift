import Foundation
import MailModel
import NIOPosix

/// A mail sender that writes each message into a folder as an `.eml` file: `make demo` uses it, so
/// that no SMTP server is needed and the sent mail can be opened in any mail program.
///
/// Files are named `20261121T102915.123Z-5f0c2a9e41d7b3c8.eml`: the UTC send time to the millisecond,
/// so that names sort in sending order, and 64 random bits, so that concurrent sends never collide.
/// Each file is written under a hidden temporary name (`.NAME.tmp`) in the same folder and then
/// renamed, so a reader of `*.eml` never sees half a message.
///
/// The message bytes are written exactly as given: no header is added. The envelope, which has no
/// place in the message itself (a Bcc recipient, the null sender of a bounce), goes into a sidecar
/// `NAME.envelope.json`, `{"from":"","recipients":["bob@example.test"]}`, written before the `.eml`
/// file appears; pass `writesEnvelope: false` to leave it out.
public struct FileSender: MailSender {
    /// The envelope of one mail, as written into the sidecar file.
    public struct Envelope: Codable, Sendable, Equatable {
        /// Empty for the null sender `<>`.
        public var from: String
        public var recipients: [String]

        public init(from: String, recipients: [String]) {
            self.from = from
            self.recipients = recipients
        }
    }

    public let folder: URL
    public let writesEnvelope: Bool

    /// - Parameter folder: where the files go; created on the first send when missing.
    public init(folder: URL, writesEnvelope: Bool = true) {
        self.folder = folder
        self.writesEnvelope = writesEnvelope
    }

    /// Writes the message; returns once the `.eml` file is in place. A failure to write (a missing
    /// permission, a full disk) is a temporary `SendFailure`.
    public func send(_ message: [UInt8], envelopeFrom: String, recipients: [String]) async throws {
        let envelope = Envelope(from: envelopeFrom, recipients: recipients)
        _ = try await NIOThreadPool.singleton.runIfActive { try self.write(message, envelope: envelope) }
    }

    /// Writes the message and its sidecar and returns the `.eml` file's URL.
    @discardableResult
    public func write(_ message: [UInt8], envelope: Envelope) throws -> URL {
        let stem = Self.fileStem(at: Date())
        let file = folder.appendingPathComponent(stem + ".eml")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if writesEnvelope {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                try writeAtomically(Array(encoder.encode(envelope)) + [0x0A], to: stem + ".envelope.json")
            }
            try writeAtomically(message, to: stem + ".eml")
        } catch {
            throw SendFailure(
                permanent: false,
                reason: "cannot write \(file.lastPathComponent) into the sent-mail folder: \(Self.oneLine(error))")
        }
        return file
    }

    /// `20261121T102915.123Z-5f0c2a9e41d7b3c8`.
    static func fileStem(at date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = time_t(milliseconds / 1000)
        var parts = tm()
        var clock = seconds
        gmtime_r(&clock, &parts)
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds % 1000))
        let random = String(UInt64.random(in: .min ... .max), radix: 16)
        return stamp + "-" + String(repeating: "0", count: 16 - random.count) + random
    }

    /// Writes `bytes` to a hidden temporary file in the folder, then renames it to `name`.
    private func writeAtomically(_ bytes: [UInt8], to name: String) throws {
        let temporary = folder.appendingPathComponent("." + name + ".tmp")
        let final = folder.appendingPathComponent(name)
        try Data(bytes).write(to: temporary, options: .withoutOverwriting)
        guard rename(temporary.path, final.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename failed: \(reason)"])
        }
    }

    private static func oneLine(_ error: any Error) -> String {
        let scalars = "\(error)".unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
        return String(String.UnicodeScalarView(scalars))
    }
}
