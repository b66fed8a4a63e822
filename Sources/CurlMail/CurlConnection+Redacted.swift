/// The IMAP and SMTP adapters hold a password: printed, interpolated, dumped or reflected they show
/// their server and user only.
extension CurlConnection: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "CurlConnection(\(url), user: \(user), password redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["url": url, "user": user]) }
}

extension IMAPSource: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public nonisolated var description: String { "IMAPSource(\(sourceID))" }
    public nonisolated var debugDescription: String { description }
    public nonisolated var customMirror: Mirror { Mirror(self, children: ["source": sourceID]) }
}

extension SMTPSender: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public nonisolated var description: String { "SMTPSender(\(url))" }
    public nonisolated var debugDescription: String { description }
    public nonisolated var customMirror: Mirror { Mirror(self, children: ["url": url]) }
}

extension CurlSession: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    var description: String { "CurlSession(connection redacted)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: []) }
}
