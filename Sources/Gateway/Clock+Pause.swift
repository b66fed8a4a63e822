import ServiceLifecycle

extension Clock where Duration == Swift.Duration {
    /// Waits `duration`, or less when a graceful shutdown begins: services pause between rounds
    /// without holding up the daemon's exit.
    func pause(for duration: Duration) async {
        guard duration > .zero else { return }
        try? await cancelWhenGracefulShutdown { try await self.sleep(for: duration) }
    }
}
