import Foundation
import Logging
import MailModel

/// An IMAP mailbox read through libcurl: the production inbound source.
///
/// One connection is kept and reused (libcurl reconnects by itself after an error). Each poll asks for
/// the mailbox's UIDVALIDITY with `STATUS` and lists every UID still in the inbox with `UID SEARCH`;
/// the database, not `\Seen`, knows what was processed. Mail is fetched with the URL form `;UID=n`
/// (`UID FETCH n BODY[]`, which sets `\Seen`; harmless here) and acknowledged after commit with one
/// `UID MOVE` of the whole UID set. Where the server lacks MOVE, the mails get `\Seen` and a keyword
/// instead, and the search leaves them out.
///
/// Memory stays bounded: each batch learns its mails' `RFC822.SIZE` first, and a mail over
/// `maxMailBytes` is never downloaded whole but taken in as an excerpt (`IMAPSource+Oversize.swift`);
/// every transfer stops past its cap whatever size the server claimed.
public actor IMAPSource: InboundSource {
    public struct Folders: Sendable {
        public var inbox: String
        public var processed: String
        public var quarantine: String

        public init(inbox: String = "INBOX", processed: String = "Processed", quarantine: String = "Quarantine") {
            self.inbox = inbox
            self.processed = processed
            self.quarantine = quarantine
        }
    }

    /// The keyword that marks acknowledged mail on servers without MOVE.
    static let doneKeyword = "PostdeskDone"

    /// The largest mail downloaded whole (25 MB unless configured).
    public static let defaultMaxMailBytes = 25 << 20

    public nonisolated let sourceID: String
    let connection: CurlConnection
    let folders: Folders
    let session: CurlSession
    let logger: Logger
    let maxMailBytes: Int
    private var capabilities: Set<String>?
    private var uidValidity: UInt32?

    public init(
        connection: CurlConnection, folders: Folders = Folders(), maxMailBytes: Int = defaultMaxMailBytes,
        logger: Logger
    ) throws {
        self.connection = connection
        self.folders = folders
        self.maxMailBytes = max(1, maxMailBytes)
        self.logger = logger
        sourceID = "imap:\(connection.user)@\(Self.hostPart(connection.url))/\(folders.inbox)"
        session = try CurlSession(connection: connection, label: sourceID)
    }

    public func pending() async throws -> PendingMail {
        let caps = try await serverCapabilities()
        // STATUS answers from this session's view of a selected mailbox, which learns of new mail only
        // when a command syncs it: NOOP does that (and selects the inbox on a fresh connection).
        _ = try await session.perform(.init(url: inboxURL, customRequest: "NOOP"))
        let status = try await session.perform(
            .init(
                url: connection.url + "/",
                customRequest: "STATUS \(IMAPProtocol.quoted(folders.inbox)) (MESSAGES UIDVALIDITY)"))
        let statusLines = [String(decoding: status.body, as: UTF8.self)]
        let validity = IMAPProtocol.number("UIDVALIDITY", in: statusLines)
        let count = Int(IMAPProtocol.number("MESSAGES", in: statusLines) ?? 0)
        uidValidity = validity
        // libcurl 7.88 garbles untagged lines longer than about 10 KB (a `* SEARCH` of a few thousand
        // UIDs), so the mailbox is searched in windows of message sequence numbers.
        let criteria = caps.contains("MOVE") ? "" : " NOT KEYWORD \(Self.doneKeyword)"
        var uids: [UInt32] = []
        for start in stride(from: 1, through: count, by: Self.searchWindow) {
            let end = min(start + Self.searchWindow - 1, count)
            let search = try await session.perform(
                .init(url: inboxURL, customRequest: "UID SEARCH \(start):\(end)\(criteria)"))
            uids += IMAPProtocol.searchUIDs(in: String(decoding: search.body, as: UTF8.self))
            }
        return PendingMail(uidValidity: validity, keys: Array(Set(uids)).sorted().map(String.init))
    }

    /// Messages listed per `UID SEARCH`: at most 11 bytes a UID keeps each answer near 5 KB.
    static let searchWindow = 500

    public func fetch(_ keys: [String], byteLimit: Int) async throws -> [RawMail] {
        let uids = keys.compactMap(UInt32.init)
        guard !uids.isEmpty else { return [] }
        // The URL form of a fetch sets \Seen one mail at a time, which costs Dovecot an index update per
        // mail; flagging the batch first in one command makes each fetch a plain read (4x faster).
        _ = try await session.perform(
            .init(url: inboxURL, customRequest: "UID STORE \(IMAPProtocol.uidSet(uids)) +FLAGS.SILENT (\\Seen)"))
        let sizes = try await messageSizes(uids)
        var mails: [RawMail] = []
        var bytes = 0
        for uid in uids where bytes < byteLimit {
            guard let mail = try await fetchOne(uid, claimedSize: sizes[uid]) else { continue }
            bytes += mail.count
            mails.append(
                RawMail(locator: MailLocator(source: sourceID, uidValidity: uidValidity, key: String(uid)), bytes: mail))
        }
        return mails
    }

    /// One mail's bytes, an excerpt of it when it is too large, or nil when it vanished meanwhile.
    private func fetchOne(_ uid: UInt32, claimedSize: Int?) async throws -> [UInt8]? {
        if let claimedSize, claimedSize > maxMailBytes { return try await excerpt(uid, size: claimedSize) }
        do {
            let response = try await session.perform(.init(url: inboxURL + ";UID=\(uid)", maxBodyBytes: maxMailBytes))
            if response.body.isEmpty {
                // No FETCH response at all: expunged meanwhile. A literal `{0}`: an empty mail, quarantined.
                guard IMAPResponse.fetchedLiteralSize(in: response.headerLines) != nil else { return nil }
                logger.warning("empty mail in the inbox: it goes to quarantine", metadata: ["imap.uid": "\(uid)"])
            }
            return response.body
        } catch let error as CurlError where error.isNotFound {
            logger.info("mail vanished before fetch", metadata: ["imap.uid": "\(uid)"])
            return nil
        } catch let error as CurlError where error.exceededLimit {
            // The server claimed a size under the limit and sent more.
            logger.warning(
                "mail larger than its stated size: taking an excerpt",
                metadata: ["imap.uid": "\(uid)", "imap.size": "\(claimedSize.map(String.init) ?? "unknown")"])
            return try await excerpt(uid, size: nil)
        }
    }

    // MARK: - Commands

    var inboxURL: String { connection.url + "/" + IMAPProtocol.urlPath(folders.inbox) }

    func serverCapabilities() async throws -> Set<String> {
        if let capabilities { return capabilities }
        let response = try await session.perform(.init(url: connection.url + "/", customRequest: "CAPABILITY"))
        let caps = IMAPProtocol.capabilities(in: [String(decoding: response.body, as: UTF8.self)])
        capabilities = caps
        logger.debug("imap capabilities", metadata: ["imap.move": "\(caps.contains("MOVE"))"])
        return caps
    }

    private static func hostPart(_ url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        return String(url[range.upperBound...])
    }
}
