import Foundation

@testable import MIME

/// Helpers shared by the MIME tests.
enum Fixture {
    /// The repository's `samples/` folder, found from this file's path.
    static let samplesDirectory: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples")

    static func sample(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: samplesDirectory.appendingPathComponent(name)))
    }

    /// Bytes of a mail written with `\n` line ends, converted to CRLF when asked.
    static func mail(_ text: String, crlf: Bool = false) -> [UInt8] {
        let bytes = Array(text.utf8)
        guard crlf else { return bytes }
        var out: [UInt8] = []
        for byte in bytes {
            if byte == 10 { out.append(13) }
            out.append(byte)
        }
        return out
    }

    static func parse(_ text: String, crlf: Bool = false, options: MIMEParser.Options = .init()) throws -> ParsedMail {
        try MIMEParser(options: options).parse(mail(text, crlf: crlf))
    }
}

/// A small deterministic generator for the fuzz tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
