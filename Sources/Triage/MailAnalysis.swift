import MIME

/// Everything Postdesk reads in one mail beyond its MIME structure: what kind of mail it is, what
/// its author just wrote, and, for a bounce, who could not be reached.
public struct MailAnalysis: Sendable {
    public var classification: Classification
    public var reply: ExtractedReply
    public var bounce: BounceReport?

    public init(classification: Classification, reply: ExtractedReply, bounce: BounceReport?) {
        self.classification = classification
        self.reply = reply
        self.bounce = bounce
    }

    /// Reads a parsed mail: classification, reply extraction and bounce parsing. Pure and linear.
    /// `bounce` is kept only for bounces and delay warnings (a success notice is not one).
    public static func analyze(_ mail: ParsedMail) -> MailAnalysis {
        let report = BounceParser.parse(mail)
        let classification = MailClassifier.classify(mail, parsedReport: report)
        let isBounce = classification.kind == .bounce || classification.kind == .delay
        return MailAnalysis(
            classification: classification,
            reply: ReplyExtractor.extract(text: mail.text, html: mail.html),
            bounce: isBounce ? report : nil)
    }
}
