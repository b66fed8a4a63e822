/// The fields every mail shows about the helpdesk itself, from the configuration.
public struct TemplateSite: Sendable, Hashable {
    /// `product_name`, e.g. "Acme Support".
    public var productName: String
    /// `support_address`, e.g. `support@acme.example`.
    public var supportAddress: String
    /// `portal_url`, e.g. `https://help.acme.example/`.
    public var portalURL: String

    public init(productName: String, supportAddress: String, portalURL: String) {
        self.productName = productName
        self.supportAddress = supportAddress
        self.portalURL = portalURL
    }
}
