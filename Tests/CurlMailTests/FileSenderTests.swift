import Foundation
import MailModel
import Testing

@testable import CurlMail

@Suite("Sent mail written to a folder")
struct FileSenderTests {
    private func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sent-\(UUID().uuidString)")
    }

    private func names(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test("a message is written byte for byte into a new .eml file, with its envelope beside it")
    func writesMessage() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let message = Array("From: a@example.test\r\nTo: b@example.test\r\nSubject: Hi\r\n\r\n.dot\r\nGrüße\r\n".utf8)
        let sender = FileSender(folder: folder)
        try await sender.send(message, envelopeFrom: "", recipients: ["b@example.test", "hidden@example.test"])
        let files = try names(in: folder)
        #expect(files.count == 2)
        let eml = try #require(files.first { $0.hasSuffix(".eml") })
        #expect(try Array(Data(contentsOf: folder.appendingPathComponent(eml))) == message)
        let sidecar = folder.appendingPathComponent(eml.dropLast(4) + ".envelope.json")
        let envelope = try JSONDecoder().decode(FileSender.Envelope.self, from: Data(contentsOf: sidecar))
        #expect(envelope == .init(from: "", recipients: ["b@example.test", "hidden@example.test"]))
        #expect(!files.contains { $0.hasPrefix(".") }, "no temporary file is left behind")
    }

    @Test("without the envelope, only .eml files appear")
    func withoutEnvelope() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await FileSender(folder: folder, writesEnvelope: false).send(
            Array("Subject: x\r\n\r\ny\r\n".utf8), envelopeFrom: "a@example.test", recipients: ["b@example.test"])
        let files = try names(in: folder)
        #expect(files.count == 1)
        #expect(files.first?.hasSuffix(".eml") == true)
    }

    @Test("names sort by time, and 200 concurrent sends give 200 distinct files")
    func namesAreUnique() async throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sender = FileSender(folder: folder, writesEnvelope: false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await sender.send(
                        Array("Subject: \(index)\r\n\r\n".utf8), envelopeFrom: "", recipients: ["b@example.test"])
                }
            }
            try await group.waitForAll()
        }
        #expect(try names(in: folder).filter { $0.hasSuffix(".eml") }.count == 200)
        let stem = FileSender.fileStem(at: Date(timeIntervalSince1970: 1_795_255_515.123))
        #expect(stem.hasPrefix("20261121T100515.123Z-"))
        #expect(stem.count == "20261121T100515.123Z-".count + 16)
        #expect(FileSender.fileStem(at: Date(timeIntervalSince1970: 0)) < stem)
    }

    @Test("a folder that cannot be created is a temporary failure, on one line")
    func unwritableFolder() async throws {
        let blocker = temporaryFolder()
        try Data("not a folder".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let sender = FileSender(folder: blocker.appendingPathComponent("sent"))
        let failure = await #expect(throws: SendFailure.self) {
            try await sender.send(Array("Subject: x\r\n\r\n".utf8), envelopeFrom: "", recipients: ["b@example.test"])
        }
        #expect(failure?.permanent == false)
        #expect(failure?.reason.contains("\n") == false)
    }
}
