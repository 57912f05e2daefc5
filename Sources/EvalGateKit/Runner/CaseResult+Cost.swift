extension CaseResult {
    /// The case's exact cost, recovered from the stored `Double`.
    ///
    /// `cost` stays a `Double` because it is the JSON number of the journal and the result file.
    /// It is computed exactly (`Pricing.exactCost(of:)`) and converted once, so reading its shortest
    /// decimal gives the exact amount back for any case cost below 1,000 units (15 significant
    /// digits); sums of repeats made in `Double` are rounded back to the pico-unit they stand for.
    /// `nil` when there is no cost, or it is not an amount (NaN, infinite, beyond `Money.max`).
    public var exactCost: Money? {
        cost.flatMap(Money.init(approximating:))
    }
}
