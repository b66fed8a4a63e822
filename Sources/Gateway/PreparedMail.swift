import MIME
import MailModel
import Store
import Triage

/// A fetched mail after the pure work (hash, parse, classification, reply extraction) and before the
/// transaction: everything the transaction needs, computed outside it.
struct PreparedMail: Sendable {
    var raw: RawMail
    var sha256: String
    var rawPath: String = ""
    /// nil when the mail could not be parsed; `failure` then says why.
    var parsed: ParsedMail?
    var failure: String?
    var analysis = MailAnalysis(
        classification: Classification(kind: .normal, answerable: false, reason: nil),
        reply: ExtractedReply(visibleText: "", signature: nil), bounce: nil)
    /// Attachment hashes, in the order of `parsed.attachments`.
    var attachmentHashes: [String] = []

    init(raw: RawMail, sha256: String, parser: MIMEParser) {
        self.raw = raw
        self.sha256 = sha256
        do {
            let mail = try parser.parse(raw.bytes)
            parsed = mail
            analysis = MailAnalysis.analyze(mail)
        } catch {
            failure = error.description
        }
    }
}
