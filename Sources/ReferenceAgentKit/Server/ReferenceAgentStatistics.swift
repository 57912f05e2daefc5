/// Request counters served at `GET /stats`, so that tests can check how many requests a client made.
public struct ReferenceAgentStatistics: Sendable, Equatable, Codable {
    /// Every request except those to `/stats` itself.
    public var total: Int
    /// Requests by URL path (without the query).
    public var byPath: [String: Int]
    /// Agent requests by agent (`refund-agent`, `triage-agent`, `kb-agent`).
    public var byAgent: [String: Int]
    /// Faults injected, by `ReferenceAgentFault` raw value (`"503"`, `"hang"`, ...).
    public var faultsInjected: [String: Int]

    public init(total: Int = 0, byPath: [String: Int] = [:], byAgent: [String: Int] = [:], faultsInjected: [String: Int] = [:]) {
        self.total = total
        self.byPath = byPath
        self.byAgent = byAgent
        self.faultsInjected = faultsInjected
    }

    /// All faults injected, of any kind.
    public var faultsInjectedTotal: Int { faultsInjected.values.reduce(0, +) }

    enum CodingKeys: String, CodingKey {
        case total
        case byPath = "by_path"
        case byAgent = "by_agent"
        case faultsInjected = "faults_injected"
        case faultsInjectedTotal = "faults_injected_total"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        total = try container.decode(Int.self, forKey: .total)
        byPath = try container.decodeIfPresent([String: Int].self, forKey: .byPath) ?? [:]
        byAgent = try container.decodeIfPresent([String: Int].self, forKey: .byAgent) ?? [:]
        faultsInjected = try container.decodeIfPresent([String: Int].self, forKey: .faultsInjected) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(byPath, forKey: .byPath)
        try container.encode(byAgent, forKey: .byAgent)
        try container.encode(faultsInjected, forKey: .faultsInjected)
        try container.encode(faultsInjectedTotal, forKey: .faultsInjectedTotal)
    }
}
