import Crypto
import Foundation
import Hummingbird
import MailModel
import Store

/// CSRF protection for every form: a random value in an `HttpOnly` cookie and, in each form, its
/// HMAC under the portal's key. A POST passes only when the two agree, which a page on another site
/// cannot arrange: it can neither read our cookie nor compute the HMAC.
struct CSRFTokens: Sendable {
    static let cookieName = "pd_csrf"
    static let fieldName = "csrf"
    /// A key of its own, derived from the portal's secret. Never changed after `init`, so sharing it
    /// between requests is safe although swift-crypto does not mark the type `Sendable`.
    nonisolated(unsafe) let key: SymmetricKey

    init(secretKey: [UInt8]) {
        key = SymmetricKey(data: SHA256.hash(data: Array("postdesk portal csrf".utf8) + secretKey))
    }

    /// The form token for a cookie value.
    func token(for cookie: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(cookie.utf8), using: key)
        return Base64Encoding.urlSafe.encode(Array(mac))
    }

    /// Whether the form's token matches the request's cookie, compared in constant time.
    func verify(cookie: String?, token: String?) -> Bool {
        guard let cookie, let token, !cookie.isEmpty else { return false }
        let expected = Array(self.token(for: cookie).utf8)
        let given = Array(token.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, given) { difference |= a ^ b }
        return difference == 0
    }

    static func newCookieValue() -> String { AccessTokenRecord.makeToken() }
}
