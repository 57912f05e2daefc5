import Foundation

/// A pass-rate gate that may be decided before every case has run, at the tier's error rates.
///
/// It keeps the tier's meaning:
/// - it passes early only when the anytime-valid test (`SequentialPassRateTest`) proves the rate
///   above the threshold at the tier's confidence — one-sided α = (1 − confidence) / 2 for a tier
///   that gates on the two-sided Wilson lower bound, the same one-sided level; 1 − confidence for
///   a point-estimate tier;
/// - it fails early only when the test proves the rate below the threshold at 1 − confidence, or
///   when the tier's own end-of-run rule can no longer pass whatever the remaining cases do;
/// - a point-estimate tier also passes early when its end-of-run rule can no longer fail.
///
/// When the cases run out undecided, a point-estimate tier applies its fixed rule to every case
/// (the peeks only ever stopped where that rule was certain, or the test was); a lower-bound tier
/// fails where the point estimate is below the threshold, and is otherwise inconclusive: after
/// looking at every case the fixed-n Wilson bound no longer has its coverage, so only the
/// sequential boundary may pass it — even where the fixed rule would have.
public struct SequentialPassRateGate: Sendable, Equatable {
    public let threshold: Double
    /// How many answered cases the run will have when every case has run.
    public let horizon: Int
    public let requireLowerBound: Bool
    public let confidence: Double
    public let test: SequentialPassRateTest?

    /// Which rule decided the gate.
    public enum Boundary: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// The test proved the rate above the threshold.
        case pass
        /// The test proved the rate below the threshold.
        case fail
        /// The tier's end-of-run rule can no longer fail (point-estimate tiers).
        case certainPass = "certain-pass"
        /// The tier's end-of-run rule can no longer pass.
        case certainFail = "certain-fail"
        /// Every case ran; the end-of-run rule decided.
        case end

        public var description: String {
            switch self {
            case .pass: return "the anytime-valid pass boundary"
            case .fail: return "the anytime-valid fail boundary"
            case .certainPass: return "the pass rate can no longer fall below the threshold"
            case .certainFail: return "the pass rate can no longer reach the threshold"
            case .end: return "every case ran"
            }
        }
    }

    public struct Decision: Sendable, Equatable {
        public var outcome: GateOutcome
        public var boundary: Boundary
    }

    /// - Precondition: `horizon >= 0`, `0 < confidence < 1`.
    public init(
        threshold: Double, horizon: Int, confidence: Double, requireLowerBound: Bool,
        priorStrength: Double = SequentialPassRateTest.defaultPriorStrength
    ) {
        precondition(horizon >= 0, "the horizon must not be negative")
        precondition(confidence > 0 && confidence < 1, "confidence must lie strictly between 0 and 1")
        self.threshold = threshold
        self.horizon = horizon
        self.requireLowerBound = requireLowerBound
        self.confidence = confidence
        let alpha = 1 - confidence
        test =
            threshold > 0 && threshold < 1
            ? SequentialPassRateTest(
                threshold: threshold, passAlpha: requireLowerBound ? alpha / 2 : alpha, failAlpha: alpha, priorStrength: priorStrength) : nil
    }

    /// The fewest passes the end-of-run point estimate needs: ⌈θ·N⌉ (with a hair of tolerance so
    /// 0.9 × 100 is 90, not 90.00000000000001).
    func passesNeeded(of total: Int) -> Int {
        Int((threshold * Double(total) - 1e-9).rounded(.up))
    }

    /// The decision after `passed` of `trials` answered cases, or nil while the gate is undecided.
    public func decide(passed: Int, trials: Int) -> Decision? {
        precondition(passed >= 0 && passed <= trials, "passed must lie in 0...trials")
        guard trials > 0 else { return nil }
        let failed = trials - passed
        let needed = passesNeeded(of: max(horizon, trials))
        if passed + max(0, horizon - trials) < needed {
            return Decision(outcome: .fail, boundary: .certainFail)
        }
        if let test {
            if test.crossesAbove(passed: passed, trials: trials) { return Decision(outcome: .pass, boundary: .pass) }
            if test.crossesBelow(passed: passed, trials: trials) { return Decision(outcome: .fail, boundary: .fail) }
        } else if threshold >= 1, failed > 0 {
            return Decision(outcome: .fail, boundary: .certainFail)
        }
        if !requireLowerBound && passed >= needed {
            return Decision(outcome: .pass, boundary: .certainPass)
        }
        return nil
    }

    /// The decision when the cases have run out (`trials` may be short of the horizon when cases errored).
    public func finalDecision(passed: Int, trials: Int) -> Decision {
        if let decided = decide(passed: passed, trials: trials) { return decided }
        let reached = trials > 0 && passed >= passesNeeded(of: trials)
        if !reached { return Decision(outcome: trials == 0 ? .inconclusive : .fail, boundary: .end) }
        return Decision(outcome: requireLowerBound ? .inconclusive : .pass, boundary: .end)
    }

    /// The test's boundaries for n = 1...horizon: the fewest passes that pass the gate at n and the
    /// most that fail it (−1 when none), including the tier's certain outcomes. Index 0 is unused.
    public func boundaries() -> (pass: [Int], fail: [Int]) {
        var pass = [Int](repeating: Int.max, count: horizon + 1)
        var fail = [Int](repeating: -1, count: horizon + 1)
        guard horizon > 0 else { return (pass, fail) }
        for n in 1...horizon {
            // decide() is monotone in passes: a pass more never turns pass into fail or the reverse.
            var low = 0
            var high = n
            if decide(passed: n, trials: n)?.outcome == .pass {
                while low < high {
                    let middle = (low + high) / 2
                    if decide(passed: middle, trials: n)?.outcome == .pass { high = middle } else { low = middle + 1 }
                }
                pass[n] = low
            }
            if decide(passed: 0, trials: n)?.outcome == .fail {
                low = 0
                high = n
                while low < high {
                    let middle = (low + high + 1) / 2
                    if decide(passed: middle, trials: n)?.outcome == .fail { low = middle } else { high = middle - 1 }
                }
                fail[n] = low
            }
        }
        return (pass, fail)
    }
}
