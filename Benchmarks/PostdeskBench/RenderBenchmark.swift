import Foundation
import MIME
import MailModel
import MailTemplates

/// `postdesk-bench render TEMPLATES [N]`: how many confirmation mails per second the templates render
/// into finished RFC 5322 messages (Mustache, then the message writer), the work the outbox worker does
/// for every mail before it reaches the SMTP connection. Median of five runs of N.
enum RenderBenchmark {
    static let usage = "       postdesk-bench render TEMPLATES_DIR [N]\n"

    static func run(_ arguments: [String]) -> Int32 {
        guard let folder = arguments.first else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        let count = arguments.count > 1 ? max(1, Int(arguments[1]) ?? 2000) : 2000
        let library: TemplateLibrary
        do { library = try TemplateLibrary.load(from: folder) } catch {
            FileHandle.standardError.write(Data("cannot load \(folder): \(error)\n".utf8))
            return 1
        }
        let context = TemplateContext.sample(for: .confirmation)
        var timings: [Double] = []
        var bytes = 0
        for _ in 0..<5 {
            bytes = 0
            let start = ContinuousClock.now
            for index in 0..<count {
                guard let rendered = try? library.render(.confirmation, context: context),
                    let message = try? MessageWriter.render(
                        OutgoingMail(
                            from: EmailAddress(name: "Support", address: "support@example.test"),
                            to: [EmailAddress(name: "Ada", address: "ada@example.org")], subject: rendered.subject,
                            messageID: "bench-\(index)@example.test", date: Date(), text: rendered.text,
                            html: rendered.html))
                else { return 1 }
                bytes += message.count
            }
            let elapsed = ContinuousClock.now - start
            timings.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        timings.sort()
        let median = timings[timings.count / 2]
        print(
            "postdesk-render: mails=\(count) bytes_each=\(bytes / count) median_seconds=\(String(format: "%.4f", median))"
                + " mails_per_s=\(String(format: "%.0f", Double(count) / median))")
        return 0
    }
}
