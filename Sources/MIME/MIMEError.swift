/// Why a byte sequence could not be read as a mail at all.
///
/// The parser is lenient (RFC 5322 section 4 obsolete syntax and common breakage are repaired and
/// listed in `ParsedMail.defects`); it throws only when there is nothing mail-like to read.
public struct MIMEError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// No bytes, or only whitespace.
        case empty
        /// More bytes than `MIMEParser.Options.maxTotalBytes`.
        case tooLarge
        /// No header block: binary data or text that does not start with header fields.
        case notAMail
    }

    public var kind: Kind
    /// A one-line reason; never contains CR or LF.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = String(reason.map { $0 == "\r" || $0 == "\n" ? " " : $0 })
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}
