import Foundation

/// What the agent could act on in a run: the tools it was offered and the data sources (world
/// tables) those tools reach, and how that differs from the agent's last passing run. A tool or
/// data source added since is a **scope expansion**: the release also needs the agent owner's
/// sign-off, and the recommendation names whom to notify (docs/signoff.md).
public struct RunScope: Sendable, Equatable, Codable {
    /// Tool names, sorted: the endpoint's `tools` and the stateful tools of the pipeline's and
    /// datasets' `world`.
    public var tools: [String]
    /// World table names, sorted: the systems the agent's tools read and write.
    public var dataSources: [String]
    /// Against the agent's last passing run; nil when there is none, or nothing changed.
    public var change: ScopeChange?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case tools, dataSources, change
    }

    public init(tools: [String], dataSources: [String], change: ScopeChange? = nil) {
        self.tools = tools
        self.dataSources = dataSources
        self.change = change
    }

    /// The scope a pipeline gives its agent. Worlds declared on single cases are not included:
    /// they are test fixtures of one case, not systems the agent is connected to.
    public init(_ definition: PipelineDefinition) {
        var tools = Set<String>()
        for tool in definition.agent.endpoint.tools {
            // Chat Completions: {type: function, function: {name}}; Responses: {type: function, name}.
            if let name = tool["function"]?["name"]?.stringValue ?? tool["name"]?.stringValue { tools.insert(name) }
        }
        var dataSources = Set<String>()
        for world in [definition.world] + definition.datasets.map(\.world) {
            guard let world else { continue }
            tools.formUnion(world.tools.keys)
            dataSources.formUnion(world.tables.keys)
            dataSources.formUnion(world.tools.values.map(\.table))
        }
        self.init(tools: tools.sorted(), dataSources: dataSources.sorted())
    }

    /// This scope compared with `previous`, the scope of the run `runID` (version `version`).
    public func compared(with previous: RunScope, runID: String, version: String) -> RunScope {
        var scope = self
        scope.change = nil
        let change = ScopeChange(
            comparedWithRunID: runID, comparedWithVersion: version,
            addedTools: tools.filter { !previous.tools.contains($0) }, addedDataSources: dataSources.filter { !previous.dataSources.contains($0) },
            removedTools: previous.tools.filter { !tools.contains($0) },
            removedDataSources: previous.dataSources.filter { !dataSources.contains($0) })
        if !change.isEmpty { scope.change = change }
        return scope
    }
}

/// How a run's scope differs from the agent's last passing run.
public struct ScopeChange: Sendable, Equatable, Codable {
    public var comparedWithRunID: String
    public var comparedWithVersion: String
    public var addedTools: [String]
    public var addedDataSources: [String]
    public var removedTools: [String]
    public var removedDataSources: [String]

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case comparedWithRunID, comparedWithVersion, addedTools, addedDataSources, removedTools, removedDataSources
    }

    public init(
        comparedWithRunID: String, comparedWithVersion: String, addedTools: [String], addedDataSources: [String], removedTools: [String],
        removedDataSources: [String]
    ) {
        self.comparedWithRunID = comparedWithRunID
        self.comparedWithVersion = comparedWithVersion
        self.addedTools = addedTools
        self.addedDataSources = addedDataSources
        self.removedTools = removedTools
        self.removedDataSources = removedDataSources
    }

    /// Something the agent can act on was added: it needs the owner's sign-off.
    public var isExpansion: Bool { !addedTools.isEmpty || !addedDataSources.isEmpty }

    public var isEmpty: Bool { addedTools.isEmpty && addedDataSources.isEmpty && removedTools.isEmpty && removedDataSources.isEmpty }

    /// The evidence of its `scope-changed` audit entry: names joined with commas.
    public var auditEvidence: [String: String] {
        [
            "added_tools": addedTools.joined(separator: ","), "added_data_sources": addedDataSources.joined(separator: ","),
            "removed_tools": removedTools.joined(separator: ","), "removed_data_sources": removedDataSources.joined(separator: ","),
            "compared_with_run": comparedWithRunID, "compared_with_version": comparedWithVersion, "expansion": isExpansion ? "true" : "false",
        ]
    }

    /// "tools issue_refund, data source refunds added since 2.4.1 (run …)".
    public var sentence: String {
        var parts: [String] = []
        if !addedTools.isEmpty { parts.append("tool\(addedTools.count == 1 ? "" : "s") \(addedTools.joined(separator: ", ")) added") }
        if !addedDataSources.isEmpty {
            parts.append("data source\(addedDataSources.count == 1 ? "" : "s") \(addedDataSources.joined(separator: ", ")) added")
        }
        if !removedTools.isEmpty { parts.append("tool\(removedTools.count == 1 ? "" : "s") \(removedTools.joined(separator: ", ")) removed") }
        if !removedDataSources.isEmpty {
            parts.append("data source\(removedDataSources.count == 1 ? "" : "s") \(removedDataSources.joined(separator: ", ")) removed")
        }
        return parts.joined(separator: "; ") + " since \(comparedWithVersion) (run \(comparedWithRunID))"
    }
}
