/// Cohen's kappa, chance-corrected agreement between two raters (for example an LLM judge and a
/// human, or two judges), because raw agreement looks high whenever one label dominates.
///
/// κ = (pₒ − pₑ) / (1 − pₑ) (Cohen 1960, Educational and Psychological Measurement 20:37–46),
/// computed from integer counts so the degenerate case pₑ = 1 is detected exactly.
public enum CohenKappa {
    /// Kappa for two raters' pass/fail verdicts on the same items.
    ///
    /// Returns nil when there are no pairs. When chance agreement is 1 (both raters gave every item
    /// the same single label) kappa is 0/0; that is reported as 1, since agreement is perfect.
    public static func compute(_ pairs: [(Bool, Bool)]) -> Double? {
        categorical(pairs)
    }

    /// Kappa for two raters' categorical labels on the same items (labels need not be the same set).
    ///
    /// Returns nil when there are no pairs; returns 1 when chance agreement and observed agreement are both 1.
    public static func compute(_ pairs: [(String, String)]) -> Double? {
        categorical(pairs)
    }

    /// Kappa over any hashable labels; the shared implementation of both entry points.
    public static func categorical<Label: Hashable>(_ pairs: [(Label, Label)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        var first: [Label: Int] = [:]
        var second: [Label: Int] = [:]
        var agreements = 0
        for (a, b) in pairs {
            first[a, default: 0] += 1
            second[b, default: 0] += 1
            if a == b { agreements += 1 }
        }
        let n = pairs.count
        // Σ rowᵢ · colᵢ = n² · pₑ, exact in integers.
        var chanceProducts = 0
        for (label, count) in first {
            chanceProducts += count * (second[label] ?? 0)
        }
        let nSquared = n * n
        if chanceProducts == nSquared {
            return agreements == n ? 1 : nil
        }
        // κ = (n·agreements − Σ rᵢcᵢ) / (n² − Σ rᵢcᵢ), the same ratio with n² cleared.
        return Double(n * agreements - chanceProducts) / Double(nSquared - chanceProducts)
    }
}
