/// Paired (cluster) bootstrap of the mean score difference candidate − baseline, because pairing
/// removes case difficulty from the comparison and correlated cases must not be counted as
/// independent evidence.
public enum PairedBootstrap {
    /// The default number of resamples, enough for stable 95 % percentile bounds.
    public static let defaultIterations = 2000
    /// The default seed, fixed so that repeated runs of a gate give identical intervals.
    public static let defaultSeed: UInt64 = 0x5EED_E7A1_6A7E

    /// A percentile-method bootstrap interval for the mean of candidate − baseline.
    ///
    /// Resampling unit: clusters are drawn with replacement (a case without a cluster is its own
    /// cluster), and each resample's statistic is Σ cluster sums / Σ cluster sizes, i.e. the mean
    /// over all cases in the resample. Only per-cluster sums and counts are resampled, so the cost
    /// is O(iterations × clusters) with no per-iteration allocation. Clusters are ordered by first
    /// appearance, so the same input and seed always give the same interval. Bounds use
    /// ``Percentiles/value(_:ofSorted:)`` on the sorted resample means.
    ///
    /// With a single cluster every resample is identical and the interval collapses to the mean:
    /// the data cannot tell how much the mean would vary. Returns nil when there are no observations.
    ///
    /// - Precondition: `0 < confidence < 1` and `iterations > 0`.
    public static func interval(
        _ observations: [PairedObservation],
        confidence: Double = 0.95,
        iterations: Int = defaultIterations,
        seed: UInt64 = defaultSeed
    ) -> BootstrapInterval? {
        precondition(confidence > 0 && confidence < 1, "confidence must lie strictly between 0 and 1")
        precondition(iterations > 0, "a bootstrap needs at least one iteration")
        guard !observations.isEmpty else { return nil }

        let (sums, sizes) = clusterSums(observations)
        let clusterCount = sums.count
        let totalSum = sums.reduce(0, +)
        let meanDifference = totalSum / Double(observations.count)

        var generator = SeededGenerator(seed: seed)
        var means = [Double](repeating: 0, count: iterations)
        sums.withUnsafeBufferPointer { sums in
            sizes.withUnsafeBufferPointer { sizes in
                for iteration in 0..<iterations {
                    var sum = 0.0
                    var size = 0.0
                    for _ in 0..<clusterCount {
                        let pick = generator.nextInt(below: clusterCount)
                        sum += sums[pick]
                        size += sizes[pick]
                    }
                    means[iteration] = sum / size
                }
            }
        }
        means.sort()
        let tail = (1 - confidence) / 2
        // Percentiles.value only returns nil for empty input or p outside 0...100.
        let lower = Percentiles.value(100 * tail, ofSorted: means) ?? meanDifference
        let upper = Percentiles.value(100 * (1 - tail), ofSorted: means) ?? meanDifference
        return BootstrapInterval(
            meanDifference: meanDifference,
            lower: lower,
            upper: upper,
            confidence: confidence,
            iterations: iterations,
            seed: seed,
            clusterCount: clusterCount,
            observationCount: observations.count
        )
    }

    /// Per-cluster sums of differences and cluster sizes, in order of first appearance.
    static func clusterSums(_ observations: [PairedObservation]) -> (sums: [Double], sizes: [Double]) {
        var sums: [Double] = []
        var sizes: [Double] = []
        var indexByCluster: [String: Int] = [:]
        for observation in observations {
            let difference = observation.candidate - observation.baseline
            if let name = observation.cluster {
                if let index = indexByCluster[name] {
                    sums[index] += difference
                    sizes[index] += 1
                    continue
                }
                indexByCluster[name] = sums.count
            }
            sums.append(difference)
            sizes.append(1)
        }
        return (sums, sizes)
    }
}
