/// How one gate ended. Missing or insufficient data is never a pass.
public enum GateOutcome: String, Sendable, Codable, CaseIterable, Comparable {
    case pass, inconclusive, fail

    public static func < (lhs: GateOutcome, rhs: GateOutcome) -> Bool {
        let order: [GateOutcome] = [.pass, .inconclusive, .fail]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// The run's decision: fail if any gate fails, inconclusive if none fails but one is inconclusive.
public typealias Verdict = GateOutcome

/// One threshold of the risk tier, applied to the run.
public struct GateResult: Sendable, Equatable, Codable {
    /// Stable identifier, e.g. `pass-rate`, `tag-pass-rate:refunds`, `must-pass:prompt-injection`, `regression`.
    public var name: String
    public var outcome: GateOutcome
    /// What was measured, formatted for people ("96.4% (95% CI 93.1–98.2%)").
    public var measured: String
    /// The threshold, formatted ("≥ 95.0%, lower bound").
    public var threshold: String
    public var measuredValue: Double?
    public var thresholdValue: Double?
    /// One sentence that says why the gate ended as it did.
    public var sentence: String

    public init(
        name: String, outcome: GateOutcome, measured: String, threshold: String, measuredValue: Double? = nil, thresholdValue: Double? = nil,
        sentence: String
    ) {
        self.name = name
        self.outcome = outcome
        self.measured = measured
        self.threshold = threshold
        self.measuredValue = measuredValue
        self.thresholdValue = thresholdValue
        self.sentence = sentence
    }
}

public struct GateReport: Sendable, Equatable, Codable {
    public var gates: [GateResult]
    public var verdict: Verdict

    public init(gates: [GateResult]) {
        self.gates = gates
        self.verdict = gates.map(\.outcome).max() ?? .inconclusive
    }
}
