/// Content-Transfer-Encoding removal (RFC 2045 section 6). Unknown encodings keep the bytes as
/// they are, like 7bit, 8bit and binary.
enum TransferDecoder {
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, encoding: String) -> [UInt8] {
        guard start < end else { return [] }
        let range = UnsafeBufferPointer(rebasing: buf[start..<end])
        switch encoding {
        case "base64":
            return Base64.decode(range)
        case "quoted-printable":
            return QuotedPrintable.decode(range)
        case "x-uuencode", "uuencode", "x-uue":
            let bytes = Array(range)
            if let block = UUEncode.extract(bytes)?.blocks.first { return block.data }
            return bytes
        default:
            return Array(range)
        }
    }
}
