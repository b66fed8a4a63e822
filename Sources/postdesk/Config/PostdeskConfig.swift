import Foundation
import Gateway
import Logging

/// Everything an operator can set, with the defaults Postdesk runs on when a key is absent.
struct PostdeskConfig: Sendable {
    struct Helpdesk: Sendable {
        var supportAddress = "support@example.test"
        var ownAddresses: [String] = []
        var ticketPrefix = "TKT"
        var sendConfirmations = true
        /// Whether agents' answers go to the ticket's other participants in Cc too.
        var replyAll = true
        /// Signs the tokens in our Message-IDs and reply addresses; nil: a key kept in the data folder.
        var secretKey: String?
        var closedTicketReply: IngestSettings.ClosedTicketPolicy = .reopen
        var productName = "Postdesk"
        /// The portal's public address; links in mail start here.
        var portalURL = "http://127.0.0.1:8080"
        /// The folder of the mail templates.
        var templates = "mail-templates"
    }

    /// Where outgoing mail goes: an SMTP server, or a folder of `.eml` files.
    struct Outbound: Sendable {
        var url: String?
        var user = ""
        var password = ""
        var caFile: String?
        var insecure = false
        var allowPlaintext = false
        var folder: String?
        var retryHours = 48
    }

    struct IMAPMailbox: Sendable {
        var name: String
        var url = ""
        var user = ""
        var password = ""
        var caFile: String?
        var insecure = false
        var allowPlaintext = false
        var inbox = "INBOX"
        var processedFolder = "Processed"
        var quarantineFolder = "Quarantine"
        var pollInterval = 30
        var batchSize = 50
        /// A mail larger than this is not downloaded: a ticket gets its header and text, with a note.
        var maxMailMB = 25
    }

    struct Maildir: Sendable {
        var name: String
        var path = ""
        var pollInterval = 5
        var batchSize = 50
    }

    struct Agents: Sendable {
        var addresses: [String] = []
        var teamAddress: String?
        var authservID: String?
        /// On a busy ticket, at most one notice per recipient in this many minutes.
        var noticeDigestMinutes = 5
    }

    /// The customer portal, served by the daemon.
    struct Portal: Sendable {
        var enabled = true
        /// Where the portal listens; put it behind a TLS proxy for the public.
        var host = "127.0.0.1"
        var port = 8080
        /// `#rrggbb`; buttons, links and the header use it.
        var primaryColor = "#1d4ed8"
        /// An image file (PNG, JPEG, SVG, WebP) shown in the header instead of the product name.
        var logo: String?
        var loginLinkMinutes = 30
        var ticketLinkDays = 30
        var sessionDays = 14
        var anonymousTickets = false
        var linkRequestsPerAddress = 5
        var linkRequestsPerClient = 30
        var trustedProxies: [String] = []
        /// A request's head must arrive within this many seconds (slow or silent clients are closed).
        var headerTimeoutSeconds = 10
        /// A connection with no request in flight is closed after this many seconds.
        var idleTimeoutSeconds = 60
        /// The most portal connections open at once; lowered at start to leave file descriptors for mail.
        var maxConnections = 512
        /// Replies and new tickets one customer may send from the portal per window.
        var writesPerCustomer = 20
        var writeWindowMinutes = 10
    }

    enum LogFormat: String, Sendable { case text, json }

    /// Where the database and stored files live.
    var dataDir = "data"
    /// Raw mail files are removed this many days after the mail arrived; nil keeps them forever.
    var keepRawDays: Int?
    var helpdesk = Helpdesk()
    var agents = Agents()
    var outbound: Outbound?
    var imap: [IMAPMailbox] = []
    var maildirs: [Maildir] = []
    var portal = Portal()
    var logLevel: Logger.Level = .info
    var logFormat: LogFormat = .text

    var databasePath: String { Self.databasePath(dataDir: dataDir) }
    static func databasePath(dataDir: String) -> String {
        (dataDir as NSString).appendingPathComponent("postdesk.sqlite")
    }
    var blobRoot: URL { URL(fileURLWithPath: dataDir).appendingPathComponent("files") }

    /// The embedded defaults of `postdesk demo`: everything under one folder, a Maildir as the inbox.
    static func demo(folder: String) -> PostdeskConfig {
        var config = PostdeskConfig()
        config.dataDir = (folder as NSString).appendingPathComponent("data")
        config.maildirs = [Maildir(name: "demo", path: (folder as NSString).appendingPathComponent("maildir"))]
        config.outbound = Outbound(folder: (folder as NSString).appendingPathComponent("sent"))
        config.agents = Agents(addresses: ["agent@example.test"], teamAddress: "team@example.test")
        return config
    }
}
