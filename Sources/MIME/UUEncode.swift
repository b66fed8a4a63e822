/// uuencoded blocks inside a text body (POSIX `uuencode`): a `begin <mode> <name>` line, encoded
/// lines whose first character gives their length, and an `end` line.
///
/// ```
/// begin 644 notes.txt
/// %:&5L;&\`
/// `
/// end
/// ```
enum UUEncode {
    struct Block {
        var filename: String
        var data: [UInt8]
    }

    /// Splits a text body into the text outside uuencoded blocks and the decoded blocks.
    /// Returns nil when there is no block, which is the common case and costs one scan.
    static func extract(_ bytes: [UInt8]) -> (text: [UInt8], blocks: [Block])? {
        bytes.withUnsafeBufferPointer { buf -> (text: [UInt8], blocks: [Block])? in
            guard mayContainBlock(buf) else { return nil }
            var text: [UInt8] = []
            var blocks: [Block] = []
            var position = 0
            var copiedUpTo = 0
            while position < buf.count {
                let line = ByteScan.line(in: buf, from: position, to: buf.count)
                if let name = beginName(buf, from: position, to: line.end) {
                    var data: [UInt8] = []
                    var closed = false
                    var cursor = line.next
                    while cursor < buf.count {
                        let start = cursor
                        let inner = ByteScan.line(in: buf, from: start, to: buf.count)
                        cursor = inner.next
                        if isEnd(buf, from: start, to: inner.end) {
                            closed = true
                            break
                        }
                        decodeLine(buf, from: start, to: inner.end, into: &data)
                    }
                    if closed || !data.isEmpty {
                        text.append(contentsOf: buf[copiedUpTo..<position])
                        blocks.append(Block(filename: name, data: data))
                        copiedUpTo = cursor
                        position = cursor
                        continue
                    }
                }
                position = line.next
            }
            guard !blocks.isEmpty else { return nil }
            text.append(contentsOf: buf[copiedUpTo..<buf.count])
            return (text, blocks)
        }
    }

    /// A quick check for `begin ` at the start of a line.
    static func mayContainBlock(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let needle = Array("begin ".utf8)
        var index = 0
        while index + needle.count <= buf.count {
            if (index == 0 || buf[index - 1] == ByteScan.lf) && buf[index] == UInt8(ascii: "b") {
                var matches = true
                for offset in 1..<needle.count where buf[index + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return true }
            }
            index += 1
        }
        return false
    }

    /// The file name of a `begin 644 name` line.
    static func beginName(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        let line = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
        guard line.hasPrefix("begin ") else { return nil }
        let rest = line.dropFirst(6)
        guard let space = rest.firstIndex(of: " ") else { return nil }
        let mode = rest[..<space]
        guard (3...4).contains(mode.count), mode.allSatisfy({ ("0"..."7").contains($0) }) else { return nil }
        let name = ByteScan.trimmed(rest[rest.index(after: space)...])
        return name.isEmpty ? nil : String(name)
    }

    static func isEnd(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var last = end
        while last > start, buf[last - 1] == ByteScan.space || buf[last - 1] == ByteScan.tab { last -= 1 }
        return last - start == 3 && buf[start] == UInt8(ascii: "e") && buf[start + 1] == UInt8(ascii: "n")
            && buf[start + 2] == UInt8(ascii: "d")
    }

    static func decodeLine(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into data: inout [UInt8]) {
        guard start < end else { return }
        let length = Int((buf[start] &- 32) & 63)
        guard length > 0 else { return }
        var produced = 0
        var index = start + 1
        @inline(__always) func sextet(_ position: Int) -> UInt8 {
            position < end ? (buf[position] &- 32) & 63 : 0
        }
        while produced < length {
            let a = sextet(index)
            let b = sextet(index + 1)
            let c = sextet(index + 2)
            let d = sextet(index + 3)
            let decoded = (a << 2 | b >> 4, (b & 0x0F) << 4 | c >> 2, (c & 0x03) << 6 | d)
            for byte in [decoded.0, decoded.1, decoded.2] where produced < length {
                data.append(byte)
                produced += 1
            }
            index += 4
        }
    }
}
