/// Tool results from a world that the calls change: lookups see what earlier inserts and updates
/// did. Tools the world does not declare fall back to the case's fixtures. One per conversation.
public actor WorldToolResults: ToolResults {
    public private(set) var world: World
    let fixtures: FixtureToolResults
    /// Argument validators by tool name, built once.
    let validators: [String: JSONSchemaValidator]

    public init(world: World, fixtures: [String: ToolFixture] = [:]) {
        self.world = world
        self.fixtures = FixtureToolResults(fixtures)
        var validators: [String: JSONSchemaValidator] = [:]
        for (name, tool) in world.tools {
            if let schema = tool.schema, let validator = try? JSONSchemaValidator(schema: schema) { validators[name] = validator }
        }
        self.validators = validators
    }

    public func result(for call: ToolCall) async -> JSONValue? {
        guard let tool = world.tools[call.name] else { return await fixtures.result(for: call) }
        // What the agent would get from a real API: an error it can read and recover from.
        guard case .object(let arguments) = call.arguments else {
            return Self.error("invalid arguments: expected a JSON object, got \(call.arguments.compactJSON.prefix(80))")
        }
        if let validator = validators[call.name] {
            let violations = validator.validate(call.arguments, limit: 3)
            if !violations.isEmpty {
                return Self.error("invalid arguments: " + violations.map { "\($0)" }.joined(separator: "; "))
            }
        }
        var records = world.tables[tool.table] ?? []
        func matches(_ record: JSONValue) -> Bool {
            tool.by.allSatisfy { field in
                guard let wanted = arguments[field] else { return false }
                return record[field].map(JSONValue.looselyEqual(wanted)) ?? false
            }
        }
        switch tool.action {
        case .lookup:
            guard let found = records.first(where: matches) else { return Self.notFound(tool, arguments) }
            return found
        case .insert:
            var record = arguments.merging(tool.set) { _, fixed in fixed }
            if let idField = tool.idField { record[idField] = .string("\(tool.idPrefix)\(records.count + 1)") }
            records.append(.object(record))
            world.tables[tool.table] = records
            return .object(record)
        case .update:
            guard let index = records.firstIndex(where: matches), case .object(var record) = records[index] else {
                return Self.notFound(tool, arguments)
            }
            for (key, value) in arguments where !tool.by.contains(key) { record[key] = value }
            for (key, value) in tool.set { record[key] = value }
            records[index] = .object(record)
            world.tables[tool.table] = records
            return .object(record)
        }
    }

    static func error(_ message: String) -> JSONValue { ["error": .string(message)] }

    static func notFound(_ tool: WorldTool, _ arguments: [String: JSONValue]) -> JSONValue {
        let key = tool.by.map { "\($0) \(arguments[$0]?.plainText ?? "?")" }.joined(separator: ", ")
        return error("not found: no record in \(tool.table) with \(key)")
    }
}
