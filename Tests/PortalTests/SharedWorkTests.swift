import Synchronization
import Testing

@testable import Portal

@Suite("Shared work")
struct SharedWorkTests {
    final class Counter: Sendable {
        let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    @Test("fifty requests arriving together for one key compute it once and all get its value")
    func computesOnce() async throws {
        let work = SharedWork<String, Int>()
        let counter = Counter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await work.value(for: "list") {
                        try await Task.sleep(for: .milliseconds(50))
                        return counter.next()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 1, count: 50))
        // Once done, the next request computes afresh (the cache, not this, keeps values).
        #expect(try await work.value(for: "list") { counter.next() } == 2)
        #expect(try await work.value(for: "other") { counter.next() } == 3)
    }

    @Test("a failure reaches every waiter and is not kept")
    func failureIsShared() async throws {
        struct Broken: Error {}
        let work = SharedWork<Int, Int>()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await work.value(for: 1) {
                            try await Task.sleep(for: .milliseconds(20))
                            throw Broken()
                        }
                        return false
                    } catch { return error is Broken }
                }
            }
            for await failed in group { #expect(failed) }
        }
        #expect(try await work.value(for: 1) { 7 } == 7)
    }
}
