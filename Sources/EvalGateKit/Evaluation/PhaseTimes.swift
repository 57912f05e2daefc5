import Foundation

/// Where an evaluation's time went, phase by phase: what `scripts/bench` reports beside the wall
/// time, and what a user asks for with `EVALGATE_PHASE_TIMES=1` when a run is slower than its agent.
public struct PhaseTimes: Sendable, CustomStringConvertible {
    public private(set) var phases: [(name: String, seconds: Double)] = []
    private var last = ContinuousClock.now

    public init() {}

    /// Ends the current phase, naming it.
    public mutating func mark(_ name: String) {
        let now = ContinuousClock.now
        let elapsed = now - last
        phases.append((name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        last = now
    }

    /// `phases: validate 0.162 s, run 8.104 s, ...`
    public var description: String {
        "phases: " + phases.map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }.joined(separator: ", ")
    }
}
