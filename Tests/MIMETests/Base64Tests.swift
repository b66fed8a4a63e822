import Foundation
import MailModel
import Testing

@testable import MIME

@Suite("Base64: RFC 4648 encodings")
struct Base64Tests {
    @Test("the standard alphabet with padding gives the RFC's test vectors")
    func standardVectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
    }

    @Test("the URL-safe alphabet uses - and _ and drops the padding; the decoder reads it back")
    func urlSafe() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64Encoding.standard.encode(bytes) == "+/+/")
        #expect(Base64Encoding.urlSafe.encode(bytes) == "-_-_")
        #expect(Base64Encoding.urlSafe.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64Encoding.urlSafe.encode(Array("f".utf8)) == "Zg")
        for count in 0..<40 {
            let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            #expect(Base64.decode(Array(Base64Encoding.urlSafe.encode(data).utf8)) == data)
        }
    }

    @Test("lines break with CRLF after the given length")
    func lines() {
        let data = [UInt8](repeating: 0x41, count: 58)
        let lines = Base64.encode(data, lineLength: 76).components(separatedBy: "\r\n")
        #expect(lines.map(\.count) == [76, 4])
        #expect(!Base64.encode([UInt8](repeating: 0x41, count: 57), lineLength: 76).contains("\r\n"))
    }
}
