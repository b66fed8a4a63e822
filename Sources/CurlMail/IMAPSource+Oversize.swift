import Foundation
import Logging
import MailModel

/// Mail too large to download whole: its size is known before the download (`RFC822.SIZE`), and such
/// a mail is taken in as a `MailExcerpt` built from its header, its first text part (cut at
/// `excerptTextBytes`) and a note of the size and the parts that stayed on the server. The whole mail
/// stays there and is moved to the processed folder like any other.
extension IMAPSource {
    /// The most of a text part an excerpt keeps.
    static let excerptTextBytes = 1 << 20
    /// The most of a header block (the mail's, or a part's) an excerpt keeps.
    static let excerptHeaderBytes = 256 << 10
    /// The most of a `BODYSTRUCTURE` answer read; a longer one describes no mail worth parsing.
    static let structureBytes = 1 << 20
    /// UIDs per `UID FETCH (RFC822.SIZE)`: short lines of about 45 bytes each.
    static let sizeWindow = 500

    /// What the server says each mail weighs; a UID it does not answer for is left out.
    func messageSizes(_ uids: [UInt32]) async throws -> [UInt32: Int] {
        var sizes: [UInt32: Int] = [:]
        for start in stride(from: 0, to: uids.count, by: Self.sizeWindow) {
            let set = IMAPProtocol.uidSet(Array(uids[start..<min(start + Self.sizeWindow, uids.count)]))
            let response = try await session.perform(
                .init(url: inboxURL, customRequest: "UID FETCH \(set) (RFC822.SIZE)", maxBodyBytes: 1 << 20))
            sizes.merge(IMAPProtocol.messageSizes(in: String(decoding: response.body, as: UTF8.self))) { $1 }
        }
        return sizes
    }

    /// The excerpt of a mail of `size` bytes (nil: the server's stated size proved false).
    func excerpt(_ uid: UInt32, size: Int?) async throws -> [UInt8] {
        let structureResponse = try? await session.perform(
            .init(url: inboxURL, customRequest: "UID FETCH \(uid) (BODYSTRUCTURE)", maxBodyBytes: Self.structureBytes))
        let structure = structureResponse.flatMap { BodyStructure.parse(fetchResponse: $0.body) }
        let header = try await section(uid, "HEADER", limit: Self.excerptHeaderBytes) ?? []
        let textPart = structure?.textPart
        var textHeader: [UInt8]?
        var text: [UInt8]?
        if let textPart {
            if structure?.isMultipart == true {
                textHeader = try await section(uid, textPart.section + ".MIME", limit: Self.excerptHeaderBytes)
            }
            text = try await section(uid, textPart.section, limit: Self.excerptTextBytes + 1)
        }
        let cut = (text?.count ?? 0) > Self.excerptTextBytes
        if cut, let whole = text { text = Array(whole.prefix(Self.excerptTextBytes)) }
        let leftOut = (structure?.parts ?? []).filter { $0.section != textPart?.section }
        let note = MailExcerpt.note(
            size: size, limit: maxMailBytes, folder: folders.processed, textCut: cut, hasText: text != nil,
            structureKnown: structure != nil, leftOut: leftOut)
        logger.warning(
            "mail over the size limit: taking in its text only, the mail stays on the server",
            metadata: [
                "imap.uid": "\(uid)", "imap.size": "\(size.map(String.init) ?? "unknown")", "imap.limit": "\(maxMailBytes)",
                "imap.parts_left": "\(leftOut.count)",
            ])
        return MailExcerpt(header: header, textHeader: textHeader, text: text, note: note).bytes
    }

    /// The first `limit` bytes of a section (`HEADER`, `1.2`, `1.2.MIME`, `TEXT`), or nil when the
    /// server has none or sends more than it was asked for.
    private func section(_ uid: UInt32, _ section: String, limit: Int) async throws -> [UInt8]? {
        do {
            let response = try await session.perform(
                .init(url: inboxURL + ";UID=\(uid);SECTION=\(section);PARTIAL=0.\(limit)", maxBodyBytes: limit))
            return IMAPResponse.fetchedLiteralSize(in: response.headerLines) == nil ? nil : response.body
        } catch let error as CurlError where error.exceededLimit || error.isNotFound || error.isCommandRefused {
            logger.info(
                "imap section not taken", metadata: ["imap.uid": "\(uid)", "imap.section": "\(section)", "error": "\(error)"])
            return nil
        }
    }
}

extension MailExcerpt {
    /// What the ticket says about the mail it stands for.
    static func note(
        size: Int?, limit: Int, folder: String, textCut: Bool, hasText: Bool, structureKnown: Bool,
        leftOut: [BodyStructure.Part]
    ) -> String {
        let sizeText = size.map { "\(megabytes($0))" } ?? "larger than its server said"
        var lines = [
            "[Postdesk] This mail is \(sizeText), over the limit of \(megabytes(limit)) for one mail, so it was not "
                + "downloaded: only its header and text were taken in. The whole mail stays on the mail server, in the "
                + "folder \"\(folder)\"."
        ]
        if textCut { lines.append("Its text was cut after \(megabytes(IMAPSource.excerptTextBytes)).") }
        if !structureKnown {
            lines.append("Its structure could not be read, so none of its body was taken in.")
        } else if !hasText {
            lines.append("It has no text part to show.")
        }
        if !leftOut.isEmpty {
            lines.append("Left on the server:")
            for part in leftOut.prefix(50) {
                let name = part.filename.map { "\"\($0)\" " } ?? ""
                lines.append("- \(name)(\(part.mimeType), \(megabytes(part.size)), part \(part.section))")
            }
            if leftOut.count > 50 { lines.append("- and \(leftOut.count - 50) more parts") }
        }
        return lines.joined(separator: "\r\n")
    }

    /// `200.0 MB`, `25 MB`, `0.1 MB`.
    static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_048_576
        if value == value.rounded(), value >= 1 { return "\(Int(value)) MB" }
        return String(format: "%.1f MB", max(value, 0.1))
    }
}
