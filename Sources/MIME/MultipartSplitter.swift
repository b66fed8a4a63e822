#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the body parts of a multipart body (RFC 2046 section 5.1.1).
///
/// ```
/// preamble
/// --simple boundary
/// Content-Type: text/plain
///
/// part one
/// --simple boundary--
/// epilogue
/// ```
/// A delimiter line is `--` and the exact boundary, optionally `--` (the close delimiter), then only
/// white space; the line break before it belongs to the delimiter. A missing close delimiter ends
/// the last part at the end of the body.
enum MultipartSplitter {
    struct Result {
        var preamble: Range<Int>
        var parts: [Range<Int>]
        var epilogue: Range<Int>
        var closed: Bool
    }

    static func split(
        _ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, boundary: [UInt8], maxParts: Int
    ) -> Result {
        var result = Result(preamble: start..<start, parts: [], epilogue: end..<end, closed: false)
        var segmentStart: Int?
        var position = start
        guard let base = buf.baseAddress, !boundary.isEmpty else {
            result.preamble = start..<end
            return result
        }
        let dash = UInt8(ascii: "-")
        while position < end {
            // Only lines starting with "--" can be delimiters.
            if end - position >= boundary.count + 2, buf[position] == dash, buf[position + 1] == dash,
                memcmp(base + position + 2, boundary, boundary.count) == 0
            {
                let line = ByteScan.line(in: buf, from: position, to: end)
                var cursor = position + 2 + boundary.count
                var isClose = false
                if cursor + 2 <= line.end, buf[cursor] == dash, buf[cursor + 1] == dash {
                    isClose = true
                    cursor += 2
                }
                var onlySpace = true
                while cursor < line.end {
                    if buf[cursor] != ByteScan.space && buf[cursor] != ByteScan.tab {
                        onlySpace = false
                        break
                    }
                    cursor += 1
                }
                if onlySpace {
                    var contentEnd = position
                    if contentEnd > start && buf[contentEnd - 1] == ByteScan.lf { contentEnd -= 1 }
                    if contentEnd > start && buf[contentEnd - 1] == ByteScan.cr { contentEnd -= 1 }
                    if let segment = segmentStart {
                        result.parts.append(segment..<max(segment, contentEnd))
                    } else {
                        result.preamble = start..<contentEnd
                    }
                    if isClose || result.parts.count >= maxParts {
                        result.epilogue = line.next..<end
                        result.closed = isClose
                        return result
                    }
                    segmentStart = line.next
                    position = line.next
                    continue
                }
            }
            guard let hit = memchr(base + position, Int32(ByteScan.lf), end - position) else { break }
            position = (UnsafeRawPointer(hit) - UnsafeRawPointer(base)) + 1
        }
        if let segment = segmentStart {
            result.parts.append(segment..<end)
        } else {
            result.preamble = start..<end
        }
        return result
    }
}
