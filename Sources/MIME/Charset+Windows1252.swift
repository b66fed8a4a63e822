extension Charset {
    /// windows-1252 (the WHATWG "windows-1252" index, a superset of ISO-8859-1 and US-ASCII).
    /// Bytes 0x80-0x9F map to the typographic characters; the five undefined ones map to C1 controls.
    static func decodeWindows1252(_ buf: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(buf.count + buf.count / 4)
        for byte in buf {
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            let scalar: UInt32 = byte < 0xA0 ? high1252[Int(byte - 0x80)] : UInt32(byte)
            if scalar < 0x800 {
                out.append(UInt8(0xC0 | (scalar >> 6)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                out.append(UInt8(0xE0 | (scalar >> 12)))
                out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                out.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let high1252: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
