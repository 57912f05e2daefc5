import Testing

@testable import EvalGateKit

@Suite("CohenKappa")
struct CohenKappaTests {
    // Wikipedia, "Cohen's kappa", worked examples (2×2 tables, rater A rows × rater B columns):
    //   20 / 5 / 10 / 15 → pₒ = 0.7, pₑ = 0.5, κ = 0.4
    //   45 / 15 / 25 / 15 → κ = 0.1304  and  25 / 35 / 5 / 35 → κ = 0.2593 ("same percentages but
    //   different numbers": equal pₒ = 0.6, different marginals).
    @Test(arguments: [
        (20, 5, 10, 15, 0.4, 1e-12),
        (45, 15, 25, 15, 0.1304, 0.00005),
        (25, 35, 5, 35, 0.2593, 0.00005),
    ])
    func matchesWikipediaExamples(yesYes: Int, yesNo: Int, noYes: Int, noNo: Int, kappa: Double, tolerance: Double) throws {
        let pairs = StatsCheck.pairs(yesYes: yesYes, yesNo: yesNo, noYes: noYes, noNo: noNo)
        let value = try #require(CohenKappa.compute(pairs))
        #expect(StatsCheck.close(value, kappa, within: tolerance))
    }

    // A 3-category table computed by hand (and with numpy: po = trace/n = 0.79,
    // pe = Σ row·col / n² = 0.343, κ = (0.79 − 0.343)/(1 − 0.343) = 0.680365296803653):
    //         B: pass  partial  fail
    // A pass     25      2       3
    //   partial   4     20       6
    //   fail      1      5      34
    @Test func categoricalThreeLabels() throws {
        let labels = ["pass", "partial", "fail"]
        let table = [[25, 2, 3], [4, 20, 6], [1, 5, 34]]
        var pairs: [(String, String)] = []
        for (i, row) in table.enumerated() {
            for (j, count) in row.enumerated() {
                pairs += Array(repeating: (labels[i], labels[j]), count: count)
            }
        }
        let kappa = try #require(CohenKappa.compute(pairs))
        #expect(StatsCheck.close(kappa, 0.680365296803653, within: 1e-12))
    }

    @Test func undefinedAndDegenerateCases() {
        #expect(CohenKappa.compute([(Bool, Bool)]()) == nil)
        #expect(CohenKappa.compute([(String, String)]()) == nil)
        // Both raters always say "pass": pₑ = 1 and pₒ = 1 → 1 by convention.
        #expect(CohenKappa.compute(Array(repeating: (true, true), count: 12)) == 1)
        #expect(CohenKappa.compute([("a", "a"), ("a", "a")]) == 1)
        // Perfect agreement with both labels used → 1; systematic disagreement → −1.
        #expect(CohenKappa.compute(StatsCheck.pairs(yesYes: 5, yesNo: 0, noYes: 0, noNo: 5)) == 1)
        #expect(CohenKappa.compute(StatsCheck.pairs(yesYes: 0, yesNo: 5, noYes: 5, noNo: 0)) == -1)
        // Labels only one rater uses still count: A = [x, y], B = [x, z] → pₒ = ½, pₑ = ¼, κ = ⅓.
        #expect(CohenKappa.compute([("x", "x"), ("y", "z")]) == 1.0 / 3.0)
    }
}
