import Logging
import MailTemplates
import ServiceLifecycle
import UnixSignals

/// Keeps the mail templates current while the daemon runs: reloads when a file changes and on
/// SIGHUP. A broken edit is refused and logged with file, line and reason; the last good templates
/// stay in use, so mail keeps flowing.
struct TemplateReloader: Service {
    let library: TemplateLibrary
    let logger: Logger

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await TemplateWatcher(library: library) { problems in report(problems, cause: "file change") }.run()
            }
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    report(library.reload(), cause: "SIGHUP")
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    func report(_ problems: [TemplateProblem], cause: String) {
        guard !problems.isEmpty else {
            logger.notice("mail templates reloaded", metadata: ["templates.cause": "\(cause)"])
            return
        }
        for problem in problems {
            logger.error(
                "template edit refused; the last good templates stay in use",
                metadata: ["templates.problem": "\(problem)", "templates.cause": "\(cause)"])
        }
    }
}
