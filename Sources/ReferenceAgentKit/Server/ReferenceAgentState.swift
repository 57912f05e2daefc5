/// What a request should get: a fault or the real answer, and how long to wait first.
struct RequestPlan: Sendable, Equatable {
    var fault: ReferenceAgentFault?
    var delay: Duration
}

/// The server's shared mutable state: counters, the seeded generator and the `X-Fault-Count` tallies.
///
/// Every agent request makes exactly one call here, so the order of requests decides the random faults.
actor ReferenceAgentState {
    private let configuration: ReferenceAgentConfiguration
    private var generator: SplitMix64
    private var statistics = ReferenceAgentStatistics()
    private var agentRequests = 0
    private var faultTallies: [String: Int] = [:]

    init(configuration: ReferenceAgentConfiguration) {
        self.configuration = configuration
        self.generator = SplitMix64(seed: configuration.seed)
    }

    /// Counts a request that gets no fault and no delay (health checks, bad requests).
    func record(path: String) {
        statistics.total += 1
        statistics.byPath[path, default: 0] += 1
    }

    /// Counts an agent request and decides its fault and delay.
    ///
    /// - Parameters:
    ///   - requested: the `X-Fault` header's fault, which wins over the random ones.
    ///   - count: `X-Fault-Count`: only the first `count` requests with the same `key` get the fault.
    func plan(
        path: String, agent: String, regressed: Bool, requested: ReferenceAgentFault?, count: Int?, key: String?
    ) -> RequestPlan {
        record(path: path)
        statistics.byAgent[agent, default: 0] += 1
        agentRequests += 1

        var fault = requested
        if let requested, let count {
            let tallyKey = key ?? requested.rawValue
            let seen = faultTallies[tallyKey, default: 0]
            faultTallies[tallyKey] = seen + 1
            if seen >= count { fault = nil }
        }
        if requested == nil {
            fault = randomFault()
        }
        if let fault { statistics.faultsInjected[fault.rawValue, default: 0] += 1 }

        var delay = configuration.latency
        if configuration.latencyJitter > .zero {
            delay += configuration.latencyJitter * generator.nextUnit()
        }
        if regressed { delay += configuration.regressedExtraLatency }
        return RequestPlan(fault: fault, delay: delay)
    }

    private func randomFault() -> ReferenceAgentFault? {
        if let every = configuration.rateLimitEvery, every > 0, agentRequests % every == 0 { return .rateLimited }
        guard configuration.hasRandomFaults else { return nil }
        let draw = generator.nextUnit()
        var threshold = configuration.errorRate
        if draw < threshold { return .internalServerError }
        threshold += configuration.malformedRate
        if draw < threshold { return .malformed }
        threshold += configuration.hangRate
        if draw < threshold { return .hang }
        threshold += configuration.truncateRate
        if draw < threshold { return .truncated }
        return nil
    }

    func currentStatistics() -> ReferenceAgentStatistics { statistics }

    /// Clears the counters and the `X-Fault-Count` tallies; the generator goes on where it was.
    func reset() {
        statistics = ReferenceAgentStatistics()
        agentRequests = 0
        faultTallies = [:]
    }
}
