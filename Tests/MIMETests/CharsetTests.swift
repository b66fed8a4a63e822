import Testing

@testable import MIME

@Suite("Charsets")
struct CharsetTests {
    static let cases: [(String?, [UInt8], String)] = [
        ("utf-8", Array("grüße".utf8), "grüße"),
        ("UTF8", Array("grüße".utf8), "grüße"),
        ("\"utf-8\"", Array("ok".utf8), "ok"),
        ("iso-8859-1", [0x63, 0x61, 0x66, 0xE9, 0x20, 0x80], "café €"),
        ("us-ascii", [0x93, 0x71, 0x94], "“q”"),
        ("cp-1252", [0x85], "…"),
        ("windows1252", [0x99], "™"),
        ("x-windows-1252", [0x99], "™"),
        ("iso-8859-15", [0xA4], "€"),
        ("iso-8859-2", [0xB1], "ą"),
        ("koi8-r", [0xF0, 0xD2, 0xC9], "При"),
        ("gb2312", [0xC4, 0xE3, 0xBA, 0xC3], "你好"),
        ("x-gbk", [0xC4, 0xE3, 0xBA, 0xC3], "你好"),
        ("ks_c_5601-1987", [0xC7, 0xD1], "한"),
        ("euc-kr", [0xC7, 0xD1], "한"),
        ("shift_jis", [0x82, 0xA0], "あ"),
        ("iso-2022-jp", [0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42], "あ"),
        ("CP50220", [0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42], "あ"),
        ("iso-2022-jp-3", [0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42], "あ"),
        ("unicode-1-1-utf-7", Array("Hi +AOk-".utf8), "Hi é"),
        ("utf-7", Array("1 +- 1".utf8), "1 + 1"),
        ("big5", [0xA4, 0xA4], "中"),
        ("no-such-charset", Array("grüße".utf8), "grüße"),
        ("no-such-charset", [0x67, 0x72, 0xFC], "grü"),
        (nil, [0x67, 0x72, 0xFC], "grü"),
        ("", Array("plain".utf8), "plain"),
        ("utf-8", [0x61, 0xFF, 0x62], "a\u{FFFD}b"),
        ("shift_jis", [0x61, 0x82], "a\u{FFFD}"),
        ("euc-jp", [0xA4, 0xA2], "あ"),
    ]

    @Test(arguments: cases)
    func decode(_ charset: String?, _ bytes: [UInt8], _ expected: String) {
        #expect(Charset.decode(bytes, charset: charset) == expected)
    }

    @Test func invalidSequencesInTheMiddleAreReplaced() {
        let text = Charset.decode([0x82, 0xA0, 0xFF, 0xFF, 0x82, 0xA2], charset: "shift_jis")
        #expect(text.hasPrefix("あ") && text.hasSuffix("い") && text.contains("\u{FFFD}"))
    }

    @Test func largeInputThroughIconv() {
        let bytes = [UInt8](repeating: 0xE9, count: 200_000)
        #expect(Charset.decode(bytes, charset: "iso-8859-15").count == 200_000)
        let sjis = [UInt8]((0..<100_000).flatMap { _ in [0x82, 0xA0] as [UInt8] })
        #expect(Charset.decode(sjis, charset: "shift_jis").count == 100_000)
    }
}
