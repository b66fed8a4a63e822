/// A set of lowercase words or phrases that answers for byte slices without building a string in
/// most cases: a table of the first two bytes (ASCII letters folded) and the length range filter
/// first (for ASCII), and only the candidates that pass are lowercased and looked up.
struct ReplyWordSet<Value: Sendable>: Sendable {
    private var values: [String: Value] = [:]
    private var pairs = [Bool](repeating: false, count: 65_536)
    private var minLength = Int.max
    private var maxLength = 0

    init(_ entries: [(String, Value)]) {
        for (word, value) in entries where values[word] == nil {
            values[word] = value
            let bytes = Array(word.utf8)
            guard let first = bytes.first else { continue }
            pairs[Self.pairIndex(first, bytes.count > 1 ? bytes[1] : 0)] = true
            minLength = min(minLength, bytes.count)
            maxLength = max(maxLength, bytes.count)
        }
    }

    private static func pairIndex(_ first: UInt8, _ second: UInt8) -> Int {
        Int(ReplyBytes.lower(first)) << 8 | Int(ReplyBytes.lower(second))
    }

    /// The value of the word spelled by `bytes` (ASCII letters compared without case), or nil.
    func value(_ bytes: ReplyBytes.Slice) -> Value? {
        guard bytes.count >= minLength, bytes.count <= maxLength, let first = bytes.first else { return nil }
        let second = bytes.count > 1 ? bytes[bytes.startIndex + 1] : 0
        // Only ASCII letters fold in the table; other scripts (`От`) go to the lookup directly.
        guard first >= 0x80 || second >= 0x80 || pairs[Self.pairIndex(first, second)] else { return nil }
        return values[ReplyBytes.lowercased(bytes)]
    }

    /// True when the set holds the word spelled by `bytes`.
    func contains(_ bytes: ReplyBytes.Slice) -> Bool { value(bytes) != nil }
}

extension ReplyWordSet where Value == Bool {
    init(_ words: [String]) {
        self.init(words.map { ($0, true) })
    }
}
