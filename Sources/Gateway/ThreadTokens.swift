import Crypto
import Foundation
import MailModel

/// Signed tokens that name a ticket in the mail we send, so that answers find their ticket without
/// trusting anything a stranger can type.
///
/// - Message-ID: `<TKT-7F3KQ9.5e0c9a1b.0f3c2a9d81b7e645@support.example>`: reference, random nonce,
///   and 64 bits of HMAC-SHA256 over both. A reply's In-Reply-To/References carry it back.
/// - Reply-To: `support+TKT-7F3KQ9.k3j9d2wq@support.example` (plus-addressing): reference and 40 bits
///   of HMAC in lower-case base32, as mail systems may fold the case of local parts.
///
/// An inbound mail whose *own* Message-ID verifies is our own mail coming back: a loop.
public struct ThreadTokens: Sendable {
    private let key: [UInt8]
    private let prefix: String

    public init(key: [UInt8], ticketPrefix: String) {
        self.key = key
        prefix = ticketPrefix
    }

    /// A fresh Message-ID (without angle brackets) for a mail about ticket `ref`.
    public func messageID(ref: String, domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = String(format: "%08x", UInt32.random(in: 0...UInt32.max, using: &generator))
        return "\(ref).\(nonce).\(hexSignature("mid|\(ref)|\(nonce)"))@\(domain)"
    }

    /// The ticket a Message-ID names, when it is one of ours and its signature verifies.
    public func ticketRef(fromMessageID id: String) -> String? {
        let local = id.split(separator: "@", maxSplits: 1).first.map(String.init) ?? id
        let parts = local.split(separator: ".")
        guard parts.count == 3, let ref = TicketReference(String(parts[0]), prefix: prefix)?.rawValue else {
            return nil
        }
        let expected = hexSignature("mid|\(ref)|\(parts[1])")
        return constantTimeEqual(expected, parts[2].lowercased()) ? ref : nil
    }

    /// The address that routes answers to ticket `ref`: `local+REF.signature@domain`.
    public func replyAddress(ref: String, supportAddress: String) -> String {
        guard let at = supportAddress.lastIndex(of: "@") else { return supportAddress }
        let local = supportAddress[..<at]
        let domain = supportAddress[supportAddress.index(after: at)...]
        return "\(local)+\(ref).\(addressSignature(ref))@\(domain)"
    }

    /// The ticket a plus-address names, when its signature verifies.
    public func ticketRef(fromAddress address: String) -> String? {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].lastIndex(of: "+") else { return nil }
        let tag = address[address.index(after: plus)..<at]
        let parts = tag.split(separator: ".")
        guard parts.count == 2, let ref = TicketReference(String(parts[0]), prefix: prefix)?.rawValue else {
            return nil
        }
        return constantTimeEqual(addressSignature(ref), parts[1].lowercased()) ? ref : nil
    }

    /// An identifier of this installation for our loop header: derived from the key, so it is stable
    /// and says nothing about the key.
    public var instanceID: String { String(hexSignature("instance").prefix(12)) }

    private func mac(_ text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
    }

    private func hexSignature(_ text: String) -> String {
        mac(text).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private func addressSignature(_ ref: String) -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        let bytes = mac("addr|\(ref)")
        // 40 bits: eight base32 characters from the first five bytes.
        var bits: UInt64 = 0
        for byte in bytes.prefix(5) { bits = bits << 8 | UInt64(byte) }
        return String((0..<8).reversed().map { alphabet[Int((bits >> (UInt64($0) * 5)) & 31)] })
    }

    private func constantTimeEqual(_ expected: String, _ given: String) -> Bool {
        let a = Array(expected.utf8)
        let b = Array(given.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
