import Foundation
import Testing

@testable import Gateway

@Suite("Signed thread tokens")
struct ThreadTokensTests {
    let tokens = ThreadTokens(key: GatewayFixture.key, ticketPrefix: "TKT")

    @Test("our Message-IDs name their ticket and verify; a changed one does not")
    func messageIDs() {
        let id = tokens.messageID(ref: "TKT-7F3KQ9", domain: "example.test")
        #expect(id.hasPrefix("TKT-7F3KQ9."))
        #expect(id.hasSuffix("@example.test"))
        #expect(tokens.ticketRef(fromMessageID: id) == "TKT-7F3KQ9")
        #expect(tokens.messageID(ref: "TKT-7F3KQ9", domain: "example.test") != id, "a fresh nonce each time")
        let forged = id.replacingOccurrences(of: "TKT-7F3KQ9", with: "TKT-7F3KQ8")
        #expect(tokens.ticketRef(fromMessageID: forged) == nil)
        let other = ThreadTokens(key: Array("another key of thirty-two bytes!".utf8), ticketPrefix: "TKT")
        #expect(other.ticketRef(fromMessageID: id) == nil)
        #expect(tokens.ticketRef(fromMessageID: "CAF=abc@mail.gmail.com") == nil)
        #expect(tokens.ticketRef(fromMessageID: "TKT-7F3KQ9.1.2@x") == nil)
    }

    @Test("reply addresses carry the ticket and survive case folding")
    func replyAddresses() {
        let address = tokens.replyAddress(ref: "TKT-7F3KQ9", supportAddress: "support@example.test")
        #expect(address.hasPrefix("support+TKT-7F3KQ9."))
        #expect(address.hasSuffix("@example.test"))
        #expect(tokens.ticketRef(fromAddress: address) == "TKT-7F3KQ9")
        #expect(tokens.ticketRef(fromAddress: address.lowercased()) == "TKT-7F3KQ9")
        #expect(tokens.ticketRef(fromAddress: "<\(address)>") == "TKT-7F3KQ9")
        #expect(tokens.ticketRef(fromAddress: "support+TKT-7F3KQ9.aaaaaaaa@example.test") == nil)
        #expect(tokens.ticketRef(fromAddress: "support@example.test") == nil)
    }

    @Test("the instance id is stable and short")
    func instanceID() {
        #expect(tokens.instanceID.count == 12)
        #expect(tokens.instanceID == ThreadTokens(key: GatewayFixture.key, ticketPrefix: "TKT").instanceID)
    }
}
