/// Writes one header field and folds it (RFC 5322 section 2.2.3): a fold is a CRLF put in front of
/// white space that separates two tokens, so unfolding (removing the CRLF) gives back the value.
///
/// ```
/// Subject: =?UTF-8?Q?R=C3=A9ponse_=C3=A0?= votre demande concernant la facture
///  =?UTF-8?B?bsKw?= 2024-117 du mois dernier
/// References: <1@example.test>
///  <2@example.test>
/// ```
/// Lines are kept to 76 characters where the tokens allow: RFC 5322 section 2.1.1 asks for 78 and
/// RFC 2047 section 2 for 76 on lines that hold encoded words. A token is never split and a line is
/// never only white space; callers keep every token under `maxTokenLength`, so that no line comes
/// near the hard limit of 998 characters.
struct HeaderFolding {
    /// The line length aimed at.
    static let preferredLineLength = 76
    /// The longest unbreakable token callers may hand in; with a field name of at most
    /// `maxNameLength` characters a line stays under 998.
    static let maxTokenLength = 900
    /// The longest field name written.
    static let maxNameLength = 76

    /// The field so far, without the final CRLF.
    private(set) var text: String
    private let lineLimit: Int
    private let folds: Bool
    /// The white space written before the first token: one space after `Name:`, none otherwise.
    private let firstSeparator: String
    private var lineLength: Int
    private var lineHasToken = false
    private var hasToken = false

    /// Starts the field `name:`; tokens follow on its line, folded at `preferredLineLength`.
    init(name: String) {
        text = name + ":"
        lineLimit = Self.preferredLineLength
        folds = true
        firstSeparator = " "
        lineLength = name.utf8.count + 1
    }

    /// A value kept on one line (never folded), for helpers that return a header value.
    private init() {
        text = ""
        lineLimit = Int.max / 2
        folds = false
        firstSeparator = ""
        lineLength = 0
    }

    static func unfolded() -> HeaderFolding { HeaderFolding() }

    /// The field with its final CRLF, as bytes.
    var bytes: [UInt8] { Array((text + "\r\n").utf8) }

    /// Room on the current line for a token written after `separator`.
    func room(after separator: String) -> Int {
        lineLimit - lineLength - (hasToken ? separator.utf8.count : firstSeparator.utf8.count)
    }

    /// Appends a token after `separator` (white space taken from the value, or a single space),
    /// folding first when the token would pass the line limit. An empty separator glues the token
    /// to the previous one and never folds.
    mutating func append(_ token: String, separator: String = " ") {
        let separatorLength = hasToken ? separator.utf8.count : firstSeparator.utf8.count
        if lineHasToken, separatorLength > 0, lineLength + separatorLength + token.utf8.count > lineLimit {
            fold()
        }
        write(token, separator: separator)
    }

    /// Appends a token at the start of a new line (unless the current line has no token yet).
    mutating func appendOnNewLine(_ token: String) {
        if lineHasToken, folds { fold() }
        write(token, separator: " ")
    }

    /// Appends `scalars` as encoded words (RFC 2047 section 5) separated by single spaces, each as
    /// long as the current line allows and at most 75 characters.
    mutating func appendEncoded(_ scalars: [Unicode.Scalar], separator: String = " ") {
        let utf8 = scalars.reduce(into: [UInt8]()) { $0.append(contentsOf: $1.utf8) }
        let encoding = EncodedWord.shorterEncoding(for: utf8)
        var start = 0
        var currentSeparator = separator
        while start < scalars.count {
            var room = min(EncodedWord.maxWordLength, room(after: currentSeparator))
            if room < EncodedWord.minWordLength, lineHasToken, !currentSeparator.isEmpty {
                fold()
                room = min(EncodedWord.maxWordLength, self.room(after: currentSeparator))
            }
            let word = EncodedWord.word(
                scalars, from: start, encoding: encoding, maxLength: max(room, EncodedWord.minWordLength))
            write(word.text, separator: currentSeparator)
            start = word.end
            currentSeparator = " "
        }
    }

    private mutating func fold() {
        text += "\r\n"
        lineLength = 0
        lineHasToken = false
    }

    private mutating func write(_ token: String, separator: String) {
        let actual = hasToken ? (lineLength == 0 && separator.isEmpty ? " " : separator) : firstSeparator
        text += actual
        text += token
        lineLength += actual.utf8.count + token.utf8.count
        lineHasToken = true
        hasToken = true
    }
}
