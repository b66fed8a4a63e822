import MIME

/// A fragment of HTML. Text interpolated into it is escaped; only another `HTML` value goes in as
/// markup, so nothing a customer, an agent or a mail wrote can become markup by mistake.
///
///     let name = "<script>"
///     let cell: HTML = "<td>\(name)</td>"   // <td>&lt;script&gt;</td>
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var description: String

    public init(stringLiteral value: String) { description = value }
    public init(stringInterpolation: Interpolation) { description = stringInterpolation.output }
    /// Markup that is already safe: for static fragments built by the views themselves.
    init(trusted markup: String) { description = markup }

    public static let empty: HTML = ""

    /// The fragments one after the other.
    public static func join(_ fragments: some Sequence<HTML>) -> HTML {
        HTML(trusted: fragments.map(\.description).joined())
    }

    public struct Interpolation: StringInterpolationProtocol {
        var output = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            output.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { output += literal }

        /// Text: escaped for HTML text and attribute values.
        public mutating func appendInterpolation(_ text: String) { output += HTMLText.escape(text) }

        public mutating func appendInterpolation(_ text: String?) { output += HTMLText.escape(text ?? "") }

        public mutating func appendInterpolation(_ number: Int) { output += String(number) }

        public mutating func appendInterpolation(_ markup: HTML) { output += markup.description }

        public mutating func appendInterpolation(_ fragments: [HTML]) {
            for fragment in fragments { output += fragment.description }
        }
    }
}
