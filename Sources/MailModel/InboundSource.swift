/// Where a fetched mail came from and how to acknowledge it there.
///
/// For IMAP `key` is the UID in decimal and `uidValidity` the mailbox's UIDVALIDITY; for a Maildir
/// `key` is the file name and `uidValidity` nil.
public struct MailLocator: Sendable, Hashable {
    public var source: String
    public var uidValidity: UInt32?
    public var key: String

    public init(source: String, uidValidity: UInt32?, key: String) {
        self.source = source
        self.uidValidity = uidValidity
        self.key = key
    }
}

/// One mail as it was fetched: its raw bytes, untouched, and where it came from.
public struct RawMail: Sendable {
    public var locator: MailLocator
    public var bytes: [UInt8]

    public init(locator: MailLocator, bytes: [UInt8]) {
        self.locator = locator
        self.bytes = bytes
    }
}

/// What a mailbox holds that has not been acknowledged yet.
public struct PendingMail: Sendable {
    /// The mailbox's UIDVALIDITY (IMAP), or nil where the source has none.
    public var uidValidity: UInt32?
    /// Keys of the mails still waiting, oldest first.
    public var keys: [String]

    public init(uidValidity: UInt32?, keys: [String]) {
        self.uidValidity = uidValidity
        self.keys = keys
    }
}

/// Where an acknowledged mail goes.
public enum Disposition: String, Sendable {
    /// Committed to the database; moved to the processed folder.
    case processed
    /// Could not be understood; its raw bytes and reason are recorded; moved to the quarantine folder.
    case quarantined
}

/// A mailbox that the gateway polls: IMAP through libcurl, a Maildir folder, or a test double.
///
/// The protocol is the network edge of the inbound path. State lives in the database: a source only
/// lists, fetches and moves. A mail is acknowledged only after the gateway committed it.
public protocol InboundSource: Sendable {
    /// A stable name for this mailbox, used as the key of its state in the database.
    var sourceID: String { get }
    /// Opens (or re-opens) the mailbox and lists what is waiting.
    func pending() async throws -> PendingMail
    /// Fetches mails by key, in order, over one connection. A key that vanished meanwhile is left out;
    /// an empty mail is returned with no bytes (and goes to quarantine). A mail too large to download
    /// whole may be returned as an excerpt that says so.
    /// Stops after the mail that brings the total to `byteLimit` bytes or more, so a caller can bound
    /// the memory of a batch: the keys after the last mail returned were not fetched.
    func fetch(_ keys: [String], byteLimit: Int) async throws -> [RawMail]
    /// Moves the given mails out of the inbox, all in one command where the server allows.
    ///
    /// When the server refuses some of them (and not the connection), the others are still moved and
    /// `AcknowledgementRefused` names the refused ones; any other error means nothing is known.
    func acknowledge(_ keys: [String], as disposition: Disposition) async throws
}
