import Logging
import MailModel

/// Acknowledging mail: one `UID MOVE` (or `UID COPY` and a keyword) per 500 UIDs, and mail by mail
/// where the server refuses a set, so one mail it will not move never holds back the others.
extension IMAPSource {
    public func acknowledge(_ keys: [String], as disposition: Disposition) async throws {
        let uids = keys.compactMap(UInt32.init)
        guard !uids.isEmpty else { return }
        let folder = disposition == .processed ? folders.processed : folders.quarantine
        let caps = try await serverCapabilities()
        var refusals: [AcknowledgementRefused.Refusal] = []
        for start in stride(from: 0, to: uids.count, by: 500) {
            let chunk = Array(uids[start..<min(start + 500, uids.count)])
            do {
                try await moveOut(IMAPProtocol.uidSet(chunk), to: folder, move: caps.contains("MOVE"))
            } catch let error as CurlError where error.isCommandRefused {
                guard chunk.count > 1 else {
                    refusals.append(.init(key: String(chunk[0]), folder: folder, reason: Self.reason(error)))
                    continue
                }
                logger.warning(
                    "imap server refused to move a set of mails: moving them one by one",
                    metadata: [
                        "imap.folder": "\(folder)", "imap.mails": "\(chunk.count)", "imap.reason": "\(Self.reason(error))",
                    ])
                for uid in chunk {
                    do {
                        try await moveOut(String(uid), to: folder, move: caps.contains("MOVE"))
                    } catch let error as CurlError where error.isCommandRefused {
                        refusals.append(.init(key: String(uid), folder: folder, reason: Self.reason(error)))
                    }
                }
            }
        }
        if !refusals.isEmpty { throw AcknowledgementRefused(refusals) }
    }

    /// The server's own words when it gave them, libcurl's otherwise.
    static func reason(_ error: CurlError) -> String { error.serverReply ?? error.description }

    private func moveOut(_ set: String, to folder: String, move: Bool) async throws {
        if move {
            try await performCreatingFolder("UID MOVE \(set) \(IMAPProtocol.quoted(folder))", folder: folder)
        } else {
            try await performCreatingFolder("UID COPY \(set) \(IMAPProtocol.quoted(folder))", folder: folder)
            _ = try await session.perform(
                .init(url: inboxURL, customRequest: "UID STORE \(set) +FLAGS.SILENT (\\Seen \(Self.doneKeyword))"))
        }
    }

    /// Runs a command that targets `folder`; if the server refuses it because the folder does not
    /// exist (`[TRYCREATE]`, or a refusal without words), creates the folder and tries once more.
    private func performCreatingFolder(_ command: String, folder: String) async throws {
        do {
            _ = try await session.perform(.init(url: inboxURL, customRequest: command))
        } catch let error as CurlError where error.isCommandRefused {
            guard error.serverReply.map(IMAPResponse.asksToCreate) ?? true else { throw error }
            try await createFolder(folder)
            _ = try await session.perform(.init(url: inboxURL, customRequest: command))
        }
    }

    private func createFolder(_ folder: String) async throws {
        logger.info("creating imap folder", metadata: ["imap.folder": "\(folder)"])
        do {
            _ = try await session.perform(
                .init(url: connection.url + "/", customRequest: "CREATE \(IMAPProtocol.quoted(folder))"))
        } catch let error as CurlError where error.isCommandRefused {
            // Created meanwhile by someone else, or a name the server refuses: the retry will tell.
            logger.debug("imap CREATE refused", metadata: ["imap.folder": "\(folder)", "imap.reason": "\(Self.reason(error))"])
        }
    }
}
