/// A ticket's public reference, e.g. `TKT-7F3KQ9`: a configurable prefix, a dash and six characters of
/// Crockford's base32 alphabet (digits and upper-case letters without I, L, O and U), chosen at random.
///
/// Six characters give 2^30 (about a billion) references; collisions are retried by the store.
public struct TicketReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let codeLength = 6

    public let rawValue: String
    public var description: String { rawValue }

    /// Validates a reference written by a person or a mail client: prefix match is case-insensitive,
    /// the code is folded to upper case and Crockford's look-alikes (O→0, I/L→1) are mapped.
    public init?(_ text: String, prefix: String) {
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, parts[0].uppercased() == prefix.uppercased(),
            parts[1].count == Self.codeLength
        else { return nil }
        var code = ""
        for character in parts[1].uppercased() {
            let mapped: Character
            switch character {
            case "O": mapped = "0"
            case "I", "L": mapped = "1"
            default: mapped = character
            }
            guard Self.alphabet.contains(mapped) else { return nil }
            code.append(mapped)
        }
        rawValue = "\(prefix.uppercased())-\(code)"
    }

    /// A fresh random reference.
    public static func random(prefix: String) -> TicketReference {
        var generator = SystemRandomNumberGenerator()
        return random(prefix: prefix, using: &generator)
    }

    public static func random(prefix: String, using generator: inout some RandomNumberGenerator) -> TicketReference {
        var code = ""
        for _ in 0..<codeLength {
            if let character = alphabet.randomElement(using: &generator) { code.append(character) }
        }
        return TicketReference(trusted: "\(prefix.uppercased())-\(code)")
    }

    private init(trusted: String) { rawValue = trusted }
}
