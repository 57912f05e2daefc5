/// The state a case's tools act on: named tables of JSON records, and what each stateful tool does
/// to them. Declared under `world:` on the pipeline, a dataset entry or a case; a case sees the three
/// merged, table by table and tool by tool, the case's own winning.
public struct World: Sendable, Equatable, Codable {
    /// Table name → records (JSON objects), in order.
    public var tables: [String: [JSONValue]]
    public var tools: [String: WorldTool]

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case tables, tools
    }

    public init(tables: [String: [JSONValue]] = [:], tools: [String: WorldTool] = [:]) {
        self.tables = tables
        self.tools = tools
    }

    /// `other` laid over this world: its tables and tools replace those of the same name.
    public func merged(with other: World?) -> World {
        guard let other else { return self }
        return World(tables: tables.merging(other.tables) { _, new in new }, tools: tools.merging(other.tools) { _, new in new })
    }

    /// The tables as one JSON object, as state pointers see them (`/refunds/0/amount`).
    public var json: JSONValue { .object(tables.mapValues(JSONValue.array)) }
}

/// What a stateful tool does to the world when the agent calls it.
public struct WorldTool: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// Returns the first record whose `by` fields equal the call's arguments.
        case lookup
        /// Adds the call's arguments (with `set` fields and a generated `id` field) as a record.
        case insert
        /// Sets the call's other arguments (and `set` fields) on the record found by `by`.
        case update
    }

    public var action: Action
    public var table: String
    /// The argument names that find a record (lookup and update).
    public var by: [String]
    /// Fixed fields every inserted or updated record gets, e.g. `{status: issued}`.
    public var set: [String: JSONValue]
    /// For inserts: a field filled with a generated id, `PREFIX` followed by the record's number.
    public var idField: String?
    public var idPrefix: String
    /// A JSON Schema the call's arguments must match; a call that does not gets an error result.
    public var schema: JSONValue?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case action, table, by, set, idField, idPrefix, schema
    }

    public init(
        action: Action, table: String, by: [String] = [], set: [String: JSONValue] = [:], idField: String? = nil, idPrefix: String = "",
        schema: JSONValue? = nil
    ) {
        self.action = action
        self.table = table
        self.by = by
        self.set = set
        self.idField = idField
        self.idPrefix = idPrefix
        self.schema = schema
    }
}
