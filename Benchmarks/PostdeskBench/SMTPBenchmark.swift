// postdesk-bench smtp URL N [--user U --password P --ca FILE --to ADDRESS --insecure]
//
// Sends N small mails (about 3 KB each) one after the other through one SMTPSender, as the outbox
// worker does, and prints how many it sent per second and how many connections that took.
import CurlMail
import Foundation
import MailModel

enum SMTPBenchmark {
    static let usage =
        "usage: postdesk-bench smtp URL N [--user U --password P --ca FILE --to ADDRESS --insecure]\n"

    /// Runs the benchmark with the arguments after `smtp`; returns the process's exit status.
    static func run(_ arguments: [String]) async -> Int32 {
        guard arguments.count >= 2, let count = Int(arguments[1]), count > 0 else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let user = option("--user") ?? ""
        let recipient = option("--to") ?? "support@example.test"
        let from = user.isEmpty ? "bench@example.org" : user
        do {
            let sender = try SMTPSender(
                connection: CurlConnection(
                    url: arguments[0], user: user, password: option("--password") ?? "", caFile: option("--ca"),
                    insecure: arguments.contains("--insecure")))
            let run = UUID().uuidString.lowercased().prefix(8)
            let mails = (1...count).map { message(number: $0, run: String(run), from: from, to: recipient) }
            let start = ContinuousClock.now
            for mail in mails {
                try await sender.send(mail, envelopeFrom: from, recipients: [recipient])
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let connections = await sender.connectionsOpened
            print(
                "postdesk-smtp: mails=\(count) seconds=\(String(format: "%.3f", seconds))"
                    + " mails_per_s=\(String(format: "%.1f", Double(count) / seconds)) connections=\(connections)")
            return 0
        } catch {
            FileHandle.standardError.write(Data("postdesk-bench smtp: \(error)\n".utf8))
            return 1
        }
    }

    /// A plain-text mail of about 3 KB, like a ticket notification.
    static func message(number: Int, run: String, from: String, to: String) -> [UInt8] {
        let header =
            "From: Postdesk Bench <\(from)>\r\nTo: \(to)\r\nSubject: [TKT-BENCH\(number)] Benchmark mail \(number)\r\n"
            + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench-\(run)-\(number)@example.org>\r\n"
            + "Auto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        let line = "Your request has been received and a member of the support team will reply soon.\r\n"
        let body = String(repeating: line, count: max(1, (3_000 - header.utf8.count) / line.utf8.count))
        return Array((header + body).utf8)
    }
}
