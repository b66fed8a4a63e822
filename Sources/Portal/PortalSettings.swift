import Foundation

/// How the portal looks and behaves: branding, lifetimes, limits. Built by the executable from the
/// configuration; tests build it directly.
public struct PortalSettings: Sendable {
    public var productName: String
    public var supportAddress: String
    /// The portal's public address (`https://help.example.com`); cookies are `Secure` when it is https.
    public var publicURL: String
    public var primaryColor: BrandColor
    public var logo: Logo?
    /// How long a session lasts without use; every use moves the end forward.
    public var sessionLifetime: Duration
    /// How long a sign-in link works, as mail says it; the link itself is made when the mail is sent.
    public var loginLinkLifetime: Duration
    /// Whether someone not signed in may ask for a ticket (it opens once their address is proven).
    public var anonymousTickets: Bool
    /// Sign-in links asked for one address, and from one client address, per hour.
    public var linkRequestsPerAddress: Int
    public var linkRequestsPerClient: Int
    /// Proxies whose `X-Forwarded-For` names the real client.
    public var trustedProxies: Set<String>
    /// Replies and new tickets one signed-in customer may send per `writeWindow`: the portal's flood guard.
    public var writesPerWindow: Int
    public var writeWindow: Duration
    /// Signs the forms' CSRF tokens.
    public var secretKey: [UInt8]

    public struct Logo: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
        public init(bytes: [UInt8], contentType: String) {
            self.bytes = bytes
            self.contentType = contentType
        }
    }

    public init(
        productName: String = "Postdesk", supportAddress: String, publicURL: String = "http://127.0.0.1:8080",
        primaryColor: BrandColor = .default, logo: Logo? = nil, sessionLifetime: Duration = .seconds(14 * 86_400),
        loginLinkLifetime: Duration = .seconds(30 * 60), anonymousTickets: Bool = false,
        linkRequestsPerAddress: Int = 5, linkRequestsPerClient: Int = 30, trustedProxies: Set<String> = [],
        writesPerWindow: Int = 20, writeWindow: Duration = .seconds(600), secretKey: [UInt8]
    ) {
        self.productName = productName
        self.supportAddress = supportAddress
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.primaryColor = primaryColor
        self.logo = logo
        self.sessionLifetime = sessionLifetime
        self.loginLinkLifetime = loginLinkLifetime
        self.anonymousTickets = anonymousTickets
        self.linkRequestsPerAddress = linkRequestsPerAddress
        self.linkRequestsPerClient = linkRequestsPerClient
        self.trustedProxies = trustedProxies
        self.writesPerWindow = writesPerWindow
        self.writeWindow = writeWindow
        self.secretKey = secretKey
    }

    /// Cookies carry `Secure` when the portal is served over https.
    var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// The longest reply or message the portal takes, in characters.
    static let maxReplyLength = 2_000
}

/// The brand's primary colour, `#rrggbb`, with the text colour that reads on it.
public struct BrandColor: Sendable, Hashable {
    public let hex: String
    let red: Double, green: Double, blue: Double

    public static let `default` = BrandColor(hex: "#1d4ed8")!

    /// nil unless `hex` is `#rrggbb`.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.hex = "#" + digits.lowercased()
        red = Double((value >> 16) & 0xff) / 255
        green = Double((value >> 8) & 0xff) / 255
        blue = Double(value & 0xff) / 255
    }

    /// WCAG relative luminance.
    var luminance: Double {
        func channel(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    }

    /// White or near-black, whichever contrasts more with the colour.
    var onColor: String {
        let white = 1.05 / (luminance + 0.05)
        let black = (luminance + 0.05) / 0.05
        return white >= black ? "#ffffff" : "#111827"
    }

    /// Contrast ratio of the colour against white (links and buttons sit on a white page).
    public var contrastOnWhite: Double { 1.05 / (luminance + 0.05) }
}
