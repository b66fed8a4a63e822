import GRDB

/// A file that came with a message; its bytes live in the blob store under `sha256`.
public struct AttachmentRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "attachment"
    public var id: Int64?
    public var messageId: Int64
    public var filename: String?
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var isInline: Bool
    public var contentId: String?
    /// A file that was not sent to the customer (it came with an agent's mail): agents only.
    public var isInternal: Bool

    public enum Columns {
        static let messageId = Column(CodingKeys.messageId)
        static let isInternal = Column(CodingKeys.isInternal)
    }


    public init(
        id: Int64? = nil, messageId: Int64, filename: String? = nil, contentType: String, size: Int, sha256: String,
        isInline: Bool, contentId: String? = nil, isInternal: Bool = false
    ) {
        self.id = id
        self.messageId = messageId
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.isInline = isInline
        self.contentId = contentId
        self.isInternal = isInternal
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
