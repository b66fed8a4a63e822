import Hummingbird
import NIOCore

/// The request context of the portal: small bodies, forms decoded from `application/x-www-form-urlencoded`,
/// and the peer's address for rate limits.
public struct PortalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer, e.g. `127.0.0.1`; nil when unknown (as in router tests).
    public let peerAddress: String?
    /// The CSRF cookie value this request has, or the one its response sets.
    var csrfCookie: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}
