/// Finds the line that tells a replying customer where to write (`-- reply above this line --`) in
/// any of the languages below, quoted or not. Everything from that line on is history.
enum ReplyMarker {
    /// Phrases of marker lines, matched without regard to ASCII case.
    static let phrases: [String] = [
        "reply above this line", "write above this line", "type your reply above", "respond above this line",
        "antworten sie oberhalb", "oberhalb dieser zeile", "au-dessus de cette ligne", "encima de esta línea",
        "encima de esta linea", "sopra questa riga", "sopra questa linea", "boven deze regel", "boven deze lijn",
        "acima desta linha", "ovanför denna rad", "ovanför den här raden", "over denne linje", "over denne linjen",
        "powyżej tej linii", "выше этой строки", "この行より上", "此行上方", "此行以上",
    ]

    /// Longest line that still counts as a marker line rather than prose that mentions one.
    static let maxLineLength = 200

    /// Index of the first marker line in `bytes` (a text with `\n` line ends), or nil.
    ///
    /// One pass over the bytes; a phrase is compared only where a byte starts one of them.
    static func lineIndex(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var line = 0
        var index = 0
        while index < bytes.count {
            let byte = lower(bytes[index])
            if byte == 10 {
                line += 1
            } else if isHead[Int(byte)], let candidates = byHead[Int(byte)] {
                for needle in candidates where matches(needle, in: bytes, at: index) {
                    if lineLength(around: index, in: bytes) <= maxLineLength { return line }
                }
            }
            index += 1
        }
        return nil
    }

    /// True for the bytes that start a phrase.
    private static let isHead: [Bool] = byHead.map { $0 != nil }

    /// The phrases as bytes, by their first byte.
    private static let byHead: [[[UInt8]]?] = {
        var table = [[[UInt8]]?](repeating: nil, count: 256)
        for phrase in phrases {
            let needle = Array(phrase.utf8)
            guard let head = needle.first else { continue }
            table[Int(head)] = (table[Int(head)] ?? []) + [needle]
        }
        return table
    }()

    private static func matches(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + needle.count <= bytes.count else { return false }
        for offset in 1..<needle.count where lower(bytes[index + offset]) != needle[offset] { return false }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    private static func lineLength(around offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = offset
        while start > 0, bytes[start - 1] != 10, offset - start <= maxLineLength { start -= 1 }
        var end = offset
        while end < bytes.count, bytes[end] != 10, end - start <= maxLineLength { end += 1 }
        return end - start
    }
}
