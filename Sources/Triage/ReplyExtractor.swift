import Foundation

/// The new part of a reply and its signature, cut from the whole text.
public struct ExtractedReply: Sendable, Hashable {
    /// What the author just wrote.
    public var visibleText: String
    /// The signature block, or nil.
    public var signature: String?

    public init(visibleText: String, signature: String?) {
        self.visibleText = visibleText
        self.signature = signature
    }
}

/// Finds what the author of a reply wrote, without quoted history and signature.
///
/// For now the whole text is kept as visible; quote and signature detection builds on this type.
public enum ReplyExtractor {
    public static func extract(text: String, html: String? = nil) -> ExtractedReply {
        ExtractedReply(visibleText: text.trimmingCharacters(in: .whitespacesAndNewlines), signature: nil)
    }
}
