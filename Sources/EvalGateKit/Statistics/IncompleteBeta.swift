import Foundation

/// The log-gamma, log-beta and regularized incomplete beta functions, in log space, for the beta
/// mixtures of the sequential pass-rate test (`SequentialPassRateTest`).
///
/// Log-gamma is Lanczos' approximation (g = 7, nine coefficients; relative error below 1e-15),
/// not the C library's `lgamma`, whose global `signgam` is a data race when gates run
/// concurrently. The incomplete beta is the continued fraction evaluated with the modified Lentz
/// method (Press et al., *Numerical Recipes*, 3rd ed., §6.4), kept in log space so tails far
/// below 1e-308 keep their value.
public enum IncompleteBeta {
    private static let lanczos: [Double] = [
        0.999_999_999_999_809_93, 676.520_368_121_885_1, -1259.139_216_722_402_8, 771.323_428_777_653_13, -176.615_029_162_140_59,
        12.507_343_278_686_905, -0.138_571_095_265_720_12, 9.984_369_578_019_571_6e-6, 1.505_632_735_149_311_6e-7,
    ]

    /// log Γ(x) for x > 0.
    ///
    /// - Precondition: `x > 0`.
    public static func logGamma(_ x: Double) -> Double {
        precondition(x > 0, "logGamma needs a positive argument")
        if x < 0.5 {
            // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
            return log(Double.pi / sin(Double.pi * x)) - logGamma(1 - x)
        }
        let shifted = x - 1
        var sum = lanczos[0]
        for index in 1..<lanczos.count { sum += lanczos[index] / (shifted + Double(index)) }
        let t = shifted + 7.5
        return 0.5 * log(2 * Double.pi) + (shifted + 0.5) * log(t) - t + log(sum)
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// log I_x(a, b), the log of the regularized incomplete beta function (the Beta(a, b)
    /// distribution function at x); −∞ at x = 0, 0 at x = 1.
    ///
    /// - Precondition: `a > 0`, `b > 0`, `0 <= x <= 1`.
    public static func logRegularized(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "the incomplete beta needs positive shape parameters")
        precondition(x >= 0 && x <= 1, "the incomplete beta is defined on [0, 1]")
        if x == 0 { return -.infinity }
        if x == 1 { return 0 }
        // The continued fraction converges fast below the mean-ish point; above it, use the symmetry
        // I_x(a, b) = 1 − I_{1−x}(b, a).
        if x < (a + 1) / (a + b + 2) {
            return logDirect(x: x, a: a, b: b)
        }
        let complement = exp(logDirect(x: 1 - x, a: b, b: a))
        return complement >= 1 ? -.infinity : log1p(-complement)
    }

    /// log I_x(a, b) by the continued fraction, accurate where x < (a + 1) / (a + b + 2).
    static func logDirect(x: Double, a: Double, b: Double) -> Double {
        let front = a * log(x) + b * log1p(-x) - log(a) - logBeta(a, b)
        return front + log(continuedFraction(x: x, a: a, b: b))
    }

    /// The continued fraction of the incomplete beta function (modified Lentz).
    static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-15
        let sum = a + b
        let plus = a + 1
        let minus = a - 1
        var c = 1.0
        var d = 1 - sum * x / plus
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        // Convergence takes O(√max(a, b)) steps; the cap is far beyond any run's size.
        for m in 1...100_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((minus + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (sum + m) * x / ((a + m2) * (plus + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < epsilon { break }
        }
        return h
    }
}
