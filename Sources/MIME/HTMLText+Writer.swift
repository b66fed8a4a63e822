extension HTMLText {
    /// Collects text with HTML white-space rules and tidies lines at the end.
    struct Writer {
        var out: [UInt8] = []
        var pendingSpace = false

        mutating func text(_ bytes: ArraySlice<UInt8>, preformatted: Bool) {
            if preformatted {
                flushSpace()
                out.append(contentsOf: bytes.lazy.filter { $0 != 13 })
                return
            }
            for byte in bytes {
                if byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12 {
                    pendingSpace = true
                } else {
                    flushSpace()
                    out.append(byte)
                }
            }
        }

        mutating func text(_ string: String, preformatted: Bool) {
            // A no-break space is text, not collapsible white space; show it as a plain space.
            if string == "\u{00A0}" {
                flushSpace()
                out.append(32)
                return
            }
            text(Array(string.utf8)[...], preformatted: preformatted)
        }

        mutating func space() {
            pendingSpace = true
        }

        private mutating func flushSpace() {
            if pendingSpace, let last = out.last, last != 10, last != 32 { out.append(32) }
            pendingSpace = false
        }

        mutating func lineBreak() {
            trimTrailingSpaces()
            out.append(10)
            pendingSpace = false
        }

        mutating func ensureNewlines(_ count: Int) {
            pendingSpace = false
            trimTrailingSpaces()
            guard !out.isEmpty else { return }
            var trailing = 0
            while trailing < out.count, out[out.count - 1 - trailing] == 10 { trailing += 1 }
            while trailing < count {
                out.append(10)
                trailing += 1
            }
        }

        private mutating func trimTrailingSpaces() {
            while let last = out.last, last == 32 || last == 9 { out.removeLast() }
        }

        /// Trims each line's end, keeps at most one blank line in a row, trims the whole.
        func finish() -> String {
            var result: [UInt8] = []
            result.reserveCapacity(out.count)
            var newlines = 0
            var lineStart = true
            for byte in out {
                if byte == 10 {
                    while let last = result.last, last == 32 || last == 9 { result.removeLast() }
                    newlines += 1
                    lineStart = true
                    continue
                }
                if lineStart {
                    if !result.isEmpty { result.append(contentsOf: repeatElement(10, count: min(newlines, 2))) }
                    newlines = 0
                    lineStart = false
                }
                result.append(byte)
            }
            while let last = result.last, last == 32 || last == 9 { result.removeLast() }
            return String(decoding: result, as: UTF8.self)
        }
    }
}
