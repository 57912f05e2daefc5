import Foundation
import Testing

@testable import EvalGateKit

@Suite("PairedBootstrap")
struct PairedBootstrapTests {
    /// Independent Bernoulli(0.7) baseline and Bernoulli(0.8) candidate: true difference 0.1.
    static func bernoulliPairs(count: Int, seed: UInt64) -> [PairedObservation] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            PairedObservation(
                id: "case-\(index)",
                baseline: generator.nextDouble() < 0.7 ? 1 : 0,
                candidate: generator.nextDouble() < 0.8 ? 1 : 0
            )
        }
    }

    @Test func reproducibleForASeed() throws {
        let data = Self.bernoulliPairs(count: 300, seed: 5)
        let first = try #require(PairedBootstrap.interval(data, confidence: 0.95, iterations: 1000, seed: 42))
        let second = try #require(PairedBootstrap.interval(data, confidence: 0.95, iterations: 1000, seed: 42))
        let other = try #require(PairedBootstrap.interval(data, confidence: 0.95, iterations: 1000, seed: 43))
        #expect(first == second)
        #expect(first.seed == 42)
        #expect(first.iterations == 1000)
        #expect(first.clusterCount == 300)
        #expect(first.observationCount == 300)
        #expect(first.lower != other.lower || first.upper != other.upper)
        #expect(first.meanDifference == other.meanDifference)
        #expect(first.lower <= first.meanDifference && first.meanDifference <= first.upper)
    }

    // For independent cases the bootstrap standard error approaches the textbook SE of a mean,
    // sd/√n (Efron & Tibshirani 1993, An Introduction to the Bootstrap, §6), so the 95 % percentile
    // interval ≈ mean ± 1.96·sd/√n.
    @Test func matchesNormalTheoryForIndependentCases() throws {
        let data = Self.bernoulliPairs(count: 2000, seed: 9)
        let differences = data.map(\.difference)
        let mean = differences.reduce(0, +) / Double(differences.count)
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(differences.count - 1)
        let halfWidth = 1.959963984540054 * (variance / Double(differences.count)).squareRoot()
        let interval = try #require(PairedBootstrap.interval(data, confidence: 0.95, iterations: 2000, seed: 1))
        #expect(StatsCheck.close(interval.meanDifference, mean, within: 1e-12))
        #expect(StatsCheck.relativelyClose((interval.upper - interval.lower) / 2, halfWidth, within: 0.1))
        #expect(interval.lower < 0.1 && 0.1 < interval.upper)
    }

    // 20 clusters of 10 cases whose differences are identical within a cluster (perfect
    // correlation): only 20 independent units, so the honest interval is ≈ √10 ≈ 3.2× wider than
    // one that treats the 200 cases as independent.
    @Test func clusterResamplingWidensIntervalForCorrelatedCases() throws {
        var generator = SeededGenerator(seed: 77)
        var clustered: [PairedObservation] = []
        for cluster in 0..<20 {
            let difference = generator.nextDouble() - 0.5
            for member in 0..<10 {
                clustered.append(
                    PairedObservation(
                        id: "c\(cluster)-\(member)", baseline: 0.5, candidate: 0.5 + difference, cluster: "conversation-\(cluster)"))
            }
        }
        let unclustered = clustered.map { PairedObservation(id: $0.id, baseline: $0.baseline, candidate: $0.candidate) }
        let withClusters = try #require(PairedBootstrap.interval(clustered, iterations: 2000, seed: 3))
        let ignoringClusters = try #require(PairedBootstrap.interval(unclustered, iterations: 2000, seed: 3))
        #expect(withClusters.clusterCount == 20)
        #expect(ignoringClusters.clusterCount == 200)
        #expect(withClusters.meanDifference == ignoringClusters.meanDifference)
        let ratio = (withClusters.upper - withClusters.lower) / (ignoringClusters.upper - ignoringClusters.lower)
        #expect(ratio > 2.5 && ratio < 4.0, "width ratio \(ratio)")
    }

    // Coverage check: 95 % intervals from 100 independent datasets with true difference 0.1.
    // Expected ≈ 95 covering; 85 is more than 4 binomial standard deviations (2.2) below.
    @Test func coversTheTrueDifference() throws {
        var covered = 0
        for dataset in 0..<100 {
            let data = Self.bernoulliPairs(count: 200, seed: UInt64(1000 + dataset))
            let interval = try #require(PairedBootstrap.interval(data, confidence: 0.95, iterations: 400, seed: UInt64(dataset)))
            if interval.lower <= 0.1 && 0.1 <= interval.upper { covered += 1 }
        }
        #expect(covered >= 85, "covered \(covered)/100")
    }

    @Test func degenerateInputs() throws {
        #expect(PairedBootstrap.interval([]) == nil)
        // Constant difference: every resample has the same mean.
        let constant = (0..<50).map { PairedObservation(id: "\($0)", baseline: 0.2, candidate: 0.5) }
        let flat = try #require(PairedBootstrap.interval(constant, iterations: 200, seed: 1))
        #expect(StatsCheck.close(flat.lower, 0.3, within: 1e-12))
        #expect(StatsCheck.close(flat.upper, 0.3, within: 1e-12))
        // One cluster: no between-cluster variation to resample.
        let single = (0..<5).map { PairedObservation(id: "\($0)", baseline: 0, candidate: Double($0), cluster: "only") }
        let collapsed = try #require(PairedBootstrap.interval(single, iterations: 100, seed: 1))
        #expect(collapsed.clusterCount == 1)
        #expect(collapsed.lower == 2 && collapsed.upper == 2 && collapsed.meanDifference == 2)
    }

    @Test func unclusteredCasesNeverMergeWithNamedClusters() {
        let observations = [
            PairedObservation(id: "a", baseline: 0, candidate: 1, cluster: "x"),
            PairedObservation(id: "b", baseline: 0, candidate: 1),
            PairedObservation(id: "c", baseline: 0, candidate: 0, cluster: "x"),
            PairedObservation(id: "d", baseline: 1, candidate: 0),
        ]
        let (sums, sizes) = PairedBootstrap.clusterSums(observations)
        #expect(sums == [1, 1, -1])
        #expect(sizes == [2, 1, 1])
    }

    // 100,000 cases (20,000 clusters of 4 plus 20,000 singletons) × 2,000 iterations: must finish in seconds, not minutes,
    // even in a debug build (the time limit is the coarsest Swift Testing allows).
    @Test(.timeLimit(.minutes(1)))
    func scalesToOneHundredThousandCases() throws {
        var generator = SeededGenerator(seed: 123)
        let data = (0..<100_000).map { index in
            PairedObservation(
                id: "\(index)",
                baseline: generator.nextDouble() < 0.85 ? 1 : 0,
                candidate: generator.nextDouble() < 0.86 ? 1 : 0,
                cluster: index % 5 == 0 ? nil : "group-\(index / 5)"
            )
        }
        let start = Date()
        let interval = try #require(PairedBootstrap.interval(data, confidence: 0.95, iterations: 2000, seed: 8))
        let elapsed = Date().timeIntervalSince(start)
        #expect(interval.clusterCount == 40_000)
        #expect(interval.lower < interval.meanDifference && interval.meanDifference < interval.upper)
        #expect(elapsed < 30, "took \(elapsed) s")
    }
}
