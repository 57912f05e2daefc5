/// The order a sequential run sends its cases in: critical and must-pass cases first (any failure
/// among them ends the run), then the rest in a seeded random order stratified by tag, so every
/// tag — and every per-tag gate — gets its share of the early cases.
///
/// A random order is what lets a prefix of the run stand for the whole: the pass-rate tests assume
/// the cases they see are exchangeable, which dataset order (often grouped by topic) is not.
public enum SequentialOrder {
    /// Positions into `cases` in the order to run them.
    ///
    /// Stratification is proportional: within each stratum (a case's tags, sorted) the cases are
    /// shuffled, the j-th of a stratum of size m gets the key (j + u) / m with u uniform in [0, 1),
    /// and the run follows the keys — so after any k cases each stratum has had about k·m/N of them.
    public static func make(tags: [[String]], critical: [Bool], mustPassTags: Set<String>, seed: UInt64) -> [Int] {
        precondition(tags.count == critical.count, "one tag list and one critical flag per case")
        var generator = SeededGenerator(seed: seed)
        var first: [Int] = []
        var strata: [String: [Int]] = [:]
        var strataOrder: [String] = []
        for index in tags.indices {
            if critical[index] || !mustPassTags.isDisjoint(with: tags[index]) {
                first.append(index)
                continue
            }
            let key = tags[index].sorted().joined(separator: "\u{1F}")
            if strata[key] == nil { strataOrder.append(key) }
            strata[key, default: []].append(index)
        }
        shuffle(&first, &generator)
        var keyed: [(key: Double, index: Int)] = []
        for stratum in strataOrder {
            var members = strata[stratum]!
            shuffle(&members, &generator)
            let size = Double(members.count)
            for (rank, index) in members.enumerated() {
                keyed.append(((Double(rank) + generator.nextDouble()) / size, index))
            }
        }
        keyed.sort { $0.key < $1.key || ($0.key == $1.key && $0.index < $1.index) }
        return first + keyed.map(\.index)
    }

    /// Fisher–Yates with the platform-independent generator, so an order is the same on every machine.
    static func shuffle(_ values: inout [Int], _ generator: inout SeededGenerator) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, generator.nextInt(below: index + 1))
        }
    }
}
