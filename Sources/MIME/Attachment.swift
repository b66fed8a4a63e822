/// A body part that is not the text or HTML body: a file, an inline image, a forwarded message.
public struct Attachment: Sendable, Hashable {
    /// From Content-Disposition `filename` or Content-Type `name`, decoded (RFC 2231, RFC 2047).
    public var filename: String?
    /// Lowercased `type/subtype`.
    public var contentType: String
    /// Decoded size in bytes.
    public var size: Int
    /// `Content-Disposition: inline`, or an image referenced by Content-ID without a disposition.
    public var isInline: Bool
    /// Content-ID without angle brackets (RFC 2392 `cid:` references).
    public var contentID: String?
    /// The decoded bytes.
    public var data: [UInt8]

    public init(filename: String?, contentType: String, size: Int, isInline: Bool, contentID: String?, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.isInline = isInline
        self.contentID = contentID
        self.data = data
    }
}
