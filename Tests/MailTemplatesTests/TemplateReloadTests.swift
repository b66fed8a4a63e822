import Foundation
import Testing

@testable import MailTemplates

@Suite struct TemplateReloadTests {
    @Test func brokenEditIsRefusedAndLastGoodVersionKeepsRendering() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let library = try TemplateLibrary.load(from: folder)
        let before = try library.preview(.confirmation)

        try TemplateFixtures.write("Got it {{#ticket.ref}}\n", to: "confirmation/subject.mustache", in: folder)
        try TemplateFixtures.write("Hi {{customer.nam}}\n", to: "confirmation/text.mustache", in: folder)
        let problems = library.reload()
        #expect(problems.map(\.file) == ["confirmation/subject.mustache", "confirmation/text.mustache"])
        #expect(problems.allSatisfy { $0.line == 1 })
        #expect(try library.preview(.confirmation) == before)
        #expect(library.check() == problems)
    }

    @Test func fixedEditIsPickedUp() throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let library = try TemplateLibrary.load(from: folder)
        try TemplateFixtures.write("Broken {{#ticket}}", to: "confirmation/subject.mustache", in: folder)
        #expect(!library.reload().isEmpty)

        try TemplateFixtures.write(
            "{{%CONTENT_TYPE: TEXT}}\nThanks! [{{ticket.ref}}] {{ticket.subject}}\n",
            to: "confirmation/subject.mustache", in: folder)
        #expect(library.reload() == [])
        #expect(
            try library.preview(.confirmation).subject == "Thanks! [TKT-7F3KQ9] Invoice download fails with an error")
    }

    @Test func concurrentRendersAndReloadsAgree() async throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let library = try TemplateLibrary.load(from: folder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    if index % 4 == 0 {
                        #expect(library.reload() == [])
                    } else {
                        for _ in 0..<20 {
                            let mail = try library.preview(.agentReply)
                            #expect(!mail.subject.isEmpty)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func watcherPicksUpAChangeAndReportsAProblem() async throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let library = try TemplateLibrary.load(from: folder)
        let reports = Reports()
        let watcher = TemplateWatcher(library: library, interval: .milliseconds(100)) { reports.add($0) }
        let task = Task { await watcher.run() }
        defer { task.cancel() }
        try await Task.sleep(for: .milliseconds(150))

        try TemplateFixtures.write(
            "{{%CONTENT_TYPE: TEXT}}\nSign in to {{product_name}} now\n",
            to: "magic-link/subject.mustache", in: folder)
        // The callback comes right after the swap: wait for it, then the new subject is in use.
        let changed = try await eventually { reports.all.count == 1 }
        #expect(changed)
        #expect(reports.all.last == [])
        #expect(try library.preview(.magicLink).subject == "Sign in to Acme Support now")

        try TemplateFixtures.write(
            "{{%CONTENT_TYPE: TEXT}}\n{{link_urll}}\n", to: "magic-link/subject.mustache",
            in: folder)
        let reported = try await eventually { reports.all.count >= 2 }
        #expect(reported)
        #expect(reports.all.last?.first?.file == "magic-link/subject.mustache")
        #expect(reports.all.last?.first?.line == 2)
        #expect(try library.preview(.magicLink).subject == "Sign in to Acme Support now")

        // A broken state is reported once, not on every poll.
        try await Task.sleep(for: .milliseconds(500))
        #expect(reports.all.count == 2)
    }

    @Test func watcherEndsWhenCancelled() async throws {
        let folder = try TemplateFixtures.scratchCopy()
        defer { TemplateFixtures.remove(folder) }
        let watcher = TemplateWatcher(library: try TemplateLibrary.load(from: folder), interval: .seconds(60)) { _ in }
        let task = Task { await watcher.run() }
        task.cancel()
        await task.value
    }

    /// Polls `condition` for up to five seconds.
    private func eventually(_ condition: @Sendable () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try condition()
    }
}

/// What a watcher reported, in order.
private final class Reports: Sendable {
    private let reports = Locked<[[TemplateProblem]]>([])

    func add(_ problems: [TemplateProblem]) { reports.withLock { $0.append(problems) } }
    var all: [[TemplateProblem]] { reports.withLock { $0 } }
}
