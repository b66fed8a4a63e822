/// Splits a header block into fields (RFC 5322 sections 2.2 and 3.6, with the obsolete syntax of
/// section 4.5: white space before the colon). The block ends at the first empty line; a line that
/// is neither a field nor a continuation also ends it, and is then the first line of the body.
enum HeaderBlockParser {
    struct Result {
        var fields: HeaderFields
        /// Index of the first body byte (after the empty line, or at the first non-header line).
        var bodyStart: Int
        /// True when the block ended with an empty line, as it should.
        var endedWithBlankLine: Bool
        var defects: [String]
    }

    static func parse(
        _ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, maxBytes: Int
    ) -> Result {
        var fields: [HeaderField] = []
        var defects: [String] = []
        var current: (nameStart: Int, nameEnd: Int, valueStart: Int, valueEnd: Int)?
        var position = start
        var truncated = false

        func flush() {
            guard let field = current else { return }
            current = nil
            if field.valueEnd - start > maxBytes {
                if !truncated { defects.append("header block larger than \(maxBytes) bytes; rest dropped") }
                truncated = true
                return
            }
            let name = String(
                decoding: UnsafeBufferPointer(rebasing: buf[field.nameStart..<field.nameEnd]), as: UTF8.self)
            let raw = Charset.decodeHeaderBytes(UnsafeBufferPointer(rebasing: buf[field.valueStart..<field.valueEnd]))
            fields.append(HeaderField(name: name, rawValue: raw))
        }

        while position < end {
            let line = ByteScan.line(in: buf, from: position, to: end)
            if line.end == position {
                flush()
                return Result(
                    fields: HeaderFields(fields), bodyStart: line.next, endedWithBlankLine: true, defects: defects)
            }
            let first = buf[position]
            if first == ByteScan.space || first == ByteScan.tab {
                if current != nil {
                    current?.valueEnd = line.end
                } else if fields.isEmpty && position == start {
                    defects.append("header block starts with a continuation line")
                }
                position = line.next
                continue
            }
            if let nameEnd = fieldNameEnd(buf, from: position, to: line.end) {
                flush()
                current = (position, nameEnd.name, nameEnd.colon + 1, line.end)
                position = line.next
                continue
            }
            // Neither a field nor a continuation: the body starts here.
            flush()
            defects.append("header block not ended by an empty line")
            return Result(
                fields: HeaderFields(fields), bodyStart: position, endedWithBlankLine: false, defects: defects)
        }
        flush()
        return Result(fields: HeaderFields(fields), bodyStart: end, endedWithBlankLine: false, defects: defects)
    }

    /// For a line `Name  : value`, the end of the name and the index of the colon.
    @inline(__always)
    static func fieldNameEnd(
        _ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> (name: Int, colon: Int)? {
        var index = start
        while index < end {
            let byte = buf[index]
            if byte == UInt8(ascii: ":") { break }
            if byte <= 32 || byte >= 127 {
                // Only white space may follow the name before the colon.
                var probe = index
                while probe < end, buf[probe] == ByteScan.space || buf[probe] == ByteScan.tab { probe += 1 }
                guard probe < end, buf[probe] == UInt8(ascii: ":"), index > start else { return nil }
                return (index, probe)
            }
            index += 1
        }
        guard index < end, index > start else { return nil }
        return (index, index)
    }
}
