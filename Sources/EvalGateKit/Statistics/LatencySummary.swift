/// The latency figures a gate report shows (count, mean, p50, p95, p99, max), computed once with
/// ``Percentiles/value(_:ofSorted:)`` so every report uses the same percentile definition.
public struct LatencySummary: Sendable, Equatable, Hashable, Codable {
    /// Number of measurements summarized (NaNs excluded).
    public let count: Int
    /// Arithmetic mean.
    public let mean: Double
    /// Median (50th percentile, linear interpolation).
    public let p50: Double
    /// 95th percentile (linear interpolation).
    public let p95: Double
    /// 99th percentile (linear interpolation).
    public let p99: Double
    /// Largest measurement.
    public let max: Double

    /// Summarizes unsorted measurements (any unit, typically milliseconds).
    ///
    /// NaN entries (missing measurements) are ignored; returns nil when nothing is left.
    public init?(_ values: [Double]) {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard let largest = sorted.last,
            let p50 = Percentiles.value(50, ofSorted: sorted),
            let p95 = Percentiles.value(95, ofSorted: sorted),
            let p99 = Percentiles.value(99, ofSorted: sorted)
        else { return nil }
        self.count = sorted.count
        self.mean = sorted.reduce(0, +) / Double(sorted.count)
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = largest
    }

    /// Creates a summary from already computed figures (for example when decoding history).
    public init(count: Int, mean: Double, p50: Double, p95: Double, p99: Double, max: Double) {
        self.count = count
        self.mean = mean
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }
}
