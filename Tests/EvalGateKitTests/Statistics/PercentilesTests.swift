import Testing

@testable import EvalGateKit

@Suite("Percentiles")
struct PercentilesTests {
    // numpy 2.4.6 numpy.percentile(a, q) (default method="linear"):
    //   python3 -c "import numpy as np; a=[...]; print([np.percentile(a, q) for q in qs])"
    static let cases: [([Double], [(Double, Double)])] = [
        (
            [1, 2, 3, 4],
            [
                (0, 1), (25, 1.75), (50, 2.5), (90, 3.7), (95, 3.8499999999999996),
                (99, 3.9699999999999998), (100, 4), (33.3, 1.9989999999999999),
            ]
        ),
        // Also Wikipedia "Percentile", second variant (C = 1) worked example: 40th percentile = 29.
        (
            [15, 20, 35, 40, 50],
            [
                (0, 15), (25, 20), (40, 29), (50, 35), (90, 46), (95, 48), (99, 49.6),
                (100, 50), (33.3, 24.979999999999997),
            ]
        ),
        (
            [0.7, 1.5, 2.2, 3.2, 4.4, 5.5, 6.3, 7.1, 8.0, 9.8, 12.0],
            [
                (0, 0.7), (25, 2.7), (50, 5.5), (90, 9.8), (95, 10.9), (99, 11.780000000000001), (100, 12),
                (33.3, 3.5959999999999996),
            ]
        ),
    ]

    @Test(arguments: cases)
    func matchesNumpyLinear(sorted: [Double], expectations: [(Double, Double)]) throws {
        for (p, expected) in expectations {
            let value = try #require(Percentiles.value(p, ofSorted: sorted))
            #expect(StatsCheck.close(value, expected, within: 1e-12), "p\(p)")
        }
    }

    @Test func undefinedInputs() {
        #expect(Percentiles.value(50, ofSorted: []) == nil)
        #expect(Percentiles.value(-1, ofSorted: [1, 2]) == nil)
        #expect(Percentiles.value(100.5, ofSorted: [1, 2]) == nil)
        #expect(Percentiles.value(.nan, ofSorted: [1, 2]) == nil)
        #expect(Percentiles.value(37, ofSorted: [42]) == 42)
        #expect(Percentiles.value(60, ofSorted: [5, 5, 5]) == 5)
    }
}

@Suite("LatencySummary")
struct LatencySummaryTests {
    // numpy 2.4.6 on the unsorted list below: np.mean → 164.95; np.percentile(., 50/95/99) →
    // 102.0, 335.0000000000005, 866.9999999999991; max 1000.
    @Test func matchesNumpy() throws {
        let latencies: [Double] = [120, 87, 95, 300, 101, 99, 110, 250, 92, 105, 98, 130, 97, 115, 1000, 94, 103, 96, 108, 99]
        let summary = try #require(LatencySummary(latencies))
        #expect(summary.count == 20)
        #expect(StatsCheck.close(summary.mean, 164.95, within: 1e-9))
        #expect(StatsCheck.close(summary.p50, 102.0, within: 1e-9))
        #expect(StatsCheck.close(summary.p95, 335.0000000000005, within: 1e-9))
        #expect(StatsCheck.close(summary.p99, 866.9999999999991, within: 1e-9))
        #expect(summary.max == 1000)
    }

    @Test func emptyAndMissingMeasurements() throws {
        #expect(LatencySummary([]) == nil)
        #expect(LatencySummary([.nan, .nan]) == nil)
        let summary = try #require(LatencySummary([3, .nan, 1, 2]))
        #expect(summary.count == 3)
        #expect(summary.mean == 2)
        #expect(summary.p50 == 2)
        #expect(summary.max == 3)
    }
}
