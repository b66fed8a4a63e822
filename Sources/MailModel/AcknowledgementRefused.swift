/// The server refused to move some mails out of the inbox: it answered the command (IMAP `NO` or
/// `BAD`, e.g. a folder name it does not accept), so the connection is fine and every other mail of
/// the call was acknowledged. Thrown by `InboundSource.acknowledge`; a lost connection is thrown as
/// the source's own error instead.
public struct AcknowledgementRefused: Error, Sendable, CustomStringConvertible {
    public struct Refusal: Sendable, Equatable {
        public var key: String
        /// Where the mail was to go.
        public var folder: String
        /// The server's own words, e.g. `A005 NO [CANNOT] Invalid mailbox name`.
        public var reason: String

        public init(key: String, folder: String, reason: String) {
            self.key = key
            self.folder = folder
            self.reason = reason
        }
    }

    public var refusals: [Refusal]

    public init(_ refusals: [Refusal]) { self.refusals = refusals }

    public var description: String {
        let keys = refusals.prefix(10).map(\.key).joined(separator: ", ") + (refusals.count > 10 ? ", ..." : "")
        return "acknowledgement of \(refusals.count) mail(s) refused (\(keys)): \(refusals.first?.reason ?? "")"
    }
}
