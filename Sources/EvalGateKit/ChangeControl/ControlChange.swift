import Foundation

/// One control that differs between the reference run's effective gates and this run's.
public struct ControlChange: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Easier to pass: a minimum lowered or removed, a maximum raised or removed, a
        /// requirement switched off, a must-pass tag dropped, guarded cases removed.
        case loosened
        /// Harder to pass: needs nobody's approval.
        case tightened
    }

    public var key: String
    public var kind: Kind
    /// The reference run's value; nil when it did not set the control.
    public var old: String?
    /// This run's value; nil when it no longer sets the control.
    public var new: String?
    /// Whether the control guards behaviour rather than budgets (`GateControl.isSafetyControl`).
    public var safety: Bool

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case key, kind, old, new, safety
    }

    public init(key: String, kind: Kind, old: String?, new: String?, safety: Bool) {
        self.key = key
        self.kind = kind
        self.old = old
        self.new = new
        self.safety = safety
    }

    /// `min_pass_rate 0.95 → 0.9`, `must_pass_tags.policy-boundary required → none`.
    public var description: String { "\(key) \(old ?? "none") → \(new ?? "none")" }

    /// Every control that differs between `old` and `new` effective gates, loosened first, each
    /// group by key. A control with the same value in both is not a change; a value that cannot be
    /// compared (not a number where one is expected) counts as loosened: fail closed.
    public static func compare(_ old: [GateControl], _ new: [GateControl]) -> [ControlChange] {
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [ControlChange] = []
        for key in Set(before.keys).union(after.keys) {
            let was = before[key]
            let now = after[key]
            guard was?.value != now?.value else { continue }
            let direction = (now ?? was)!.direction
            let safety = (now ?? was)!.isSafetyControl
            changes.append(
                ControlChange(key: key, kind: kind(direction, was?.value, now?.value), old: was?.value, new: now?.value, safety: safety))
        }
        return changes.sorted { ($0.kind == .loosened ? 0 : 1, $0.key) < ($1.kind == .loosened ? 0 : 1, $1.key) }
    }

    static func kind(_ direction: GateControl.Direction, _ old: String?, _ new: String?) -> Kind {
        switch direction {
        case .member:
            return new == nil ? .loosened : .tightened
        case .requirement:
            return old == "true" ? .loosened : .tightened
        case .minimum, .maximum:
            // A control added is a tightening; one removed is a loosening.
            guard let old else { return .tightened }
            guard let new else { return .loosened }
            let posix = Locale(identifier: "en_US_POSIX")
            guard let was = Decimal(string: old, locale: posix), let now = Decimal(string: new, locale: posix) else { return .loosened }
            let easier = direction == .minimum ? now < was : now > was
            return easier ? .loosened : .tightened
        }
    }

    /// The change of the set of guarded cases (critical cases and cases with a must-pass tag):
    /// cases removed loosen the gates, cases only added do not.
    public static func guardedCases(old: GuardedCases?, new: GuardedCases?) -> ControlChange? {
        guard let old, let new else { return nil }
        let removed = Set(old.ids).subtracting(new.ids)
        guard !removed.isEmpty else { return nil }
        let named = removed.sorted().prefix(5).joined(separator: ", ") + (removed.count > 5 ? ", …" : "")
        return ControlChange(
            key: "guarded_cases", kind: .loosened, old: "\(old.ids.count) cases",
            new: "\(new.ids.count) cases (\(removed.count) removed: \(named))", safety: true)
    }
}

/// The cases a run must not lose unnoticed: every critical case and every case with a must-pass
/// tag. Known only for a run that went through all of its datasets' cases.
public struct GuardedCases: Sendable, Equatable, Codable {
    /// Case ids, sorted.
    public var ids: [String]
    /// SHA-256 of the ids, one per line: what an approval of a removal names.
    public var sha256: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case ids, sha256
    }

    public init(ids: some Sequence<String>) {
        let sorted = Set(ids).sorted()
        self.ids = sorted
        self.sha256 = ChangeControlHash.sha256(sorted.map { $0 + "\n" }.joined())
    }
}
