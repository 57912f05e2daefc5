/// Spaces requests so that all workers together send at most `perSecond` requests a second.
public actor RateLimiter {
    let interval: Duration
    var next: ContinuousClock.Instant
    let clock = ContinuousClock()

    public init(perSecond: Double) {
        interval = .nanoseconds(Int64(1e9 / perSecond))
        next = ContinuousClock().now
    }

    /// Waits for this caller's slot.
    public func acquire() async throws {
        let now = clock.now
        let slot = max(next, now)
        next = slot + interval
        if slot > now { try await clock.sleep(until: slot) }
    }
}
