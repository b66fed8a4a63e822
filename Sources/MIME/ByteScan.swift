#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level helpers shared by the parsers. All work on `UnsafeBufferPointer<UInt8>` ranges so that
/// scanning a body never allocates per line.
enum ByteScan {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let space: UInt8 = 32
    static let tab: UInt8 = 9

    /// The end of the line starting at `start` (excluding CR LF) and the start of the next line.
    @inline(__always)
    static func line(in buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (end: Int, next: Int) {
        guard start < end, let base = buf.baseAddress else { return (end, end) }
        guard let hit = memchr(base + start, Int32(lf), end - start) else { return (end, end) }
        let lfIndex = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        var contentEnd = lfIndex
        if contentEnd > start && buf[contentEnd - 1] == cr { contentEnd -= 1 }
        return (contentEnd, lfIndex + 1)
    }

    @inline(__always)
    /// The content of an RFC 5322 quoted-string (section 3.2.4) whose opening quote is at `index`:
    /// backslash escapes removed, an unterminated string read to the end. `index` ends after the
    /// closing quote.
    static func quotedString(_ bytes: [UInt8], at index: inout Int) -> [UInt8] {
        var text: [UInt8] = []
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
            text.append(bytes[index])
            index += 1
        }
        index += 1
        return text
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == cr || byte == lf
    }

    /// True when every byte of the range is below 0x80.
    static func isASCII(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = buf.count
        guard let base = buf.baseAddress else { return true }
        // Eight bytes at a time.
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if base[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isASCII($0) }
    }

    /// Lowercases ASCII letters of a string.
    static func asciiLowercased(_ string: String) -> String {
        var bytes = Array(string.utf8)
        for index in bytes.indices where bytes[index] >= 65 && bytes[index] <= 90 { bytes[index] += 32 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Removes spaces, tabs, CR and LF from both ends.
    static func trimmed(_ string: Substring) -> Substring {
        var result = string
        while let first = result.first,
            first == " " || first == "\t" || first == "\r\n" || first == "\n" || first == "\r"
        {
            result = result.dropFirst()
        }
        while let last = result.last, last == " " || last == "\t" || last == "\r\n" || last == "\n" || last == "\r" {
            result = result.dropLast()
        }
        return result
    }

    static func trimmed(_ string: String) -> String { String(trimmed(Substring(string))) }
}
