/// How a sequential run (`evalgate run --sequential`) went: its order, whether it stopped early and
/// why, and where each pass-rate gate crossed its boundary. Recorded on the run (`sequential` in
/// the result file and the history) and read by the gates when the run is decided or re-decided.
public struct SequentialRun: Sendable, Equatable, Codable {
    /// Seed of the case order (`--seed`).
    public var seed: UInt64
    /// Cases selected: the run's horizon N.
    public var plannedCases: Int
    /// Selected cases per tag, which the tag pass-rate and coverage gates are sized by.
    public var plannedTagCases: [String: Int]
    /// Cases with a result when the run ended.
    public var casesRun: Int
    /// Why the run stopped before its last case; nil when every case ran (or it was stopped for a
    /// `StopReason`, which is not a decision).
    public var stop: SequentialStop?
    /// Selected cases never sent because the run stopped early.
    public var agentCallsSaved: Int
    /// The first boundary each pass-rate gate crossed, in the order they were crossed.
    public var crossings: [Crossing]
    /// The overall pass-rate gate's path, for the report's chart: its parameters and (answered,
    /// passed) after each answered case, thinned to at most `Trace.maximumPoints`. Absent when the
    /// tier has no pass-rate minimum (and in runs recorded before it existed).
    public var trace: Trace?
    /// A run merged from shards, which run their whole share: after how many cases of the merged
    /// order one sequential process would have stopped, and why; nil when it would have run them all.
    public var wouldHaveStoppedAt: Int?
    public var wouldHaveStopped: SequentialStop?

    /// The overall pass-rate gate as the run went: enough to redraw its boundaries
    /// (`SequentialPassRateGate(threshold:horizon:confidence:requireLowerBound:)`) and its path.
    public struct Trace: Sendable, Equatable, Codable {
        public var threshold: Double
        public var horizon: Int
        public var confidence: Double
        public var requireLowerBound: Bool
        /// `[answered, passed]` pairs, in the order the cases finished.
        public var points: [[Int]]

        public static let maximumPoints = 400

        public init(threshold: Double, horizon: Int, confidence: Double, requireLowerBound: Bool, points: [[Int]]) {
            self.threshold = threshold
            self.horizon = horizon
            self.confidence = confidence
            self.requireLowerBound = requireLowerBound
            self.points = points
        }

        public var gate: SequentialPassRateGate {
            SequentialPassRateGate(threshold: threshold, horizon: horizon, confidence: confidence, requireLowerBound: requireLowerBound)
        }

        enum CodingKeys: String, CodingKey {
            case threshold, horizon, confidence, requireLowerBound, points
        }
    }

    /// A pass-rate gate decided during the run.
    public struct Crossing: Sendable, Equatable, Codable {
        /// The gate: `pass-rate` or `tag-pass-rate:<tag>`.
        public var gate: String
        public var outcome: GateOutcome
        public var boundary: SequentialPassRateGate.Boundary
        /// Answered cases of the gate when it crossed, and how many of them passed.
        public var answered: Int
        public var passed: Int
        /// Cases of the run finished when it crossed.
        public var atCase: Int

        public init(gate: String, outcome: GateOutcome, boundary: SequentialPassRateGate.Boundary, answered: Int, passed: Int, atCase: Int) {
            self.gate = gate
            self.outcome = outcome
            self.boundary = boundary
            self.answered = answered
            self.passed = passed
            self.atCase = atCase
        }

        enum CodingKeys: String, CodingKey {
            case gate, outcome, boundary, answered, passed, atCase
        }
    }

    public init(
        seed: UInt64, plannedCases: Int, plannedTagCases: [String: Int], casesRun: Int, stop: SequentialStop?, agentCallsSaved: Int,
        crossings: [Crossing]
    ) {
        self.seed = seed
        self.plannedCases = plannedCases
        self.plannedTagCases = plannedTagCases
        self.casesRun = casesRun
        self.stop = stop
        self.agentCallsSaved = agentCallsSaved
        self.crossings = crossings
    }

    public var stoppedEarly: Bool { stop != nil }

    public func crossing(_ gate: String) -> Crossing? { crossings.first { $0.gate == gate } }

    enum CodingKeys: String, CodingKey {
        case seed, plannedCases, plannedTagCases, casesRun, stop, agentCallsSaved, crossings, trace, wouldHaveStoppedAt, wouldHaveStopped
    }
}

/// Why a sequential run stopped early. A decision, unlike a `StopReason` (budget, deadline,
/// interruption), which leaves the run undecided and never passes.
public enum SequentialStop: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// A critical or must-pass case failed: the run fails whatever the rest would show.
    case criticalFailure = "critical-failure"
    /// A pass-rate gate crossed its fail boundary: the verdict is fail whatever the rest would show.
    case gateFailed = "gate-failed"
    /// Every gate is decided and passes.
    case allGatesPassed = "all-gates-passed"

    public var description: String {
        switch self {
        case .criticalFailure: return "a critical or must-pass case failed"
        case .gateFailed: return "a pass-rate gate crossed its fail boundary"
        case .allGatesPassed: return "every gate was decided and passed"
        }
    }
}
