/// Watches a sequential run case by case and says when its verdict is decided, so the runner can
/// stop sending cases.
///
/// The verdict is decided when a critical or must-pass case fails, when a pass-rate gate crosses
/// its fail boundary (either makes the verdict fail whatever the other gates show), or when every
/// gate is decided and passes: every pass-rate gate (overall and per tag) across its pass boundary,
/// every critical and must-pass case run and passed, and the gates with a fixed meaning (error
/// rate, latency, cost) passing on the cases run. The regression gate is not decided sequentially:
/// while a pipeline may have one, the run does not stop to pass (it still stops to fail).
public struct SequentialMonitor: Sendable {
    public let thresholds: TierThresholds
    public let tierLabel: String
    public let plannedCases: Int
    public let plannedTagCases: [String: Int]
    /// Critical and must-pass cases among the selected ones; they run first.
    public let priorityCases: Int
    /// The pipeline may have a regression gate, which is held until every case ran.
    public let holdsForRegression: Bool
    public let seed: UInt64

    let overallGate: SequentialPassRateGate?
    let tagGates: [String: SequentialPassRateGate]
    var overall = (passed: 0, failed: 0)
    var tags: [String: (passed: Int, failed: Int)] = [:]
    var priorityDone = 0
    var priorityFailed = false
    var finished = 0
    public private(set) var crossings: [SequentialRun.Crossing] = []
    /// The overall gate's (answered, passed) after every `traceStride`-th answered case.
    var trace: [[Int]] = []
    let traceStride: Int

    public init(
        thresholds: TierThresholds, tierLabel: String, plannedCases: Int, plannedTagCases: [String: Int], priorityCases: Int,
        holdsForRegression: Bool, seed: UInt64
    ) {
        self.thresholds = thresholds
        self.tierLabel = tierLabel
        self.plannedCases = plannedCases
        self.plannedTagCases = plannedTagCases
        self.priorityCases = priorityCases
        self.holdsForRegression = holdsForRegression
        self.seed = seed
        let confidence = thresholds.confidence ?? TierThresholds.defaultConfidence
        overallGate = thresholds.minPassRate.map {
            SequentialPassRateGate(
                threshold: $0.doubleValue, horizon: plannedCases, confidence: confidence, requireLowerBound: thresholds.requireLowerBound ?? false)
        }
        var tagGates: [String: SequentialPassRateGate] = [:]
        for (tag, minimum) in Self.gatedTags(thresholds, plannedTagCases: plannedTagCases) {
            tagGates[tag] = SequentialPassRateGate(
                threshold: minimum.doubleValue, horizon: plannedTagCases[tag] ?? 0, confidence: confidence, requireLowerBound: false)
        }
        self.tagGates = tagGates
        traceStride = max(1, (plannedCases + SequentialRun.Trace.maximumPoints - 1) / SequentialRun.Trace.maximumPoints)
    }

    /// The tags whose pass rate is gated in a sequential run, and their minimums: named tags, and
    /// with `min_tag_pass_rate` every tag with enough *selected* cases (a fixed run counts answered
    /// ones, which a sequential run does not know until it ends). Must-pass tags have their own gate.
    public static func gatedTags(_ thresholds: TierThresholds, plannedTagCases: [String: Int]) -> [String: Rate] {
        var gated: [String: Rate] = [:]
        for (tag, count) in plannedTagCases where !thresholds.mustPassTags.contains(tag) {
            if let named = thresholds.tagPassRates[tag] {
                gated[tag] = named
            } else if let general = thresholds.minTagPassRate, count >= TierThresholds.minCasesForTagGate {
                gated[tag] = general
            }
        }
        return gated
    }

    func isPriority(_ result: CaseResult) -> Bool {
        result.critical || !Set(thresholds.mustPassTags).isDisjoint(with: result.tags)
    }

    /// Counts a finished case (in the order cases finish) and notes any boundary it makes a gate cross.
    public mutating func add(_ result: CaseResult) {
        finished += 1
        if isPriority(result) {
            priorityDone += 1
            if result.status == .failed { priorityFailed = true }
        }
        guard result.status != .error else { return }
        let passed = result.status == .passed
        overall.passed += passed ? 1 : 0
        overall.failed += passed ? 0 : 1
        if let overallGate {
            let before = crossings.count
            note("pass-rate", overallGate, overall)
            let answered = overall.passed + overall.failed
            // The crossing itself is always on the path, so the chart shows where the boundary was met.
            if answered % traceStride == 0 || crossings.count > before { trace.append([answered, overall.passed]) }
        }
        for tag in result.tags {
            var counts = tags[tag] ?? (passed: 0, failed: 0)
            counts.passed += passed ? 1 : 0
            counts.failed += passed ? 0 : 1
            tags[tag] = counts
            if let gate = tagGates[tag] { note("tag-pass-rate:\(tag)", gate, counts) }
        }
    }

    mutating func note(_ name: String, _ gate: SequentialPassRateGate, _ counts: (passed: Int, failed: Int)) {
        guard !crossings.contains(where: { $0.gate == name }) else { return }
        let answered = counts.passed + counts.failed
        guard let decision = gate.decide(passed: counts.passed, trials: answered) else { return }
        crossings.append(
            SequentialRun.Crossing(
                gate: name, outcome: decision.outcome, boundary: decision.boundary, answered: answered, passed: counts.passed, atCase: finished))
    }

    /// Why the run may stop now, or nil while its verdict is open. `accumulator` holds every case so
    /// far, for the gates with a fixed meaning; it is summarised only once the pass-rate gates pass.
    public func stop(_ accumulator: RunAccumulator) -> SequentialStop? {
        if priorityFailed { return .criticalFailure }
        if crossings.contains(where: { $0.outcome == .fail }) { return .gateFailed }
        guard !holdsForRegression, finished < plannedCases, priorityDone >= priorityCases else { return nil }
        guard overallGate == nil || crossings.contains(where: { $0.gate == "pass-rate" }) else { return nil }
        for tag in tagGates.keys where !crossings.contains(where: { $0.gate == "tag-pass-rate:\(tag)" }) { return nil }
        // Every pass-rate gate passed; the rest must pass on what ran, by the same evaluator that decides the run.
        let summary = accumulator.summary(currency: nil)
        let report = GateEvaluator(thresholds: thresholds, tierLabel: tierLabel).evaluate(
            GateEvaluator.Input(
                summary: summary, outcomes: accumulator.outcomes, selectedCases: plannedCases, missingCases: plannedCases - finished,
                stopReason: nil, baseline: nil, baselineUnavailable: nil, sequential: evidence(stop: .allGatesPassed)))
        return report.verdict == .pass ? .allGatesPassed : nil
    }

    /// The run's sequential record as it stands.
    public func evidence(stop: SequentialStop?) -> SequentialRun {
        var run = SequentialRun(
            seed: seed, plannedCases: plannedCases, plannedTagCases: plannedTagCases, casesRun: finished, stop: stop,
            agentCallsSaved: stop == nil ? 0 : max(0, plannedCases - finished), crossings: crossings)
        if let overallGate {
            var points = trace
            let last = [overall.passed + overall.failed, overall.passed]
            if points.last != last && last[0] > 0 { points.append(last) }
            run.trace = SequentialRun.Trace(
                threshold: overallGate.threshold, horizon: overallGate.horizon, confidence: overallGate.confidence,
                requireLowerBound: overallGate.requireLowerBound, points: points)
        }
        return run
    }
}
