/// A value that holds a secret (a key, a token, a session id, a password): printed, interpolated,
/// dumped or reflected, it shows only its `redactedSummary`, never its stored properties. Logs at any
/// level, and libraries that describe what they are given (ServiceLifecycle names services by
/// `"\(service)"`), see no more than that.
public protocol KeepsSecrets: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What may be shown: the type's name and harmless facts, never a secret.
    var redactedSummary: String { get }
}

extension KeepsSecrets {
    public var redactedSummary: String { "\(Self.self)(redacted)" }
    public var description: String { redactedSummary }
    public var debugDescription: String { redactedSummary }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

extension PortalSettings: KeepsSecrets {
    public var redactedSummary: String { "PortalSettings(\(productName), \(publicURL), secret key redacted)" }
}

extension PortalController: KeepsSecrets {}
extension PortalRequestContext: KeepsSecrets {}
extension LinkRequestMailer: KeepsSecrets {}
extension CSRFTokens: KeepsSecrets {}
extension PortalCache: KeepsSecrets {}
extension PortalCache.SessionEntry: KeepsSecrets {}
extension PortalController.Visitor: KeepsSecrets {
    var redactedSummary: String { "Visitor(customer \(customerID), session redacted)" }
}
