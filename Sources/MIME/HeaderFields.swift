/// The header fields of a message or body part, in their original order (RFC 5322 section 3.6 lets
/// most fields repeat, and trace fields depend on order). Lookup by name ignores ASCII case.
///
/// ```swift
/// headers["auto-submitted"]   // decoded, unfolded value of the first such field, or nil
/// headers.all("received")     // every Received field, top first
/// headers.raw("subject")      // the first value exactly as written
/// ```
public struct HeaderFields: Sendable, Hashable, RandomAccessCollection {
    public private(set) var fields: [HeaderField]

    public init(_ fields: [HeaderField] = []) {
        self.fields = fields
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> HeaderField { fields[position] }

    public mutating func append(_ field: HeaderField) {
        fields.append(field)
    }

    /// The first field with this name (ASCII case-insensitive).
    public func first(_ name: String) -> HeaderField? {
        fields.first { HeaderFields.sameName($0.name, name) }
    }

    /// The decoded, unfolded value of the first field with this name.
    public subscript(name: String) -> String? { first(name)?.value }

    /// Decoded values of every field with this name, in order.
    public func all(_ name: String) -> [String] {
        fields.filter { HeaderFields.sameName($0.name, name) }.map(\.value)
    }

    /// The raw value (folding kept) of the first field with this name.
    public func raw(_ name: String) -> String? { first(name)?.rawValue }

    /// Unfolded but not RFC 2047 decoded value of the first field with this name.
    public func unfolded(_ name: String) -> String? { first(name)?.unfoldedValue }

    public func contains(_ name: String) -> Bool { first(name) != nil }

    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let la = a >= 65 && a <= 90 ? a + 32 : a
            let lb = b >= 65 && b <= 90 ? b + 32 : b
            if la != lb { return false }
        }
        return true
    }
}

extension HeaderFields {
    /// Reads groups of header fields separated by blank lines, as in a `message/delivery-status`
    /// body (RFC 3464 section 2.1): one per-message group followed by per-recipient groups.
    public static func parseGroups(_ bytes: [UInt8]) -> [HeaderFields] {
        var groups: [HeaderFields] = []
        bytes.withUnsafeBufferPointer { buf in
            var position = 0
            while position < buf.count {
                // Skip blank lines between groups.
                let line = ByteScan.line(in: buf, from: position, to: buf.count)
                if line.end == position {
                    position = line.next
                    continue
                }
                let block = HeaderBlockParser.parse(buf, from: position, to: buf.count, maxBytes: Int.max)
                if !block.fields.isEmpty { groups.append(block.fields) }
                if block.bodyStart <= position { break }
                position = block.bodyStart
            }
        }
        return groups
    }
}
