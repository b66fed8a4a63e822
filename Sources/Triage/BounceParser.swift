import MIME
import MailModel

/// Reads delivery status notifications: RFC 3464 reports and the common non-standard formats.
///
/// A mail is a bounce when it carries a `message/delivery-status` part (RFC 3464, whatever its
/// container says), an RFC 5429 rejection notice, an `X-Failed-Recipients` field (Exim, Gmail),
/// comes from `MAILER-DAEMON` or `postmaster`, or when a mail-system sender, a delivery-failure
/// subject and the words of the notification agree (Postfix, qmail, Exim, Exchange and Office
/// 365, Domino, GroupWise, Gmail, Yahoo, SMTP32, MDaemon, ...). Recipients come from the report's
/// fields when there are any, else from `X-Failed-Recipients`, else from the notification's words
/// (see `BounceTextRecipients`). Pure and linear in the size of the mail.
public enum BounceParser {
    /// The report of a bounce, delay warning or success notice, or nil when the mail is not one.
    /// ARF feedback reports (RFC 5965) are not bounces: they give nil.
    public static func parse(_ mail: ParsedMail) -> BounceReport? {
        if isFeedbackReport(mail) { return nil }
        let parts = BounceDeliveryStatus(mail)
        let failedHeader = mail.headers.all("x-failed-recipients").prefix(8)
            .flatMap { BounceAddressScanner.addresses(in: $0).map(\.address) }
        let reportType =
            mail.root.mimeType == "multipart/report" ? mail.root.contentType["report-type"]?.lowercased() : nil
        var text: BounceText?
        var detection: String
        if parts.hasStatusPart || reportType == "delivery-status" {
            detection = "RFC 3464 delivery status report"
        } else if parts.isRejection {
            detection = "RFC 5429 rejection notice"
        } else if !failedHeader.isEmpty {
            detection = "X-Failed-Recipients"
        } else if let sender = mail.from.first(where: { BounceSignals.isDaemon($0.address) }) {
            detection = "sender \(sender.address.lowercased())"
        } else if parts.hasDispositionPart {
            return nil
        } else {
            let fromSystem = BounceSignals.senderIsMailSystem(mail)
            let subjectSays = BounceSignals.subjectSaysBounce(mail.subject)
            guard fromSystem || subjectSays else { return nil }
            let body = BounceText(mail)
            text = body
            let words = lowered(body)
            let bodySays = BounceSignals.textSaysBounce(words)
            if fromSystem && (subjectSays || bodySays) {
                detection = subjectSays ? "mail system sender and bounce subject" : "mail system sender and bounce text"
            } else if subjectSays && bodySays
                && (parts.hasReturnedMessage || !recipients(in: body, mail: mail, parts: parts).isEmpty)
            {
                detection = "bounce subject and text"
            } else {
                return nil
            }
        }
        let body = text ?? BounceText(mail)
        return report(mail, body: body, parts: parts, failedHeader: Array(failedHeader), detection: detection)
    }

    private static func report(
        _ mail: ParsedMail, body: BounceText, parts: BounceDeliveryStatus, failedHeader: [String], detection: String
    ) -> BounceReport {
        let original = parts.originalMessageID ?? inlineMessageID(body.returned) ?? mail.inReplyTo.first
        let whole = body.notification.joined(separator: "\n")
        if !parts.recipients.isEmpty {
            return structured(parts.recipients, original: original, detection: detection, text: whole)
        }
        let words = lowered(body)
        if failedHeader.isEmpty, isSuccess(mail, words: words) {
            return BounceReport(
                recipients: [], originalMessageID: original, outcome: .delivered, detection: "success notice")
        }
        let delayed = failedHeader.isEmpty && isDelay(mail, words: words)
        var scanner = BounceTextRecipients(
            lines: body.notification, excluded: excludedAddresses(mail), reportingDomain: mail.from.first?.domain)
        scanner.weaklyExcluded = originalSenders(parts: parts, body: body)
        let findings = scanner.findings(
            loose: BounceSignals.textSaysBounce(words) || BounceSignals.subjectSaysBounce(mail.subject))
        if findings.isEmpty, failedHeader.isEmpty {
            for inner in parts.embedded.map(BounceDeliveryStatus.init) where !inner.recipients.isEmpty {
                return structured(
                    inner.recipients, original: inner.originalMessageID,
                    detection: "RFC 3464 report forwarded by a relay", text: whole)
            }
        }
        var seen: Set<String> = []
        let addresses = (failedHeader.isEmpty ? findings.map(\.address) : failedHeader)
            .filter { seen.insert($0).inserted }
        let recipients = addresses.prefix(1_000).map { address in
            let finding = findings.first { $0.address == address }
            let diagnostic = finding.flatMap { scanner.diagnostic(for: $0, among: findings) }
            return BounceRecipient(
                address: address, action: delayed ? "delayed" : "failed",
                status: status(diagnostic: diagnostic, whole: addresses.count == 1 ? whole : nil, permanent: !delayed),
                diagnostic: diagnostic)
        }
        return BounceReport(
            recipients: Array(recipients), originalMessageID: original, outcome: delayed ? .delayed : .failed,
            detection: detection)
    }

    /// A notice that says every copy was delivered or relayed, and nothing of a failure.
    private static func isSuccess(_ mail: ParsedMail, words: String) -> Bool {
        let subject = (mail.subject ?? "").lowercased()
        guard subject.containsAny(BounceSignals.successSubjectPhrases) else { return false }
        return !BounceSignals.textSaysBounce(words) || BounceSignals.textSaysSuccess(words)
    }

    /// A text bounce is a delay warning when its subject or words say so and it does not say the
    /// mail system has given up.
    private static func isDelay(_ mail: ParsedMail, words: String) -> Bool {
        guard !BounceSignals.textSaysPermanent(words) else { return false }
        return BounceSignals.subjectSaysDelay(mail.subject) || BounceSignals.textSaysDelay(words)
    }

    /// A recipient's status: a code in its own diagnostic, else (when it is the only recipient) a
    /// code anywhere in the notification, else what the words imply.
    private static func status(diagnostic: String?, whole: String?, permanent: Bool) -> String {
        if let diagnostic, let code = BounceStatusCode.enhanced(in: diagnostic) { return code }
        if let whole, let code = BounceStatusCode.enhanced(in: whole) { return code }
        let inferred = BounceStatusCode.infer(from: diagnostic ?? "", permanent: permanent)
        guard inferred.hasSuffix(".0.0"), let whole else { return inferred }
        return BounceStatusCode.infer(from: whole, permanent: permanent)
    }

    private static func structured(_ recipients: [BounceRecipient], original: String?, detection: String, text: String)
        -> BounceReport
    {
        var recipients = recipients
        for index in recipients.indices where recipients[index].status == nil {
            let action = recipients[index].action
            guard action == "failed" || action == "delayed" else { continue }
            recipients[index].status = status(
                diagnostic: recipients[index].diagnostic, whole: recipients.count == 1 ? text : nil,
                permanent: action == "failed")
        }
        let outcome = BounceReport.outcome(of: recipients)
        return BounceReport(
            recipients: recipients, originalMessageID: original, outcome: outcome,
            detection: outcome == .delivered ? "RFC 3464 success report" : detection)
    }

    /// Recipients listed the way reports list them (used to confirm a bounce by subject and text).
    private static func recipients(in body: BounceText, mail: ParsedMail, parts: BounceDeliveryStatus) -> [String] {
        var scanner = BounceTextRecipients(
            lines: body.notification, excluded: excludedAddresses(mail), reportingDomain: nil)
        scanner.weaklyExcluded = originalSenders(parts: parts, body: body)
        return scanner.formalFindings().map(\.address)
    }

    /// The people on the bounce itself: never failed recipients.
    private static func excludedAddresses(_ mail: ParsedMail) -> Set<String> {
        var excluded = Set((mail.from + mail.to + mail.cc + mail.replyTo).map(\.normalized))
        for name in ["sender", "return-path"] {
            for value in mail.headers.all(name).prefix(4) {
                excluded.formUnion(AddressParser.parse(value).map(\.normalized))
            }
        }
        excluded.remove("")
        return excluded
    }

    /// The author of the returned mail: a recipient only where a line names them as one (a mail
    /// sent to oneself).
    private static func originalSenders(parts: BounceDeliveryStatus, body: BounceText) -> Set<String> {
        var senders = Set(parts.originalSenders)
        if let from = inlineField("from", in: body.returned) {
            senders.formUnion(AddressParser.parse(from).map(\.normalized))
        }
        senders.remove("")
        return senders
    }

    /// The Message-ID of a returned mail quoted inline below the notification.
    static func inlineMessageID(_ lines: [String]) -> String? {
        inlineField("message-id", in: lines).flatMap { MessageIDs.parse($0).first }
    }

    /// The value of the first header field of that name in quoted lines (`>` quoting allowed),
    /// continued on the next line when folded or empty.
    static func inlineField(_ name: String, in lines: [String]) -> String? {
        let label = name + ":"
        for (index, line) in lines.prefix(300).enumerated() {
            var view = Substring(line)
            while let first = view.first, first == ">" || first == " " || first == "\t" { view = view.dropFirst() }
            guard view.count > label.count, view.prefix(label.count).lowercased() == label else { continue }
            var value = String(view.dropFirst(label.count)).trimmed()
            if index + 1 < lines.count, let next = lines[index + 1].first, next == " " || next == "\t" {
                value += " " + lines[index + 1].trimmed()
            }
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// An ARF report (RFC 5965): `multipart/report; report-type=feedback-report` or a
    /// `message/feedback-report` part.
    public static func isFeedbackReport(_ mail: ParsedMail) -> Bool {
        if mail.root.mimeType == "multipart/report",
            mail.root.contentType["report-type"]?.lowercased() == "feedback-report"
        {
            return true
        }
        return mail.root.children.prefix(16).contains { $0.mimeType == "message/feedback-report" }
    }

    private static func lowered(_ body: BounceText) -> String {
        body.notification.prefix(120).joined(separator: "\n").lowercased()
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
