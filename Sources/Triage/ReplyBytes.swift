/// Byte-level helpers for the reply rules: UTF-8 white space, ASCII case folding and matching.
///
/// The rules look at every line of a mail that may be megabytes long, so they compare bytes and
/// build strings only for the few lines that pass a cheap test first.
enum ReplyBytes {
    /// A part of the bytes of the text being read. The reply rules run inside one
    /// `withUnsafeBufferPointer` call, so slices are plain values without reference counting.
    typealias Slice = Swift.Slice<UnsafeBufferPointer<UInt8>>

    static let colon = UInt8(ascii: ":")
    /// `：` (U+FF1A, fullwidth colon) in UTF-8.
    static let fullwidthColon: [UInt8] = [0xEF, 0xBC, 0x9A]

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }

    /// ASCII letters and every byte of a non-ASCII character count as word characters.
    static func isWordByte(_ byte: UInt8) -> Bool { isASCIILetter(byte) || byte >= 0x80 }

    /// The length of the white space (ASCII, no-break, zero-width, BOM, ideographic) at `index`, or 0.
    static func spaceLength(_ bytes: Slice, at index: Int) -> Int {
        let byte = bytes[index]
        if byte == 32 || byte == 9 || byte == 11 || byte == 12 || byte == 13 { return 1 }
        if byte == 0xC2, index + 1 < bytes.endIndex, bytes[index + 1] == 0xA0 { return 2 }
        guard index + 2 < bytes.endIndex else { return 0 }
        let second = bytes[index + 1]
        let third = bytes[index + 2]
        switch (byte, second) {
        case (0xE2, 0x80): return third <= 0x8D || third == 0xAF ? 3 : 0
        case (0xE2, 0x81): return third == 0xA0 ? 3 : 0
        case (0xEF, 0xBB): return third == 0xBF ? 3 : 0
        case (0xE3, 0x80): return third == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// True when the white space that ends at `end` (exclusive) is `length` bytes long.
    private static func endsWithSpace(_ bytes: Slice, end: Int, length: Int) -> Bool {
        end - length >= bytes.startIndex && spaceLength(bytes, at: end - length) == length
    }

    /// The bytes without white space at either end.
    static func trim(_ bytes: Slice) -> Slice {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let length = spaceLength(bytes, at: start)
            if length == 0 { break }
            start += length
        }
        return trimEnd(bytes[start...])
    }

    /// The bytes without white space at the end; with `newlines`, line ends go too.
    static func trimEnd(_ bytes: Slice, newlines: Bool = false) -> Slice {
        let start = bytes.startIndex
        var end = bytes.endIndex
        while end > start {
            if newlines && bytes[end - 1] == 10 {
                end -= 1
            } else if endsWithSpace(bytes, end: end, length: 1) {
                end -= 1
            } else if endsWithSpace(bytes, end: end, length: 2) {
                end -= 2
            } else if endsWithSpace(bytes, end: end, length: 3) {
                end -= 3
            } else {
                break
            }
        }
        return bytes[start..<end]
    }

    /// True when `bytes` starts with `needle` (lowercase), ASCII letters compared without case.
    static func hasPrefix(_ bytes: Slice, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        var index = bytes.startIndex
        for byte in needle {
            if lower(bytes[index]) != byte { return false }
            index += 1
        }
        return true
    }

    /// True when `bytes` ends with `needle` (lowercase), ASCII letters compared without case.
    static func hasSuffix(_ bytes: Slice, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return hasPrefix(bytes[(bytes.endIndex - needle.count)...], needle)
    }

    /// True when `needle` (lowercase) occurs in `bytes`, ASCII letters compared without case.
    static func contains(_ bytes: Slice, _ needle: [UInt8]) -> Bool {
        guard let head = needle.first, bytes.count >= needle.count else { return false }
        var index = bytes.startIndex
        let last = bytes.endIndex - needle.count
        while index <= last {
            if lower(bytes[index]) == head, hasPrefix(bytes[index...], needle) { return true }
            index += 1
        }
        return false
    }

    /// A lowercase string of the bytes: ASCII folded directly, other text through `lowercased()`.
    static func lowercased(_ bytes: Slice) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for (offset, byte) in bytes.enumerated() { buffer[offset] = lower(byte) }
                return bytes.count
            }
        }
        return String(decoding: bytes, as: UTF8.self).lowercased()
    }

    /// The UTF-8 bytes of a text with `\r\n` and lone `\r` line ends turned into `\n`.
    static func normalizedLines(_ text: String) -> [UInt8] {
        guard text.utf8.contains(13) else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == 13 {
                bytes.append(10)
                previousWasCR = true
                continue
            }
            if !(byte == 10 && previousWasCR) { bytes.append(byte) }
            previousWasCR = false
        }
        return bytes
    }
}
