extension World {
    static let knownKeys: Set<String> = ["tables", "tools"]
    static let knownToolKeys: Set<String> = ["lookup", "insert", "update", "by", "set", "id", "schema"]

    /// Reads a `world:` block. `place` names where it is written (`case 'x'`, `the pipeline`) in messages.
    public static func parse(_ json: JSONValue, place: String, location: SourceLocation, diagnostics: inout DiagnosticsEngine) -> World? {
        var ok = true
        func fail(_ message: String, hint: String? = nil) {
            diagnostics.error(location, "\(place): \(message)", hint: hint)
            ok = false
        }
        guard case .object(let fields) = json else {
            fail("'world' must be an object with 'tables' and 'tools'")
            return nil
        }
        for key in fields.keys.sorted() where !knownKeys.contains(key) {
            fail(
                "unknown key '\(key)' in 'world'",
                hint: Suggestions.closest(to: key, in: knownKeys).map { "did you mean '\($0)'?" }
                    ?? "a world has 'tables' (name: [records]) and 'tools'")
        }
        var world = World()
        switch fields["tables"] {
        case .object(let tables)?:
            for (name, records) in tables {
                guard case .array(let list) = records, list.allSatisfy({ $0.objectValue != nil }) else {
                    fail("table '\(name)' must be a list of records (objects)")
                    continue
                }
                world.tables[name] = list
            }
        case nil, .null?: break
        default: fail("'world.tables' must map table names to lists of records")
        }
        switch fields["tools"] {
        case .object(let tools)?:
            for name in tools.keys.sorted() {
                guard case .object(let spec) = tools[name]! else {
                    fail("world tool '\(name)' must be an object such as {lookup: orders, by: [order_id]}")
                    continue
                }
                for key in spec.keys.sorted() where !knownToolKeys.contains(key) {
                    fail(
                        "unknown key '\(key)' in world tool '\(name)'",
                        hint: Suggestions.closest(to: key, in: knownToolKeys).map { "did you mean '\($0)'?" })
                }
                let actions = WorldTool.Action.allCases.filter { spec[$0.rawValue] != nil }
                guard actions.count == 1, let action = actions.first, let table = spec[action.rawValue]?.stringValue, !table.isEmpty else {
                    fail("world tool '\(name)' needs exactly one of lookup, insert or update, naming a table", hint: "e.g. lookup: orders")
                    continue
                }
                var tool = WorldTool(action: action, table: table)
                switch spec["by"] {
                case .string(let field)?: tool.by = [field]
                case .array(let fields)? where fields.allSatisfy({ $0.stringValue != nil }) && !fields.isEmpty:
                    tool.by = fields.compactMap(\.stringValue)
                case nil, .null?:
                    if action != .insert { fail("world tool '\(name)' needs 'by': the arguments that find the record", hint: "e.g. by: order_id") }
                default: fail("world tool '\(name)': 'by' must be an argument name or a list of them")
                }
                switch spec["set"] {
                case .object(let values)?: tool.set = values
                case nil, .null?: break
                default: fail("world tool '\(name)': 'set' must be an object of fields")
                }
                switch spec["id"] {
                case .object(let id)?:
                    guard let field = id["field"]?.stringValue, !field.isEmpty else {
                        fail("world tool '\(name)': 'id' needs a 'field', e.g. {field: refund_id, prefix: R-}")
                        break
                    }
                    tool.idField = field
                    tool.idPrefix = id["prefix"]?.stringValue ?? ""
                case .string(let field)?: tool.idField = field
                case nil, .null?: break
                default: fail("world tool '\(name)': 'id' must be {field, prefix}")
                }
                if tool.idField != nil && action != .insert { fail("world tool '\(name)': only an insert generates an 'id'") }
                if let schema = spec["schema"], schema != .null {
                    do {
                        _ = try JSONSchemaValidator(schema: schema)
                        tool.schema = schema
                    } catch {
                        fail("world tool '\(name)': 'schema' is not a usable JSON Schema: \(error)")
                    }
                }
                world.tools[name] = tool
            }
        case nil, .null?: break
        default: fail("'world.tools' must map tool names to what they do")
        }
        return ok ? world : nil
    }

    /// Problems of a merged world that only show once every level is combined: a tool whose table
    /// does not exist, and records of an insert tool's table that its schema would refuse.
    public func problems() -> [(message: String, hint: String?)] {
        var found: [(message: String, hint: String?)] = []
        for name in tools.keys.sorted() {
            let tool = tools[name]!
            guard let records = tables[tool.table] else {
                found.append(
                    (
                        "world tool '\(name)' uses table '\(tool.table)', which the world does not have",
                        "declare it under world.tables (an empty list is a table with no records)"
                    ))
                continue
            }
            guard tool.action == .insert, let schema = tool.schema, let validator = try? JSONSchemaValidator(schema: schema) else { continue }
            for (index, record) in records.enumerated() {
                var fields = record.objectValue ?? [:]
                if let idField = tool.idField { fields[idField] = nil }
                for key in tool.set.keys { fields[key] = nil }
                if let violation = validator.validate(.object(fields), limit: 1).first {
                    found.append(
                        (
                            "record \(index + 1) of table '\(tool.table)' does not match the schema of world tool '\(name)': \(violation)",
                            "the records a tool inserts and the records already there must have the same shape"
                        ))
                }
            }
        }
        return found
    }
}
