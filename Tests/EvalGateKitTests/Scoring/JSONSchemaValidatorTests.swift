import Testing

@testable import EvalGateKit

@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var schema: JSONValue
        var instance: JSONValue
        /// `nil` when the instance is valid; otherwise text the first violation must contain.
        var violation: String?
        var testDescription: String { "\(schema.compactJSON) ⊢ \(instance.compactJSON)" }

        init(_ schema: JSONValue, _ instance: JSONValue, _ violation: String?) {
            self.schema = schema
            self.instance = instance
            self.violation = violation
        }
    }

    static let rows: [Row] = [
        Row(["type": "string"], "x", nil),
        Row(["type": "string"], 1, "(root): expected string, got number 1"),
        Row(["type": ["string", "null"]], .null, nil),
        Row(["type": ["string", "null"]], true, "expected string or null, got boolean"),
        Row(["type": "integer"], 3, nil),
        Row(["type": "integer"], 3.5, "expected integer, got number 3.5"),
        Row(["type": "number"], 3, nil),
        Row(["type": "object", "properties": ["a": ["type": "string"]]], ["a": 1], "/a: expected string, got number 1"),
        Row(["type": "object", "properties": ["a": ["type": "string"]]], ["b": 1], nil),
        Row(["required": ["a", "b"]], ["a": 1], "/b: required property is missing"),
        Row(["required": ["a"]], "not an object", nil),
        Row(
            ["properties": ["a": true], "additionalProperties": false], ["a": 1, "z": 2],
            "/z: property is not allowed (additionalProperties is false)"),
        Row(["additionalProperties": ["type": "number"]], ["z": "2"], "/z: expected number, got string"),
        Row(["items": ["type": "number"]], [1, 2, "3"], "/2: expected number, got string"),
        Row(["items": ["properties": ["price": ["type": "number"]]]], [["price": 1], ["price": "x"]], "/1/price: expected number"),
        Row(["enum": ["a", "b"]], "c", "expected one of 'a', 'b', got 'c'"),
        Row(["enum": [1, ["x": 1]]], ["x": 1], nil),
        Row(["const": "refund_denied"], "refund_issued", "expected 'refund_denied', got 'refund_issued'"),
        Row(["const": .null], .null, nil),
        Row(["minimum": 0, "maximum": 10], 10, nil),
        Row(["minimum": 0], -1, "-1 is below the minimum 0"),
        Row(["maximum": 10], 11, "11 is above the maximum 10"),
        Row(["exclusiveMinimum": 0], 0, "0 is not above the minimum 0"),
        Row(["exclusiveMaximum": 10], 10, "10 is not below the maximum 10"),
        Row(["minimum": 0, "exclusiveMinimum": true], 0, "0 is not above the minimum 0"),
        Row(["multipleOf": 0.1], 0.3, nil),
        Row(["multipleOf": 2], 7, "7 is not a multiple of 2"),
        Row(["minLength": 2], "é", "'é' has 1 character, fewer than minLength 2"),
        Row(["maxLength": 3], "abcd", "has 4 characters, more than maxLength 3"),
        Row(["pattern": "^[A-Z]-\\d+$"], "A-10023", nil),
        Row(["pattern": "^[A-Z]-\\d+$"], "order A-10023", "'order A-10023' does not match the pattern /^[A-Z]-\\d+$/"),
        Row(["minItems": 2], [1], "has 1 item, fewer than minItems 2"),
        Row(["maxItems": 1], [1, 2], "has 2 items, more than maxItems 1"),
        Row(["uniqueItems": true], [1, 2, 1], "items 0 and 2 are equal"),
        Row(["minProperties": 1], [:], "has 0 properties, fewer than minProperties 1"),
        Row(["anyOf": [["type": "string"], ["type": "number"]]], 1, nil),
        Row(
            ["anyOf": [["type": "string"], ["type": "number"]]], true, "matches none of the 2 schemas in anyOf (first: expected string, got boolean)"),
        Row(["oneOf": [["type": "number"], ["type": "integer"]]], 1, "matches 2 schemas in oneOf (0, 1), expected exactly 1"),
        Row(["oneOf": [["type": "number"], ["type": "integer"]]], 1.5, nil),
        Row(["allOf": [["minimum": 0], ["maximum": 5]]], 6, "6 is above the maximum 5"),
        Row(["not": ["type": "null"]], .null, "matches the schema in not"),
        Row(["properties": ["a/b": ["type": "string"], "m~n": ["type": "string"]]], ["a/b": 1], "/a~1b: expected string"),
        Row(["properties": ["x": false]], ["x": 1], "/x: no value is allowed here"),
        Row(["$schema": "https://json-schema.org/draft/2020-12/schema", "title": "t", "description": "d", "format": "email"], "anything", nil),
    ]

    @Test(arguments: rows)
    func validation(_ row: Row) throws {
        let validator = try JSONSchemaValidator(schema: row.schema)
        let violations = validator.validate(row.instance)
        #expect(validator.isValid(row.instance) == violations.isEmpty)
        if let expected = row.violation {
            let first = try #require(violations.first)
            #expect(first.description.contains(expected), "got: \(first.description)")
        } else {
            #expect(violations.isEmpty, "got: \(violations.map(\.description))")
        }
    }

    @Test func collectsEveryViolationUpToTheLimit() throws {
        let validator = try JSONSchemaValidator(schema: ["items": ["type": "string"]])
        let instance = JSONValue.array((0..<100).map { .number(Double($0)) })
        #expect(validator.validate(instance).count == 20)
        #expect(validator.validate(instance, limit: 5).map(\.path) == ["/0", "/1", "/2", "/3", "/4"])
    }

    @Test func deeplyNestedInstancesAreReportedNotRecursedForever() throws {
        var deep = JSONValue.null
        for _ in 0..<2_000 { deep = .array([deep]) }
        let validator = try JSONSchemaValidator(schema: ["items": ["items": true]])
        #expect(validator.validate(deep).isEmpty)
        let recursive = try JSONSchemaValidator(schema: ["anyOf": [["type": "null"], ["items": ["not": ["type": "string"]]]]])
        _ = recursive.validate(deep)
        #expect(recursive.isValid(deep))
    }

    struct BadSchema: Sendable, CustomTestStringConvertible {
        var schema: JSONValue
        var message: String
        var hint: String?
        var testDescription: String { message }

        init(_ schema: JSONValue, _ message: String, hint: String? = nil) {
            self.schema = schema
            self.message = message
            self.hint = hint
        }
    }

    static let badSchemas: [BadSchema] = [
        BadSchema(true, "a JSON schema must be an object, not the boolean true"),
        BadSchema(["type": "strin"], "schema at /type: 'strin' is not a JSON type", hint: "did you mean 'string'?"),
        BadSchema(["type": []], "schema at /type: must be a type name or a list of type names"),
        BadSchema(["properties": ["a": ["typ": "string"]]], "schema at /properties/a: unknown keyword 'typ'", hint: "did you mean 'type'?"),
        BadSchema(["properties": ["a": 3]], "schema at /properties/a: a schema must be an object or a boolean, not the number 3"),
        BadSchema(["properties": [1]], "schema at /properties: must be an object"),
        BadSchema(["required": "a"], "schema at /required: must be a list of property names"),
        BadSchema(["$ref": "#/$defs/x"], "schema: keyword '$ref' is not supported", hint: "inline the referenced schema"),
        BadSchema(["nullable": true], "keyword 'nullable' is not supported", hint: "type: [string, \"null\"]"),
        BadSchema(["patternProperties": [:]], "keyword 'patternProperties' is not supported", hint: "supported keywords: type"),
        BadSchema(["items": [["type": "string"]]], "the list (tuple) form of items is not supported"),
        BadSchema(["enum": []], "schema at /enum: must be a non-empty list"),
        BadSchema(["minimum": "0"], "schema at /minimum: must be a number, not the string '0'"),
        BadSchema(["minimum": 5, "maximum": 1], "the lower bound 5 is not below the upper bound 1"),
        BadSchema(["exclusiveMinimum": true], "true needs a minimum beside it"),
        BadSchema(["minLength": -1], "schema at /minLength: must be a whole number ≥ 0, not -1"),
        BadSchema(["minItems": 3, "maxItems": 2], "minItems 3 is greater than maxItems 2; nothing can match"),
        BadSchema(["pattern": "(unclosed"], "schema at /pattern: '(unclosed' is not a valid regular expression"),
        BadSchema(["multipleOf": 0], "schema at /multipleOf: must be greater than 0"),
        BadSchema(["uniqueItems": "yes"], "must be true or false"),
        BadSchema(["anyOf": []], "schema at /anyOf: must be a non-empty list of schemas"),
        BadSchema(["oneOf": [["type": "string"], ["type": "strnig"]]], "schema at /oneOf/1/type"),
        BadSchema(["not": ["minimum": "x"]], "schema at /not/minimum"),
    ]

    @Test(arguments: badSchemas)
    func invalidSchemas(_ bad: BadSchema) {
        do {
            _ = try JSONSchemaValidator(schema: bad.schema)
            Issue.record("schema was accepted: \(bad.schema.compactJSON)")
        } catch let error as ScorerConfigurationError {
            #expect(error.message.contains(bad.message), "got: \(error.message)")
            if let hint = bad.hint { #expect(error.hint?.contains(hint) == true, "hint: \(error.hint ?? "none")") }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
