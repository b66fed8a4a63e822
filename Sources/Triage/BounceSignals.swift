import MIME
import MailModel

/// The header facts and words that say a mail is a delivery failure or a delay warning, for the
/// bounces that are not RFC 3464 reports. Each signal alone is weak (a person may write about a
/// failed delivery); the parser combines them.
enum BounceSignals {
    /// Sender local parts of mail systems (RFC 5321 section 4.5.1 `postmaster`; `MAILER-DAEMON` by custom).
    static let daemonLocalParts: Set<String> = [
        "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "mdaemon",
    ]

    /// `mailer-daemon@...`, `postmaster@...` and the like.
    static func isDaemon(_ address: String) -> Bool {
        let local =
            address.lowercased().split(separator: "@", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return daemonLocalParts.contains(local)
    }

    /// The sender is a mail system: a daemon address, an empty From address, a mail-system display
    /// name, a daemon Return-Path, or a failure Auto-Submitted. (A null Return-Path alone is weaker:
    /// notices of all kinds use it, RFC 5321 section 4.5.5.)
    static func senderIsMailSystem(_ mail: ParsedMail) -> Bool {
        for sender in mail.from {
            if isDaemon(sender.address) || sender.address.isEmpty { return true }
            let name = (sender.name ?? "").lowercased()
            if name.containsAny(systemNames) { return true }
            let local = sender.address.lowercased().split(separator: "@").first.map(String.init) ?? ""
            if local.contains("mail.delivery") || local.contains("maildelivery") || local.contains("mailer-daemon")
                || local.hasPrefix("microsoftexchange")
            {
                return true
            }
        }
        if let raw = mail.headers.unfolded("from"), raw.replacingSpaces().hasSuffix("<>") { return true }
        if let returnPath = mail.headers.unfolded("return-path") {
            let path = returnPath.replacingSpaces()
            if isDaemon(path.trimmingAngles()) || path.lowercased() == "<mailer-daemon>" { return true }
        }
        if let auto = mail.headers["auto-submitted"]?.lowercased(),
            auto.contains("failure") || auto.contains("rejected")
        {
            return true
        }
        return false
    }

    static let systemNames = [
        "mail delivery", "delivery subsystem", "mailer-daemon", "mailer daemon", "postmaster", "mail administrator",
        "delivery system", "mail system", "delivery service", "system administrator", "mail service",
    ]

    // MARK: - Subject

    /// A subject that names a failed delivery, unless the mail is a forward of one.
    static func subjectSaysBounce(_ subject: String?) -> Bool {
        guard let subject, !isForward(subject) else { return false }
        let lower = subject.lowercased()
        return lower.containsAny(subjectPhrases) || subjectSaysDelay(subject)
    }

    /// A subject that names a delayed delivery (not one that names a failure first and then
    /// repeats the original subject, which may speak of delays).
    static func subjectSaysDelay(_ subject: String?) -> Bool {
        guard let subject, !isForward(subject) else { return false }
        let lower = subject.lowercased().trimmed()
        if lower.contains("(failure)") || failureSubjectStarts.contains(where: { lower.hasPrefix($0) }) { return false }
        return lower.containsAny(subjectDelayPhrases)
    }

    static let failureSubjectStarts = [
        "undeliverable", "undelivered", "returned mail", "mail delivery failed", "delivery failure", "failure notice",
        "non-delivery", "delivery status notification (failure)",
    ]

    static let subjectPhrases = [
        "undeliverable", "undelivered", "delivery failure", "delivery failed", "delivery status notification",
        "delivery notification", "delivery report", "failure notice", "failure delivery", "returned mail",
        "mail delivery failed", "could not be delivered", "not delivered", "non-delivery", "nondeliverable",
        "non remis", "delivery problem", "mail system error", "permanent delivery failure", "delivery status",
        "unzustellbar", "nicht zustellbar", "non recapitabile", "onbestelbaar", "no se puede entregar",
        "non distribuibile", "non recapitato", "impossible de remettre", "échec de la remise", "kan inte levereras",
        "returning message to sender", "mail error", "nedoručitelné", "kézbesíthetetlen", "niedostarczalna",
        "не доставлено", "недоставлено", "undeliverable mail", "rejected mail", "mail could not be delivered",
        "failed mail", "mail failed", "delivery error",
        "returned to sender",
    ]

    static let subjectDelayPhrases = [
        "delay", "could not send message for past", "not yet been delivered", "not yet delivered",
        "delivery warning", "still being retried", "verzögert", "retardé", "retrasad", "ritardat", "vertraagd",
        "försenad",
    ]

    /// `Fwd:`, `Fw:`, `WG:`, `TR:`, `RV:`, `I:`, `Enc:`, `VB:`: a person passing a mail on.
    static func isForward(_ subject: String) -> Bool {
        let lower = subject.lowercased().trimmed()
        return ["fwd:", "fw:", "wg:", "tr:", "rv:", "i:", "enc:", "vb:", "fwd ", "doorst:", "vs:"]
            .contains { lower.hasPrefix($0) }
    }

    // MARK: - Words of the notification

    /// Verbs of a failed or late delivery, for lines that introduce a list of recipients.
    static let failureVerbs = [
        "deliver", "reach", "failed", "undeliverable", "zugestellt", "delivre", "délivré", "remis", "entregado",
        "entregar", "consegnat", "recapitat", "bezorgd", "afgeleverd", "levererats", "levereras", "доставлено",
        "not receive", "rejected", "returned",
    ]

    /// Words of a failure on one line (the third way of finding recipients).
    static let failureWords = [
        "unknown", "not found", "no such", "not exist", "invalid", "failed", "failure", "rejected", "quota",
        "mailbox is full", "mailbox full", "unavailable", "disabled", "not listed", "unable", "undeliverable",
        "could not", "cannot", "can't", "not delivered", "refused", "denied", "addressed", "illegal", "expired",
        "does not", "did not", "error",
    ]

    /// Sentences of a delivery failure report.
    static let textPhrases = [
        "could not be delivered", "couldn't be delivered", "could not deliver", "was not delivered",
        "wasn't delivered", "were not delivered", "not be delivered", "undeliverable", "undelivered",
        "unable to deliver", "delivery has failed", "delivery failed", "delivery to the following",
        "failed permanently", "permanent error", "permanent fatal", "did not reach", "address(es) failed",
        "addresses failed", "address failed", "failed recipient", "could not be reached", "returned to sender",
        "mail delivery failed", "delivery status notification", "non-delivery", "nondelivery", "user unknown",
        "unknown user", "no such user", "mailbox unavailable", "mailbox is full", "over quota", "quota exceeded",
        "n'a pas pu etre delivre", "n'a pas pu être délivré", "n'a pas pu être remis", "no pudo ser entregado",
        "nicht zugestellt", "konnte nicht zugestellt", "unzustellbar", "non è stato possibile recapitare",
        "non recapitabile", "kon niet worden bezorgd", "onbestelbaar", "kunde inte levereras",
        "не может быть доставлено", "не доставлено", "qmail-send program", "i'm sorry to have to inform you",
        "message could not be delivered", "was automatically rejected", "has been returned", "not yet been delivered",
        "delivery is delayed", "has been delayed", "delivery problems", "error during delivery", "did not receive",
        "delivery of email to this address", "could not send message",
    ]

    /// Sentences of a delay warning: the mail system is still trying.
    static let delayPhrases = [
        "has not yet been delivered", "not yet been delivered", "delivery has been delayed", "has been delayed",
        "is delayed", "been postponed", "will continue to try", "will continue trying", "attempts will continue",
        "will be retried", "will retry", "will try again", "still being retried", "warning message only",
        "this is just a warning", "not need to resend", "no action is required on your part", "temporary problem",
        "will keep trying", "could not send message for past",
    ]

    /// Sentences that say the mail system has given up: a failure even when delay words appear.
    static let permanentPhrases = [
        "permanent error", "permanent failure", "failed permanently", "permanent fatal",
        "given up", "giving up", "gave up", "will not be delivered", "not be retried", "no further attempts",
        "undeliverable",
    ]

    /// Subjects of success notices (RFC 3461 `NOTIFY=SUCCESS` and relay notices).
    static let successSubjectPhrases = [
        "(success)", "(relay)", "successful mail delivery", "delivery succeeded", "delivered successfully",
        "relayed:", "delivered:",
    ]

    /// Sentences of a success notice.
    static let successPhrases = [
        "delivered successfully", "was successfully delivered", "delivery to the following recipients succeeded",
        "delivery to these recipients or groups is complete", "has been relayed", "was relayed",
    ]

    static func textSaysSuccess(_ text: String) -> Bool { text.containsAny(successPhrases) }
    static func textSaysBounce(_ text: String) -> Bool { text.containsAny(textPhrases) }
    static func textSaysDelay(_ text: String) -> Bool { text.containsAny(delayPhrases) }
    static func textSaysPermanent(_ text: String) -> Bool { text.containsAny(permanentPhrases) }
}

extension String {
    /// The string with spaces and tabs removed.
    fileprivate func replacingSpaces() -> String { String(filter { $0 != " " && $0 != "\t" }) }

    /// The string without one pair of surrounding angle brackets.
    fileprivate func trimmingAngles() -> String {
        var view = Substring(self)
        if view.first == "<" { view = view.dropFirst() }
        if view.last == ">" { view = view.dropLast() }
        return String(view)
    }
}
