import MIME
import MailModel

/// The machine-readable parts of a report: RFC 3464 `message/delivery-status` (and RFC 6533
/// `message/global-delivery-status`), RFC 8098 `message/disposition-notification`, and the
/// returned message or its header fields (`message/rfc822`, `text/rfc822-headers`).
///
/// ```
/// Content-Type: message/delivery-status
///
/// Reporting-MTA: dns; mx.example.net
///
/// Original-Recipient: rfc822; ada@example.org
/// Final-Recipient: rfc822; ada.lovelace@mailhost.example.org
/// Action: failed
/// Status: 5.1.1
/// Diagnostic-Code: smtp; 550 5.1.1 User unknown
/// ```
struct BounceDeliveryStatus: Sendable {
    /// A delivery-status part was found (even one without recipients).
    var hasStatusPart = false
    /// Recipients read from every delivery-status part, de-duplicated by address.
    var recipients: [BounceRecipient] = []
    /// An RFC 5429 rejection: an automatic disposition notification saying `deleted` or `rejected`.
    var isRejection = false
    /// A disposition notification of any kind (read receipts included).
    var hasDispositionPart = false
    /// The Message-ID of the returned mail, when a part gives it.
    var originalMessageID: String?
    /// The addresses of the returned mail's author (From, Sender, Return-Path), lower-cased.
    var originalSenders: [String] = []
    /// A returned mail or its header fields is attached.
    var hasReturnedMessage = false
    /// The first attached mails, for reports that a relay wrapped into a message of its own.
    var embedded: [ParsedMail] = []

    /// Reads the report parts of a mail, not looking inside returned messages.
    init(_ mail: ParsedMail) {
        var stack: [(MIMEPart, Int)] = [(mail.root, 0)]
        var visited = 0
        while let (part, depth) = stack.popLast(), visited < 256 {
            visited += 1
            if part.isMultipart, depth < 8 {
                stack.append(contentsOf: part.children.reversed().map { ($0, depth + 1) })
                continue
            }
            read(part)
        }
    }

    private mutating func read(_ part: MIMEPart) {
        let type = part.mimeType
        if type.hasSuffix("delivery-status") {
            hasStatusPart = true
            for group in HeaderFields.parseGroups(Array(part.data.prefix(256 * 1024))) {
                guard let recipient = BounceDeliveryStatus.recipient(group) else { continue }
                if let index = recipients.firstIndex(where: { $0.address == recipient.address }) {
                    if recipients[index].status == nil { recipients[index].status = recipient.status }
                    if recipients[index].diagnostic == nil { recipients[index].diagnostic = recipient.diagnostic }
                } else if recipients.count < 1_000 {
                    recipients.append(recipient)
                }
            }
        } else if type.hasSuffix("disposition-notification") {
            hasDispositionPart = true
            readDisposition(part)
        } else if type == "message/rfc822" || type == "message/global" {
            hasReturnedMessage = true
            guard let mail = ParsedMail.embedded(in: part) else { return }
            if embedded.count < 2 { embedded.append(mail) }
            guard originalMessageID == nil else { return }
            originalMessageID = mail.messageID
            noteSenders(mail.headers)
        } else if type.hasSuffix("rfc822-headers") {
            hasReturnedMessage = true
            guard originalMessageID == nil,
                let headers = HeaderFields.parseGroups(Array(part.data.prefix(256 * 1024))).first
            else { return }
            originalMessageID = headers.unfolded("message-id").flatMap { MessageIDs.parse($0).first }
            noteSenders(headers)
        }
    }

    private mutating func readDisposition(_ part: MIMEPart) {
        guard let fields = HeaderFields.parseGroups(Array(part.data.prefix(64 * 1024))).first else { return }
        if originalMessageID == nil {
            originalMessageID = fields.unfolded("original-message-id").flatMap { MessageIDs.parse($0).first }
        }
        let disposition = (fields["disposition"] ?? "").lowercased()
        guard disposition.contains("automatic-action"),
            disposition.contains("deleted") || disposition.contains("rejected")
        else { return }
        isRejection = true
        let address =
            (fields["original-recipient"]).flatMap(BounceDeliveryStatus.address)
            ?? (fields["final-recipient"]).flatMap(BounceDeliveryStatus.address)
        if let address, !recipients.contains(where: { $0.address == address }) {
            recipients.append(BounceRecipient(address: address, action: "failed", status: nil, diagnostic: nil))
        }
    }

    private mutating func noteSenders(_ headers: HeaderFields) {
        for name in ["from", "sender", "return-path"] {
            for value in headers.all(name).prefix(4) {
                originalSenders += AddressParser.parse(value).map(\.normalized)
            }
        }
    }

    /// One per-recipient group (RFC 3464 section 2.3), or nil when it names no recipient.
    static func recipient(_ group: HeaderFields) -> BounceRecipient? {
        let address =
            group["original-recipient"].flatMap(address) ?? group["final-recipient"].flatMap(address)
            ?? group["x-actual-recipient"].flatMap(address)
        guard let address else { return nil }
        let action = normalizedAction(group["action"], status: group["status"])
        let diagnostic = group["diagnostic-code"].map(withoutType).flatMap { $0.isEmpty ? nil : squashed($0) }
        var status = group["status"].flatMap { BounceStatusCode.enhanced(in: $0, successToo: true) }
        if status == nil, action == "failed" || action == "delayed" {
            let words = [group["status"], diagnostic].compactMap { $0 }.joined(separator: " ")
            status = BounceStatusCode.infer(from: words, permanent: action == "failed")
        }
        return BounceRecipient(address: address, action: action, status: status, diagnostic: diagnostic)
    }

    /// The address of an `address-type; address` field (RFC 3464 section 2.3.1), when it is an
    /// Internet address (`rfc822`, or no type at all) with an `@`.
    static func address(_ value: String) -> String? {
        var text = Substring(value)
        if let semicolon = text.firstIndex(of: ";") {
            let type = String(text[..<semicolon]).trimmed().lowercased()
            guard type == "rfc822" || type == "smtp" || type == "utf-8" || type.isEmpty else { return nil }
            text = text[text.index(after: semicolon)...]
        }
        let found = BounceAddressScanner.addresses(in: String(text))
        guard found.count == 1 else { return nil }
        return found[0].address
    }

    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`, read leniently: `failure` and
    /// `error` mean failed, a comment after the word is ignored, and a missing action follows the
    /// status class.
    static func normalizedAction(_ value: String?, status: String?) -> String {
        let word = (value ?? "").lowercased().split(whereSeparator: { !$0.isLetter }).first.map(String.init) ?? ""
        switch word {
        case "failed", "failure", "fail", "error", "bounced", "undeliverable": return "failed"
        case "delayed", "delay", "deferred", "transient": return "delayed"
        case "delivered", "relayed", "expanded": return word
        default:
            return status?.trimmed().hasPrefix("4") == true ? "delayed" : "failed"
        }
    }

    /// A typed value without its type: `smtp; 550 User unknown` gives `550 User unknown`.
    static func withoutType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        let type = value[..<semicolon]
        guard type.count <= 12, !type.contains(" ") else { return value }
        return String(value[value.index(after: semicolon)...])
    }

    /// White space runs folded to one space, ends trimmed, at most 500 characters.
    static func squashed(_ text: String) -> String {
        String(text.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(500))
    }
}
