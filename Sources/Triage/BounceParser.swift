import MIME

/// Reads delivery status notifications: RFC 3464 reports and the common non-standard formats.
public enum BounceParser {
    /// The report of a bounce or delay warning, or nil when the mail is not one.
    public static func parse(_ mail: ParsedMail) -> BounceReport? {
        guard mail.root.mimeType == "multipart/report",
            mail.root.contentType["report-type"]?.lowercased() == "delivery-status"
        else { return nil }
        var recipients: [BounceRecipient] = []
        var original: String?
        for part in mail.root.children {
            switch part.mimeType {
            case "message/delivery-status":
                for group in HeaderFields.parseGroups(part.data).dropFirst() {
                    guard let recipient = group["final-recipient"] ?? group["original-recipient"] else { continue }
                    let address = recipient.split(separator: ";").last.map { String($0).trimmed() } ?? recipient
                    recipients.append(
                        BounceRecipient(
                            address: address.lowercased(), action: group["action"]?.trimmed().lowercased() ?? "failed",
                            status: group["status"]?.trimmed(), diagnostic: group["diagnostic-code"]))
                }
            case "message/rfc822", "text/rfc822-headers":
                if let embedded = ParsedMail.embedded(in: part) { original = embedded.messageID }
            default: break
            }
        }
        return BounceReport(recipients: recipients, originalMessageID: original)
    }
}

extension String {
    func trimmed() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
