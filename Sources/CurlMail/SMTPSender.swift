import CCurl
import Logging
import MailModel

/// The production mail sender: SMTP submission through libcurl.
///
/// - `smtps://host:465` speaks TLS from the first byte; `smtp://host:587` upgrades with STARTTLS, which
///   is required unless `CurlConnection.requireTLS` is off (for a local relay on loopback).
/// - With a user, it authenticates with `AUTH PLAIN` or `AUTH LOGIN`, whichever the server offers
///   (PLAIN first); with an empty user it never authenticates.
/// - One libcurl easy handle, so one connection, is kept between sends: a send on a live connection is
///   just `MAIL FROM`, `RCPT TO`..., `DATA`. libcurl drops a connection idle for more than 118 s and after
///   any failure, and connects again on the next send. `connectionsOpened` counts the connections.
/// - Every recipient must be accepted: libcurl stops at the first refused `RCPT TO` and the mail is sent
///   to no one (`CURLOPT_MAIL_RCPT_ALLLOWFAILS` stays off), so a retry never doubles a mail.
///
/// Failures are thrown as `SendFailure` (see `SMTPSender.failure(from:)`): the server's reply to the
/// mail's `MAIL FROM`, `RCPT TO` or data is the message's (5xx permanent, 4xx temporary), as is a
/// malformed address; a refused connection, a timeout, TLS, a refused login or a closing server are
/// the sender's, which pauses sending instead of charging any mail.
public actor SMTPSender: MailSender {
    private let connection: CurlConnection
    private let session: CurlSession
    let url: String
    private let logger: Logger
    /// Connections opened by successful sends so far; 1 after any number of sends on a healthy server.
    public private(set) var connectionsOpened = 0
    /// Mails the server accepted so far.
    public private(set) var mailsSent = 0

    /// - Parameters:
    ///   - connection: an `smtp://` or `smtps://` URL with host and port, and the login (empty user: none).
    ///   - helloName: the name this client gives in `EHLO`, e.g. the host name of the sending domain. A
    ///     path in the URL (`smtp://host:587/mail.example.org`) wins; with neither, libcurl says `localhost`.
    public init(connection: CurlConnection, helloName: String? = nil, logger: Logger = Logger(label: "postdesk.smtp"))
        throws
    {
        let scheme = connection.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            throw CurlError(code: 1, message: "an SMTP sender needs an smtp:// or smtps:// URL")
        }
        self.connection = connection
        self.logger = logger
        let hasPath =
            connection.url.firstRange(of: "://").map { connection.url[$0.upperBound...].contains("/") } ?? false
        if let helloName, Self.isHostName(helloName), !hasPath {
            url = connection.url + "/" + helloName
        } else {
            url = connection.url
        }
        session = try CurlSession(connection: connection, label: "smtp")
    }

    public func send(_ message: [UInt8], envelopeFrom: String, recipients: [String]) async throws {
        if let problem = SMTPEnvelope.problem(from: envelopeFrom, recipients: recipients) {
            throw SendFailure(permanent: true, reason: problem)
        }
        let request = CurlSession.Request(
            url: url,
            upload: SMTPEnvelope.withCRLF(message),
            mailFrom: "<\(envelopeFrom)>",
            recipients: recipients.map { "<\($0)>" },
            loginOptions: connection.user.isEmpty ? nil : "AUTH=PLAIN;AUTH=LOGIN")
        let response: CurlSession.Response
        do {
            response = try await session.perform(request)
        } catch let error as CurlError {
            let failure = Self.failure(from: error)
            logger.warning(
                "smtp send failed",
                metadata: [
                    "smtp.permanent": "\(failure.permanent)", "smtp.code": "\(failure.code.map(String.init) ?? "-")",
                    "smtp.reason": "\(failure.reason)",
                ])
            throw failure
        }
        if response.connected { connectionsOpened += 1 }
        mailsSent += 1
        logger.debug(
            "smtp mail accepted",
            metadata: [
                "smtp.recipients": "\(recipients.count)", "smtp.bytes": "\(message.count)",
                "smtp.reply": "\(SMTPReply.last(in: response.headerLines).map { Self.oneLine($0.line) } ?? "")",
            ])
    }

    /// Asks the server whether it takes mail: a connection (reused when live), TLS, the login and
    /// `NOOP`, and no mail. Throws the sender's `SendFailure` when any of it fails.
    public func probe() async throws {
        do {
            _ = try await session.perform(
                CurlSession.Request(
                    url: url, customRequest: "NOOP",
                    loginOptions: connection.user.isEmpty ? nil : "AUTH=PLAIN;AUTH=LOGIN"))
        } catch let error as CurlError {
            throw Self.failure(from: error)
        }
    }

    /// A libcurl failure as a `SendFailure`: whose it is, and whether retrying the mail can help.
    ///
    /// The server's error reply to this mail's `MAIL FROM`, `RCPT TO`, `DATA` or data (libcurl says
    /// "MAIL failed", "RCPT failed", "DATA failed", or the upload had begun) is the message's: 5xx
    /// permanent, 4xx temporary, with its code and words. Two exceptions are the sender's: a 4xx to
    /// `MAIL FROM` (every mail has the same envelope sender, so every mail would wait) and 421 (the
    /// server is closing). Everything else is the sender's and temporary: no connection, timeouts,
    /// TLS, a dropped connection, a refused login (a password being changed must not turn queued mail
    /// into dead letters; the pause logs why), and a bad URL, which only the configuration can fix.
    static func failure(from error: CurlError) -> SendFailure {
        let detail = oneLine(error.message)
        if let line = error.serverReply, let reply = SMTPReply.firstError(in: [line]) {
            let reason = oneLine(reply.line) + " (\(detail))"
            let toSender = error.message.hasPrefix("MAIL failed")
            let aboutMessage =
                toSender || error.message.hasPrefix("RCPT failed") || error.message.hasPrefix("DATA failed")
                || error.uploadStarted
            guard aboutMessage, reply.code != 421, !(toSender && !reply.isPermanent),
                error.code != Int(CURLE_LOGIN_DENIED.rawValue)
            else {
                return SendFailure(permanent: false, scope: .sender, code: reply.code, reason: reason)
            }
            return SendFailure(permanent: reply.isPermanent, scope: .message, code: reply.code, reason: reason)
        }
        return SendFailure(permanent: false, scope: .sender, reason: "curl error \(error.code): \(detail)")
    }

    /// `text` with control characters (CR and LF above all) shown as spaces, at most 400 characters.
    static func oneLine(_ text: String) -> String { ServerText.oneLine(text, limit: 400) }

    /// Letters, digits, dots and hyphens only: safe as the path of the URL, where libcurl reads the EHLO name.
    private static func isHostName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253
            && name.utf8.allSatisfy { byte in
                byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            }
    }
}
