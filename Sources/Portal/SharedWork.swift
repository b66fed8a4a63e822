import Synchronization

/// Work that requests arriving together share: while one computes the value for a key, the others
/// wait for its result instead of computing it again. When a commit makes every cached page stale,
/// thirty requests for the same list cost one database read, not thirty.
final class SharedWork<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let running = Mutex<[Key: Task<Value, any Error>]>([:])

    func value(for key: Key, _ make: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (task, owner) = running.withLock { running -> (Task<Value, any Error>, Bool) in
            if let task = running[key] { return (task, false) }
            let task = Task { try await make() }
            running[key] = task
            return (task, true)
        }
        guard owner else { return try await task.value }
        let result = await task.result
        running.withLock { _ = $0.removeValue(forKey: key) }
        return try result.get()
    }
}
