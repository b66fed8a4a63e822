import Crypto
import Foundation
import MailModel

/// Signed tokens that name a ticket in the mail we send, so that answers find their ticket without
/// trusting anything a stranger can type.
///
/// Mail to customers and their colleagues carries customer tokens:
/// - Message-ID: `<TKT-7F3KQ9.5e0c9a1b.0f3c2a9d81b7e645@support.example>`: reference, random nonce,
///   and 64 bits of HMAC-SHA256 over both. A reply's In-Reply-To/References carry it back.
/// - Reply-To: `support+TKT-7F3KQ9.k3j9d2wq@support.example` (plus-addressing): reference and 40 bits
///   of HMAC in lower-case base32, as mail systems may fold the case of local parts.
///
/// Mail to agents (notices) carries agent tokens, bound to the address the notice went to (an agent's,
/// or the team's list): `<TKT-7F3KQ9.5e0c9a1b.a.3b…@…>` and `support+TKT-7F3KQ9.a.m2x…@…`. Only such a
/// token lets a mail act as an agent; a customer never receives one.
///
/// An inbound mail whose *own* Message-ID verifies is our own mail coming back: a loop.
public struct ThreadTokens: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let key: [UInt8]
    private let prefix: String

    public init(key: [UInt8], ticketPrefix: String) {
        self.key = key
        prefix = ticketPrefix
    }

    /// Never the key: this value reaches logs through the services that hold it.
    public var description: String { "ThreadTokens(prefix: \(prefix), key: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["prefix": prefix, "key": "<redacted>"]) }

    // MARK: Customer tokens

    /// A fresh Message-ID (without angle brackets) for a mail about ticket `ref` to its customer or
    /// the people taking part.
    public func messageID(ref: String, domain: String) -> String {
        let nonce = Self.nonce()
        return "\(ref).\(nonce).\(hexSignature("mid|\(ref)|\(nonce)"))@\(domain)"
    }

    /// The ticket a customer Message-ID names, when it is one of ours and its signature verifies.
    public func ticketRef(fromMessageID id: String) -> String? {
        guard let parts = idParts(id, count: 3), let ref = ref(parts[0]) else { return nil }
        return constantTimeEqual(hexSignature("mid|\(ref)|\(parts[1])"), parts[2].lowercased()) ? ref : nil
    }

    /// The address that routes answers to ticket `ref`: `local+REF.signature@domain`.
    public func replyAddress(ref: String, supportAddress: String) -> String {
        plusAddress(supportAddress, tag: "\(ref).\(addressSignature("addr|\(ref)"))")
    }

    /// The ticket a customer plus-address names, when its signature verifies.
    public func ticketRef(fromAddress address: String) -> String? {
        guard let parts = tagParts(address, count: 2), let ref = ref(parts[0]) else { return nil }
        return constantTimeEqual(addressSignature("addr|\(ref)"), parts[1].lowercased()) ? ref : nil
    }

    // MARK: Agent tokens

    /// A fresh Message-ID for a notice about ticket `ref` sent to `recipient` (an agent or the team).
    public func agentMessageID(ref: String, domain: String, recipient: String) -> String {
        let nonce = Self.nonce()
        return "\(ref).\(nonce).a.\(hexSignature("agent-mid|\(ref)|\(nonce)|\(recipient.lowercased())"))@\(domain)"
    }

    /// The ticket an agent Message-ID names, when it verifies for one of `recipients` (the sender, or
    /// the team address that any agent may answer from).
    public func ticketRef(fromAgentMessageID id: String, recipients: [String]) -> String? {
        guard let parts = idParts(id, count: 4), parts[2] == "a", let ref = ref(parts[0]) else { return nil }
        let given = parts[3].lowercased()
        let verifies = recipients.contains { recipient in
            constantTimeEqual(hexSignature("agent-mid|\(ref)|\(parts[1])|\(recipient.lowercased())"), given)
        }
        return verifies ? ref : nil
    }

    /// The address that routes an agent's answer to ticket `ref`, bound to the notice's recipient.
    public func agentReplyAddress(ref: String, supportAddress: String, recipient: String) -> String {
        plusAddress(supportAddress, tag: "\(ref).a.\(addressSignature("agent-addr|\(ref)|\(recipient.lowercased())"))")
    }

    /// The ticket an agent plus-address names, when it verifies for one of `recipients`.
    public func ticketRef(fromAgentAddress address: String, recipients: [String]) -> String? {
        guard let parts = tagParts(address, count: 3), parts[1].lowercased() == "a", let ref = ref(parts[0]) else {
            return nil
        }
        let given = parts[2].lowercased()
        let verifies = recipients.contains { recipient in
            constantTimeEqual(addressSignature("agent-addr|\(ref)|\(recipient.lowercased())"), given)
        }
        return verifies ? ref : nil
    }

    /// An identifier of this installation for our loop header: derived from the key, so it is stable
    /// and says nothing about the key.
    public var instanceID: String { String(hexSignature("instance").prefix(12)) }

    // MARK: Shapes

    private static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%08x", UInt32.random(in: 0...UInt32.max, using: &generator))
    }

    private func ref(_ text: Substring) -> String? {
        TicketReference(String(text), prefix: prefix)?.rawValue
    }

    /// The dot-separated parts of a Message-ID's local part, when there are exactly `count`.
    private func idParts(_ id: String, count: Int) -> [Substring]? {
        let local = id.split(separator: "@", maxSplits: 1).first ?? Substring(id)
        let parts = local.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == count ? parts : nil
    }

    /// The dot-separated parts of the tag after `+` in an address's local part, when there are `count`.
    private func tagParts(_ address: String, count: Int) -> [Substring]? {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].lastIndex(of: "+") else { return nil }
        let parts = address[address.index(after: plus)..<at].split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == count ? parts : nil
    }

    private func plusAddress(_ supportAddress: String, tag: String) -> String {
        guard let at = supportAddress.lastIndex(of: "@") else { return supportAddress }
        return "\(supportAddress[..<at])+\(tag)@\(supportAddress[supportAddress.index(after: at)...])"
    }

    private func mac(_ text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
    }

    private func hexSignature(_ text: String) -> String {
        mac(text).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// 40 bits of the MAC as eight lower-case base32 characters.
    private func addressSignature(_ text: String) -> String {
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        var bits: UInt64 = 0
        for byte in mac(text).prefix(5) { bits = bits << 8 | UInt64(byte) }
        return String((0..<8).reversed().map { alphabet[Int((bits >> (UInt64($0) * 5)) & 31)] })
    }

    private func constantTimeEqual(_ expected: String, _ given: some StringProtocol) -> Bool {
        let a = Array(expected.utf8)
        let b = Array(given.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
