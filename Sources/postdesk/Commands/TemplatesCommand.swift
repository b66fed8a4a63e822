import ArgumentParser
import Foundation
import Gateway
import Logging
import MIME
import MailModel
import MailTemplates
import Store

/// `postdesk templates check|preview`: for admins editing `mail-templates/`.
struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Check the mail templates and preview what customers get.",
        subcommands: [Check.self, Preview.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every template: syntax, variables known for its kind, rendering a sample.")
        @Option(help: "The templates folder (default: the configuration's, else mail-templates).")
        var folder: String?
        @Option(help: "The configuration file (TOML).")
        var config: String?

        func run() throws {
            var path = folder ?? "mail-templates"
            if folder == nil, let config {
                do { path = try ConfigLoader.load(path: config, environment: ProcessInfoEnvironment.current).helpdesk.templates }
                catch { throw ValidationError(error.description) }
            }
            let problems = TemplateLibrary.check(folder: path)
            guard !problems.isEmpty else { return print("\(path): every template is fine") }
            for problem in problems { print("\(path)/\(problem)") }
            throw ExitCode(1)
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the mail of a kind as a customer would get it.")
        @Argument(help: "confirmation, agent-reply, resolution, magic-link or agent-notice.")
        var kind: String
        @Option(help: "Render with this ticket's data instead of the sample.")
        var ticket: String?
        @Flag(help: "Print the HTML part instead of the text.")
        var html = false
        @Option(help: "The configuration file (TOML); needed with --ticket.")
        var config: String?

        func run() async throws {
            guard let templateKind = TemplateKind(rawValue: kind), let rowKind = OutboxRecord.Kind(rawValue: kind) else {
                throw ValidationError("unknown kind \(kind.debugDescription): "
                    + TemplateKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var config = PostdeskConfig()
            if let path = self.config {
                do { config = try ConfigLoader.load(path: path, environment: ProcessInfoEnvironment.current) }
                catch { throw ValidationError(error.description) }
            } else if ticket != nil {
                throw ValidationError("--ticket needs --config to find the database")
            }
            let templates = try TemplateLibrary.load(from: config.helpdesk.templates)
            let rendered: (subject: String, text: String, html: String?)
            if let ref = ticket {
                let app = try PostdeskApp(config: config, logger: Logger(label: "postdesk.preview"))
                guard let detail = try await app.database.read({ try $0.ticketDetail(ref: ref.uppercased()) }) else {
                    throw ValidationError("no ticket \(ref)")
                }
                let payload = Self.previewPayload(rowKind, customer: detail.customer)
                let row = OutboxRecord(
                    kind: rowKind, ticketId: detail.ticket.id, recipient: detail.customer.email,
                    messageId: app.tokens.messageID(ref: detail.ticket.ref, domain: "preview.invalid"),
                    inReplyTo: detail.messages.last?.messageId, context: try payload.json(), state: .queued,
                    nextAttemptAt: Date(), createdAt: Date())
                let mail = try app.composer(templates: templates).compose(
                    row, ticket: detail.ticket, customer: detail.customer, at: Date())
                rendered = (mail.subject, mail.text, mail.html)
            } else {
                let sample = try templates.preview(templateKind)
                rendered = (sample.subject, sample.text, sample.html)
            }
            print("Subject: \(rendered.subject)\n")
            print(html ? (rendered.html ?? "(this kind has no HTML template: text only)") : rendered.text)
        }

        /// Stand-in words for a preview of `kind` on a real ticket.
        static func previewPayload(_ kind: OutboxRecord.Kind, customer: Customer) -> OutboxPayload {
            let notice = OutboxPayload.Notice(
                event: kind == .agentRefusal ? .mailRefused : .newTicket, messageFrom: customer.email,
                messageText: "(the customer's words)")
            switch kind {
            case .confirmation: return .confirmation(.init(customerEmail: customer.email, customerName: customer.name))
            case .agentReply: return .agentReply(.init(agentName: "(the agent)", replyText: "(the agent's words)"))
            case .resolution: return .resolution(.init(resolutionText: "(the resolution)"))
            case .magicLink: return .magicLink(.init(customerEmail: customer.email, customerName: customer.name))
            case .agentNotice: return .agentNotice(notice)
            case .agentRefusal: return .agentRefusal(notice)
            }
        }
    }
}
