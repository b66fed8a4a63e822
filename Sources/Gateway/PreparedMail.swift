import Foundation
import MIME
import MailModel
import Store
import Triage

/// A fetched mail after the pure work (hash, parse, classification, reply extraction) and before the
/// transaction: everything the transaction needs, computed outside it.
struct PreparedMail: Sendable {
    var raw: RawMail
    var origin: MailOrigin
    var sha256: String
    var rawPath: String = ""
    /// nil when the mail could not be parsed; `failure` then says why.
    var parsed: ParsedMail?
    var failure: String?
    var analysis = MailAnalysis(
        classification: Classification(kind: .normal, answerable: false, reason: nil),
        reply: ExtractedReply(visibleText: "", signature: nil), bounce: nil)
    /// Our loop header's value as it arrived, read before control headers were removed.
    var loopHeader: String?
    /// Attachment hashes, in the order of `parsed.attachments`.
    var attachmentHashes: [String] = []

    init(raw: RawMail, sha256: String, parser: MIMEParser, origin: MailOrigin = .mailbox) {
        self.raw = raw
        self.origin = origin
        self.sha256 = sha256
        do {
            var mail = try parser.parse(raw.bytes)
            loopHeader = mail.headers[IngestSettings.loopHeader]
            // Our control headers mean something only on mail we wrote: from outside they are removed
            // before anything reads them.
            mail.headers = HeaderFields(
                mail.headers.filter { !$0.name.lowercased().hasPrefix(IngestSettings.controlHeaderPrefix) })
            parsed = mail
            analysis = MailAnalysis.analyze(mail)
            if case .portal = origin {
                // Typed into a form: there is no quoted history or signature to take away.
                analysis.reply = ExtractedReply(
                    visibleText: mail.text.trimmingCharacters(in: .whitespacesAndNewlines), signature: nil)
            }
        } catch {
            failure = error.description
        }
    }
}

/// Where a mail came from: a mailbox, or a form in the portal written by a signed-in customer.
public enum MailOrigin: Sendable, Equatable {
    case mailbox
    /// A portal message; a new ticket gets this priority.
    case portal(priority: Ticket.Priority)
}
