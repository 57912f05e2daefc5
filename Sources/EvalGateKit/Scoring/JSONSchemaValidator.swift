import Foundation

/// Checks JSON against a JSON Schema, for gating structured agent output. Supports the subset of
/// draft 2020-12 (and draft 4 boolean `exclusiveMinimum`) that output schemas use in practice, and
/// rejects anything else at construction, so a misspelt keyword can never silently weaken a gate.
public struct JSONSchemaValidator: Sendable {
    /// One way an instance breaks the schema, at an RFC 6901 pointer into the instance.
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        /// Where in the instance: `/items/2/price`; `""` is the whole instance.
        public var path: String
        public var message: String
        /// The validator ran out of time here (a slow pattern, a huge answer): the instance is not
        /// known to be invalid, only not shown to be valid.
        public var isUndecided: Bool

        public init(path: String, message: String, isUndecided: Bool = false) {
            self.path = path
            self.message = message
            self.isUndecided = isUndecided
        }

        /// `/items/2/price: expected number, got string`.
        public var description: String { "\(ReasonText.pointer(path)): \(message)" }
    }

    /// Keywords that constrain instances.
    public static let supportedKeywords = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
        "minProperties", "maxProperties", "anyOf", "oneOf", "allOf", "not",
    ]

    /// Keywords accepted and ignored: they document, they do not constrain.
    public static let annotationKeywords = [
        "$schema", "$id", "id", "$comment", "title", "description", "default", "examples", "format",
        "readOnly", "writeOnly", "deprecated", "$defs", "definitions", "contentMediaType", "contentEncoding",
    ]

    /// Real JSON Schema keywords this validator does not implement; using one is a configuration error.
    static let unsupportedKeywords = [
        "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "patternProperties", "propertyNames",
        "dependencies", "dependentRequired", "dependentSchemas", "if", "then", "else", "prefixItems",
        "additionalItems", "contains", "minContains", "maxContains", "unevaluatedProperties", "unevaluatedItems",
        "nullable",
    ]

    static let typeNames = ["null", "boolean", "object", "array", "number", "string", "integer"]

    /// Deepest instance nesting that is validated; deeper values are reported, not recursed into.
    static let maxDepth = 512

    /// Longest one validation may take before it stops with an undecided violation.
    static let timeLimit: TimeInterval = 2

    let root: Node

    /// Compiles `schema`; throws `ScorerConfigurationError` naming the schema location when it is not
    /// a valid schema of the supported subset.
    public init(schema: JSONValue) throws {
        guard case .object = schema else {
            throw ScorerConfigurationError(
                "a JSON schema must be an object, not \(ScorerOptions.describe(schema))",
                hint: "for example {type: object, required: [status]}")
        }
        root = try Node(schema, at: "")
    }

    /// Every violation, in a stable order, up to `limit`.
    public func validate(_ instance: JSONValue, limit: Int = 20) -> [Violation] {
        var context = Context(limit: max(1, limit), deadline: Date(timeIntervalSinceNow: Self.timeLimit))
        root.validate(instance, at: "", depth: 0, into: &context)
        return context.violations
    }

    /// Whether `instance` matches the schema; an undecided validation counts as no match.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance, limit: 1).isEmpty
    }

    struct Context {
        let limit: Int
        let deadline: Date
        var violations: [Violation] = []
        var stopped = false

        var isFull: Bool { stopped || violations.count >= limit }

        mutating func add(_ path: String, _ message: String, undecided: Bool = false) {
            if !isFull { violations.append(Violation(path: path, message: message, isUndecided: undecided)) }
        }

        /// Ends the validation once the deadline has passed, recording why; true when it has.
        mutating func stopIfLate(at path: String) -> Bool {
            if stopped { return true }
            guard Date() > deadline else { return false }
            violations.append(
                Violation(
                    path: path, message: "validation stopped after \(ReasonText.number(JSONSchemaValidator.timeLimit)) s", isUndecided: true))
            stopped = true
            return true
        }
    }

    /// A compiled (sub)schema.
    final class Node: Sendable {
        let constant: Bool?
        let types: [String]?
        let properties: [(name: String, schema: Node)]
        let required: [String]
        let additionalProperties: Node?
        let items: Node?
        let enumValues: [JSONValue]?
        let constValue: JSONValue?
        let lowerBound: (value: Double, exclusive: Bool)?
        let upperBound: (value: Double, exclusive: Bool)?
        let multipleOf: Double?
        let minLength: Int?
        let maxLength: Int?
        let pattern: BoundedRegex?
        let minItems: Int?
        let maxItems: Int?
        let uniqueItems: Bool
        let minProperties: Int?
        let maxProperties: Int?
        let anyOf: [Node]?
        let oneOf: [Node]?
        let allOf: [Node]?
        let not: Node?

        init(_ schema: JSONValue, at path: String) throws {
            if case .bool(let value) = schema {
                constant = value
                types = nil
                properties = []
                required = []
                additionalProperties = nil
                items = nil
                enumValues = nil
                constValue = nil
                lowerBound = nil
                upperBound = nil
                multipleOf = nil
                minLength = nil
                maxLength = nil
                pattern = nil
                minItems = nil
                maxItems = nil
                uniqueItems = false
                minProperties = nil
                maxProperties = nil
                anyOf = nil
                oneOf = nil
                allOf = nil
                not = nil
                return
            }
            guard case .object(let keywords) = schema else {
                throw Self.error(path, "a schema must be an object or a boolean, not \(ScorerOptions.describe(schema))")
            }
            constant = nil
            for key in keywords.keys.sorted() {
                if JSONSchemaValidator.supportedKeywords.contains(key) || JSONSchemaValidator.annotationKeywords.contains(key) {
                    continue
                }
                if JSONSchemaValidator.unsupportedKeywords.contains(key) {
                    throw Self.error(
                        path, "keyword '\(key)' is not supported",
                        hint: key == "$ref"
                            ? "inline the referenced schema"
                            : key == "nullable"
                                ? "write type: [string, \"null\"] instead"
                                : "supported keywords: \(JSONSchemaValidator.supportedKeywords.joined(separator: ", "))")
                }
                let candidates = JSONSchemaValidator.supportedKeywords + JSONSchemaValidator.annotationKeywords
                throw Self.error(
                    path, "unknown keyword '\(key)'",
                    hint: Suggestions.closest(to: key, in: candidates).map { "did you mean '\($0)'?" }
                        ?? "supported keywords: \(JSONSchemaValidator.supportedKeywords.joined(separator: ", "))")
            }

            types = try Self.types(keywords["type"], at: path + "/type")

            if let value = keywords["properties"] {
                guard case .object(let members) = value else {
                    throw Self.error(path + "/properties", "must be an object mapping property names to schemas")
                }
                properties = try members.keys.sorted().map { name in
                    (name, try Node(members[name]!, at: path + "/properties/" + Self.escape(name)))
                }
            } else {
                properties = []
            }

            if let value = keywords["required"] {
                guard case .array(let names) = value, names.allSatisfy({ $0.stringValue != nil }) else {
                    throw Self.error(path + "/required", "must be a list of property names")
                }
                required = names.compactMap(\.stringValue)
            } else {
                required = []
            }

            additionalProperties = try keywords["additionalProperties"].map { try Node($0, at: path + "/additionalProperties") }

            if case .array = keywords["items"] {
                throw Self.error(
                    path + "/items", "the list (tuple) form of items is not supported",
                    hint: "give items a single schema that every element must match")
            }
            items = try keywords["items"].map { try Node($0, at: path + "/items") }

            if let value = keywords["enum"] {
                guard case .array(let values) = value, !values.isEmpty else {
                    throw Self.error(path + "/enum", "must be a non-empty list of allowed values")
                }
                enumValues = values
            } else {
                enumValues = nil
            }
            constValue = keywords["const"]

            let minimum = try Self.number(keywords["minimum"], at: path + "/minimum")
            let maximum = try Self.number(keywords["maximum"], at: path + "/maximum")
            var lower = minimum.map { (value: $0, exclusive: false) }
            var upper = maximum.map { (value: $0, exclusive: false) }
            switch keywords["exclusiveMinimum"] {
            case .bool(let exclusive)?:
                guard let minimum else { throw Self.error(path + "/exclusiveMinimum", "true needs a minimum beside it") }
                lower = (minimum, exclusive)
            case let value?:
                let bound = try Self.number(value, at: path + "/exclusiveMinimum")!
                if lower == nil || bound >= lower!.value { lower = (bound, true) }
            case nil:
                break
            }
            switch keywords["exclusiveMaximum"] {
            case .bool(let exclusive)?:
                guard let maximum else { throw Self.error(path + "/exclusiveMaximum", "true needs a maximum beside it") }
                upper = (maximum, exclusive)
            case let value?:
                let bound = try Self.number(value, at: path + "/exclusiveMaximum")!
                if upper == nil || bound <= upper!.value { upper = (bound, true) }
            case nil:
                break
            }
            if let lower, let upper, lower.value > upper.value || (lower.value == upper.value && (lower.exclusive || upper.exclusive)) {
                throw Self.error(
                    path,
                    "the lower bound \(ReasonText.number(lower.value)) is not below the upper bound \(ReasonText.number(upper.value)); no number can match"
                )
            }
            lowerBound = lower
            upperBound = upper

            multipleOf = try Self.number(keywords["multipleOf"], at: path + "/multipleOf")
            if let multipleOf, multipleOf <= 0 {
                throw Self.error(path + "/multipleOf", "must be greater than 0")
            }

            minLength = try Self.count(keywords["minLength"], at: path + "/minLength")
            maxLength = try Self.count(keywords["maxLength"], at: path + "/maxLength")
            minItems = try Self.count(keywords["minItems"], at: path + "/minItems")
            maxItems = try Self.count(keywords["maxItems"], at: path + "/maxItems")
            minProperties = try Self.count(keywords["minProperties"], at: path + "/minProperties")
            maxProperties = try Self.count(keywords["maxProperties"], at: path + "/maxProperties")
            for (name, low, high) in [
                ("Length", minLength, maxLength), ("Items", minItems, maxItems), ("Properties", minProperties, maxProperties),
            ] {
                if let low, let high, low > high {
                    throw Self.error(path, "min\(name) \(low) is greater than max\(name) \(high); nothing can match")
                }
            }

            if let value = keywords["pattern"] {
                guard case .string(let source) = value else { throw Self.error(path + "/pattern", "must be a string") }
                do {
                    pattern = try BoundedRegex(pattern: source)
                } catch {
                    throw Self.error(
                        path + "/pattern", "\(ReasonText.quote(source)) is not a valid regular expression",
                        hint: "escape literal characters such as ( [ { . + * ? with a backslash")
                }
            } else {
                pattern = nil
            }

            switch keywords["uniqueItems"] {
            case nil: uniqueItems = false
            case .bool(let value)?: uniqueItems = value
            case let value?: throw Self.error(path + "/uniqueItems", "must be true or false, not \(ScorerOptions.describe(value))")
            }

            anyOf = try Self.list(keywords["anyOf"], at: path + "/anyOf")
            oneOf = try Self.list(keywords["oneOf"], at: path + "/oneOf")
            allOf = try Self.list(keywords["allOf"], at: path + "/allOf")
            not = try keywords["not"].map { try Node($0, at: path + "/not") }
        }

        // MARK: Validation

        func matches(_ instance: JSONValue, depth: Int, deadline: Date) -> Bool {
            var context = Context(limit: 1, deadline: deadline)
            validate(instance, at: "", depth: depth, into: &context)
            return context.violations.isEmpty
        }

        func validate(_ instance: JSONValue, at path: String, depth: Int, into context: inout Context) {
            if let constant {
                if !constant { context.add(path, "no value is allowed here (the schema is false)") }
                return
            }
            if context.stopIfLate(at: path) { return }
            guard depth < JSONSchemaValidator.maxDepth else {
                context.add(path, "nested deeper than \(JSONSchemaValidator.maxDepth) levels")
                return
            }
            if let types, !types.contains(where: { Self.instance(instance, hasType: $0) }) {
                context.add(path, "expected \(types.joined(separator: " or ")), got \(Self.typeDescription(instance))")
                return
            }
            if let enumValues, !enumValues.contains(where: { JSONComparison.equal($0, instance) }) {
                context.add(
                    path,
                    "expected one of \(enumValues.prefix(10).map { ReasonText.quote($0) }.joined(separator: ", ")), got \(ReasonText.quote(instance))"
                )
            }
            if let constValue, !JSONComparison.equal(constValue, instance) {
                context.add(path, "expected \(ReasonText.quote(constValue)), got \(ReasonText.quote(instance))")
            }
            switch instance {
            case .number(let number): validateNumber(number, at: path, into: &context)
            case .string(let string): validateString(string, at: path, into: &context)
            case .array(let elements): validateArray(elements, at: path, depth: depth, into: &context)
            case .object(let members): validateObject(members, at: path, depth: depth, into: &context)
            case .null, .bool: break
            }
            validateCombinators(instance, at: path, depth: depth, into: &context)
        }

        private func validateNumber(_ number: Double, at path: String, into context: inout Context) {
            if let lowerBound {
                if lowerBound.exclusive ? number <= lowerBound.value : number < lowerBound.value {
                    context.add(
                        path,
                        "\(ReasonText.number(number)) is \(lowerBound.exclusive ? "not above" : "below") the minimum \(ReasonText.number(lowerBound.value))"
                    )
                }
            }
            if let upperBound {
                if upperBound.exclusive ? number >= upperBound.value : number > upperBound.value {
                    context.add(
                        path,
                        "\(ReasonText.number(number)) is \(upperBound.exclusive ? "not below" : "above") the maximum \(ReasonText.number(upperBound.value))"
                    )
                }
            }
            if let multipleOf {
                let quotient = number / multipleOf
                if !quotient.isFinite || abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) {
                    context.add(path, "\(ReasonText.number(number)) is not a multiple of \(ReasonText.number(multipleOf))")
                }
            }
        }

        private func validateString(_ string: String, at path: String, into context: inout Context) {
            if minLength != nil || maxLength != nil {
                let length = string.unicodeScalars.count
                if let minLength, length < minLength {
                    context.add(
                        path, "\(ReasonText.quote(string, limit: 40)) has \(ReasonText.count(length, "character")), fewer than minLength \(minLength)"
                    )
                }
                if let maxLength, length > maxLength {
                    context.add(
                        path, "\(ReasonText.quote(string, limit: 40)) has \(ReasonText.count(length, "character")), more than maxLength \(maxLength)")
                }
            }
            if let pattern {
                switch pattern.firstMatch(in: string) {
                case .found: break
                case .notFound:
                    context.add(
                        path, "\(ReasonText.quote(string, limit: 40)) does not match the pattern /\(ReasonText.excerpt(pattern.pattern, limit: 60))/")
                case .timedOut:
                    context.add(path, "matching the pattern /\(ReasonText.excerpt(pattern.pattern, limit: 60))/ took too long", undecided: true)
                }
            }
        }

        private func validateArray(_ elements: [JSONValue], at path: String, depth: Int, into context: inout Context) {
            if let minItems, elements.count < minItems {
                context.add(path, "has \(ReasonText.count(elements.count, "item")), fewer than minItems \(minItems)")
            }
            if let maxItems, elements.count > maxItems {
                context.add(path, "has \(ReasonText.count(elements.count, "item")), more than maxItems \(maxItems)")
            }
            if uniqueItems {
                var seen: [JSONValue: Int] = [:]
                for (index, element) in elements.enumerated() {
                    if let first = seen[element] {
                        context.add(path, "items \(first) and \(index) are equal, but uniqueItems is true")
                        break
                    }
                    seen[element] = index
                }
            }
            if let items {
                for (index, element) in elements.enumerated() {
                    if context.isFull { return }
                    items.validate(element, at: "\(path)/\(index)", depth: depth + 1, into: &context)
                }
            }
        }

        private func validateObject(_ members: [String: JSONValue], at path: String, depth: Int, into context: inout Context) {
            for name in required where members[name] == nil {
                context.add(path + "/" + Self.escape(name), "required property is missing")
            }
            if let minProperties, members.count < minProperties {
                context.add(path, "has \(ReasonText.count(members.count, "property", "properties")), fewer than minProperties \(minProperties)")
            }
            if let maxProperties, members.count > maxProperties {
                context.add(path, "has \(ReasonText.count(members.count, "property", "properties")), more than maxProperties \(maxProperties)")
            }
            for (name, schema) in properties {
                if context.isFull { return }
                if let value = members[name] {
                    schema.validate(value, at: path + "/" + Self.escape(name), depth: depth + 1, into: &context)
                }
            }
            if let additionalProperties {
                let declared = Set(properties.map(\.name))
                for name in members.keys.sorted() where !declared.contains(name) {
                    if context.isFull { return }
                    if additionalProperties.constant == false {
                        context.add(path + "/" + Self.escape(name), "property is not allowed (additionalProperties is false)")
                    } else {
                        additionalProperties.validate(members[name]!, at: path + "/" + Self.escape(name), depth: depth + 1, into: &context)
                    }
                }
            }
        }

        private func validateCombinators(_ instance: JSONValue, at path: String, depth: Int, into context: inout Context) {
            if let allOf {
                for schema in allOf {
                    if context.isFull { return }
                    schema.validate(instance, at: path, depth: depth + 1, into: &context)
                }
            }
            let deadline = context.deadline
            if let anyOf {
                let matched = anyOf.contains { $0.matches(instance, depth: depth + 1, deadline: deadline) }
                if context.stopIfLate(at: path) { return }
                if !matched {
                    context.add(path, "matches none of the \(anyOf.count) schemas in anyOf" + firstProblem(anyOf, instance, depth, deadline))
                }
            }
            if let oneOf {
                let matching = oneOf.indices.filter { oneOf[$0].matches(instance, depth: depth + 1, deadline: deadline) }
                if context.stopIfLate(at: path) { return }
                if matching.isEmpty {
                    context.add(path, "matches none of the \(oneOf.count) schemas in oneOf" + firstProblem(oneOf, instance, depth, deadline))
                } else if matching.count > 1 {
                    context.add(
                        path, "matches \(matching.count) schemas in oneOf (\(matching.map(String.init).joined(separator: ", "))), expected exactly 1")
                }
            }
            if let not {
                let matched = not.matches(instance, depth: depth + 1, deadline: deadline)
                if context.stopIfLate(at: path) { return }
                if matched { context.add(path, "matches the schema in not, which it must not") }
            }
        }

        /// ` (first: expected string, got number)`: what went wrong with the first alternative.
        private func firstProblem(_ schemas: [Node], _ instance: JSONValue, _ depth: Int, _ deadline: Date) -> String {
            guard let first = schemas.first else { return "" }
            var context = Context(limit: 1, deadline: deadline)
            first.validate(instance, at: "", depth: depth + 1, into: &context)
            guard let violation = context.violations.first else { return "" }
            let location = violation.path.isEmpty ? "" : ReasonText.pointer(violation.path) + " "
            return " (first: \(location)\(violation.message))"
        }

        // MARK: Helpers

        static func instance(_ instance: JSONValue, hasType type: String) -> Bool {
            switch (type, instance) {
            case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number), ("string", .string):
                return true
            case ("integer", .number(let number)):
                return number.isFinite && number.rounded() == number
            default:
                return false
            }
        }

        static func typeDescription(_ instance: JSONValue) -> String {
            if case .number(let number) = instance { return "number \(ReasonText.number(number))" }
            return instance.typeName
        }

        /// A pointer token: `~` and `/` escaped as RFC 6901 requires.
        static func escape(_ token: String) -> String {
            token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }

        static func error(_ path: String, _ message: String, hint: String? = nil) -> ScorerConfigurationError {
            ScorerConfigurationError("schema\(path.isEmpty ? "" : " at " + path): \(message)", hint: hint)
        }

        private static func types(_ value: JSONValue?, at path: String) throws -> [String]? {
            guard let value else { return nil }
            let names: [String]
            switch value {
            case .string(let name): names = [name]
            case .array(let items) where !items.isEmpty && items.allSatisfy({ $0.stringValue != nil }):
                names = items.compactMap(\.stringValue)
            default:
                throw error(path, "must be a type name or a list of type names", hint: "types: \(typeNames.joined(separator: ", "))")
            }
            for name in names where !typeNames.contains(name) {
                throw error(
                    path, "\(ReasonText.quote(name)) is not a JSON type",
                    hint: Suggestions.closest(to: name, in: typeNames).map { "did you mean '\($0)'?" }
                        ?? "types: \(typeNames.joined(separator: ", "))")
            }
            return names
        }

        private static func number(_ value: JSONValue?, at path: String) throws -> Double? {
            guard let value else { return nil }
            guard case .number(let number) = value, number.isFinite else {
                throw error(path, "must be a number, not \(ScorerOptions.describe(value))")
            }
            return number
        }

        private static func count(_ value: JSONValue?, at path: String) throws -> Int? {
            guard let number = try number(value, at: path) else { return nil }
            guard number >= 0, number.rounded() == number, number < Double(Int32.max) else {
                throw error(path, "must be a whole number ≥ 0, not \(ReasonText.number(number))")
            }
            return Int(number)
        }

        private static func list(_ value: JSONValue?, at path: String) throws -> [Node]? {
            guard let value else { return nil }
            guard case .array(let schemas) = value, !schemas.isEmpty else {
                throw error(path, "must be a non-empty list of schemas")
            }
            return try schemas.enumerated().map { try Node($1, at: "\(path)/\($0)") }
        }
    }
}
