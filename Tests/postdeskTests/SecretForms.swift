import Foundation

/// The ways a secret could show up in a log: as it is, as hex, as base64 (plain and URL-safe), and as
/// Swift prints a byte array (`[97, 32, 116, ...]`).
enum SecretForms {
    static func of(_ bytes: [UInt8]) -> [String] {
        let base64 = Data(bytes).base64EncodedString()
        let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return [
            String(decoding: bytes, as: UTF8.self), bytes.map { String(format: "%02x", $0) }.joined(),
            base64.replacingOccurrences(of: "=", with: ""), urlSafe, bytes.prefix(6).map(String.init).joined(separator: ", "),
        ]
    }

    static func of(_ text: String) -> [String] { of(Array(text.utf8)) }

    /// Every rendering of `value` a log line could carry: interpolation, `String(reflecting:)`, `dump`.
    static func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    /// The forms of `secrets` found in any rendering of `value`; empty when none leaks.
    static func leaks(of secrets: [String], in value: Any) -> [String] {
        let forms = secrets.flatMap { of($0) }.filter { $0.count >= 8 }
        return renderings(of: value).flatMap { text in forms.filter { text.contains($0) } }
    }
}
