import Foundation

/// Tolerance helpers shared by the statistics tests (namespaced to avoid clashing with other suites).
enum StatsCheck {
    /// |actual − expected| ≤ tolerance.
    static func close(_ actual: Double, _ expected: Double, within tolerance: Double) -> Bool {
        abs(actual - expected) <= tolerance
    }

    /// Relative difference ≤ tolerance (absolute when expected is 0).
    static func relativelyClose(_ actual: Double, _ expected: Double, within tolerance: Double) -> Bool {
        if expected == 0 { return abs(actual) <= tolerance }
        return abs(actual - expected) / abs(expected) <= tolerance
    }

    /// Expands a 2×2 agreement table into per-item pairs (rater A, rater B).
    static func pairs(yesYes: Int, yesNo: Int, noYes: Int, noNo: Int) -> [(Bool, Bool)] {
        Array(repeating: (true, true), count: yesYes)
            + Array(repeating: (true, false), count: yesNo)
            + Array(repeating: (false, true), count: noYes)
            + Array(repeating: (false, false), count: noNo)
    }
}
