/// A pass-rate gate that sits further below the median of the same tier's other agents than the
/// policy's `peer_deviation` allows: "materially different from peers".
///
/// Only gates looser than the peers count; being stricter than one's peers needs nobody's
/// approval, like any tightening. Computed in exact `Rate` units.
public struct PeerDeviation: Sendable, Equatable, Codable, CustomStringConvertible {
    public var key: String
    public var value: Rate
    /// The median of the peers' values (the mean of the middle two for an even count).
    public var peerMedian: Rate
    public var peers: Int
    public var allowed: Rate

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case key, value, peerMedian, peers, allowed
    }

    public init(key: String, value: Rate, peerMedian: Rate, peers: Int, allowed: Rate) {
        self.key = key
        self.value = value
        self.peerMedian = peerMedian
        self.peers = peers
        self.allowed = allowed
    }

    public var description: String {
        "\(key) \(value) is more than \(allowed) below the median \(peerMedian) of \(peers) peer\(peers == 1 ? "" : "s") on the same tier"
    }

    /// The pass-rate gates compared with peers.
    public static let keys = ["min_pass_rate", "min_tag_pass_rate", "min_pass_hat_k.rate"]

    /// The deviations of `gates` from `peers` (the other agents' effective gates) beyond `allowed`.
    /// A key the gates or no peer sets is not compared.
    public static func find(_ gates: EffectiveGates, peers: [EffectiveGates], allowed: Rate) -> [PeerDeviation] {
        var found: [PeerDeviation] = []
        for key in keys {
            guard let text = gates.value(key), let value = Rate(exactly: text) else { continue }
            let values = peers.compactMap { $0.value(key).flatMap { Rate(exactly: $0) } }.map(\.units).sorted()
            guard !values.isEmpty else { continue }
            // Twice the median, so an even count's median stays exact: 2·median − 2·value > 2·allowed.
            let middle = values.count / 2
            let twiceMedian = values.count % 2 == 1 ? 2 * values[middle] : values[middle - 1] + values[middle]
            if twiceMedian - 2 * value.units > 2 * allowed.units {
                found.append(
                    PeerDeviation(key: key, value: value, peerMedian: Rate(clamping: twiceMedian / 2), peers: values.count, allowed: allowed))
            }
        }
        return found
    }
}
