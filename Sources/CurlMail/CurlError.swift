import CCurl
import Foundation
import MailModel

/// A libcurl failure: the CURLcode, libcurl's words for it, and what the server itself said.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public let code: Int
    public let message: String
    /// The server's own words about the failure, on one line:
    /// - SMTP: the first error reply (4xx or 5xx) of the transfer, e.g.
    ///   `550 5.1.1 <x@example.test>: Recipient address rejected`; the lines of a multi-line reply are
    ///   joined by spaces.
    /// - IMAP: the last tagged `NO` or `BAD` line, e.g. `A005 NO [TRYCREATE] Mailbox doesn't exist: Processed`.
    ///
    /// nil when there was none (a connection failure). Server lines only, never the client's login;
    /// the password is blanked out should a server ever echo it.
    public var serverReply: String? = nil
    /// The transfer was stopped because its data passed the size the caller allowed.
    public var exceededLimit = false
    /// Whether the upload (an SMTP message's data) had begun when the transfer failed.
    public var uploadStarted = false

    public init(
        code: Int, message: String, serverReply: String? = nil, exceededLimit: Bool = false, uploadStarted: Bool = false
    ) {
        self.code = code
        self.message = message
        self.serverReply = serverReply
        self.exceededLimit = exceededLimit
        self.uploadStarted = uploadStarted
    }

    public var description: String {
        guard let serverReply else { return "curl error \(code): \(message)" }
        return "curl error \(code): \(message); server said: \(serverReply)"
    }

    /// Transient failures (connection, timeout, server gone) are worth retrying; a login refusal is not.
    public var isLoginDenied: Bool { code == Int(CURLE_LOGIN_DENIED.rawValue) }
    public var isNotFound: Bool { code == Int(CURLE_REMOTE_FILE_NOT_FOUND.rawValue) }
    /// A custom command answered NO or BAD: the server refused it, the connection is fine.
    public var isCommandRefused: Bool { code == Int(CURLE_QUOTE_ERROR.rawValue) }

    /// `line` as it may appear in an error and a log: control characters (CR and LF above all) as
    /// spaces, at most 300 characters, and every form of `password` a login sends (plain, base64,
    /// the SASL PLAIN response) replaced by `[redacted]`.
    static func serverLine(_ line: String, user: String, password: String) -> String {
        var text = ServerText.oneLine(line, limit: .max)
        if !password.isEmpty {
            let forms = [
                password, Base64Encoding.standard.encode(Array(password.utf8)),
                Base64Encoding.standard.encode(Array("\0\(user)\0\(password)".utf8)),
                Base64Encoding.standard.encode(Array("\(user)\0\(user)\0\(password)".utf8)),
            ]
            for form in forms where !form.isEmpty { text = text.replacingOccurrences(of: form, with: "[redacted]") }
        }
        return ServerText.oneLine(text.trimmingCharacters(in: .whitespaces), limit: 300)
    }
}

/// Text a server chose, made safe for an error or a log line.
enum ServerText {
    /// `text` with control characters (CR and LF above all) shown as spaces, cut to `limit` characters
    /// with `...` after.
    static func oneLine(_ text: String, limit: Int) -> String {
        let scalars = text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
        let line = String(String.UnicodeScalarView(scalars))
        return line.count > limit ? String(line.prefix(limit)) + "..." : line
    }
}
