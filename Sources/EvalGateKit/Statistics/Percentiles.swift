/// Percentiles with one documented definition, so latency reports match numpy and other tools.
public enum Percentiles {
    /// The p-th percentile (p in 0...100) of ascending-sorted values, by linear interpolation
    /// between closest ranks: numpy's default `method="linear"` (Hyndman & Fan type 7, also R's
    /// default and Excel's PERCENTILE.INC).
    ///
    /// With n values the percentile sits at zero-based rank h = (n − 1) · p / 100, and the result is
    /// x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋]). Returns nil for empty input or p outside 0...100
    /// (including NaN). The input must already be sorted ascending; this is not checked.
    public static func value(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty, p >= 0, p <= 100 else { return nil }
        let rank = Double(sorted.count - 1) * (p / 100)
        let lowerIndex = Int(rank.rounded(.down))
        if lowerIndex >= sorted.count - 1 { return sorted[sorted.count - 1] }
        let fraction = rank - Double(lowerIndex)
        let a = sorted[lowerIndex]
        let b = sorted[lowerIndex + 1]
        // Same two-sided lerp as numpy, so results agree to the last bit in most cases and equal
        // neighbours never produce a value outside [a, b].
        return fraction < 0.5 ? a + (b - a) * fraction : b - (b - a) * (1 - fraction)
    }
}
