/// Watches the template folder and reloads the library when a file changes.
///
/// Every `interval` it takes the names, sizes and modification times of the files (a few `stat`
/// calls, no reading). When they differ from what the library last read and have stayed the same
/// for one more interval (so a save in progress is not read half-written), it calls `reload()` and
/// passes the problems to `onReload`: empty means the new templates are in use. A broken edit is
/// reported once, then left alone until the next change.
///
/// `run()` returns when its task is cancelled, so a daemon can run it as a service; a SIGHUP handler
/// can call `library.reload()` directly at any time.
public struct TemplateWatcher: Sendable {
    public let library: TemplateLibrary
    public let interval: Duration
    private let onReload: @Sendable ([TemplateProblem]) -> Void
    private let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - interval: how often to look; a second is cheap and feels immediate.
    ///   - clock: the clock to wait on; tests may pass their own.
    ///   - onReload: called after each reload the watcher made, with its problems (empty: applied).
    public init(
        library: TemplateLibrary, interval: Duration = .seconds(1), clock: some Clock<Duration> = ContinuousClock(),
        onReload: @escaping @Sendable ([TemplateProblem]) -> Void
    ) {
        self.library = library
        self.interval = interval
        self.onReload = onReload
        self.sleep = { duration in try await clock.sleep(for: duration) }
    }

    /// Watches until the task is cancelled.
    public func run() async {
        var previous = TemplateFolder.fingerprint(of: library.folder)
        while !Task.isCancelled {
            do {
                try await sleep(interval)
            } catch {
                return
            }
            let now = TemplateFolder.fingerprint(of: library.folder)
            if now == previous, now != library.lastReadFingerprint {
                onReload(library.reload())
            }
            previous = now
        }
    }
}
