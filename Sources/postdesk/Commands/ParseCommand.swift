import ArgumentParser
import Foundation
import MIME
import MailModel
import Triage

/// `postdesk parse [--json] [--body text|html] FILE...`: what Postdesk understands of each mail.
/// One JSON object per file and line, in the order given; an unreadable file still gets its line.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Show what Postdesk reads in mail files.")

    enum BodyType: String, ExpressibleByArgument { case text, html }

    @Flag(help: "One JSON object per file, one per line.")
    var json = false

    @Option(help: "Each file is a bare body (no headers) of this type: text or html.")
    var body: BodyType?

    @Argument(help: "Mail files (RFC 5322), or bare bodies with --body.")
    var files: [String]

    func run() throws {
        let parser = MIMEParser()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for file in files {
            let report: ParseReport
            if let data = FileManager.default.contents(atPath: file) {
                let bytes = [UInt8](data)
                if let body {
                    report = ParseReport(
                        file: file, mail: parser.parseBody(bytes, contentType: body == .html ? "text/html" : "text/plain"))
                } else {
                    do { report = ParseReport(file: file, mail: try parser.parse(bytes)) } catch {
                        report = ParseReport(file: file, error: error.description)
                    }
                }
            } else {
                report = ParseReport(file: file, error: "cannot read the file")
            }
            if json {
                let line = (try? encoder.encode(report)).map { String(decoding: $0, as: UTF8.self) }
                print(line ?? #"{"file":null,"error":"cannot encode the result"}"#)
            } else {
                printReadable(report)
            }
        }
    }

    private func printReadable(_ report: ParseReport) {
        print("== \(report.file)")
        if let error = report.error {
            print("error: \(error)")
            return
        }
        guard let mail = report.mail else { return }
        let list = { (addresses: [EmailAddress]) in addresses.map(\.display).joined(separator: ", ") }
        print("From:       \(list(mail.from))")
        print("To:         \(list(mail.to))")
        if !mail.cc.isEmpty { print("Cc:         \(list(mail.cc))") }
        print("Subject:    \(mail.subject ?? "")")
        print("Date:       \(mail.date?.iso8601 ?? "-")")
        print("Message-ID: \(mail.messageID ?? "-")")
        if !mail.inReplyTo.isEmpty { print("In-Reply-To: \(mail.inReplyTo.joined(separator: " "))") }
        print("Kind:       \(report.analysis?.classification.kind.rawValue ?? "-") (answerable: \(report.analysis?.classification.answerable ?? false))")
        for attachment in mail.attachments {
            print("Attachment: \(attachment.filename ?? "(unnamed)") \(attachment.contentType) \(attachment.size) bytes")
        }
        print("")
        print(report.analysis?.reply.visibleText ?? mail.text)
    }
}
