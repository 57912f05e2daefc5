import Foundation

/// Fills a JSON request template with a case: `{{input}}`, `{{id}}`, `{{expected}}`, `{{metadata.KEY}}`,
/// and `{{conversation}}` (the input as a `{role, content}` message list on every turn, the opening too).
/// A string that is exactly one placeholder becomes the case's JSON value (a string, or the message
/// list); placeholders inside longer strings are replaced as text. Escaping is correct by construction:
/// values are placed into the JSON tree, never pasted into JSON text.
public enum RequestTemplate {
    public static func render(_ template: JSONValue, with goldenCase: GoldenCase) -> JSONValue {
        switch template {
        case .string(let text):
            guard text.contains("{{") else { return template }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.dropFirst(2).dropLast(2).contains("{{") == false,
                let value = value(of: String(trimmed.dropFirst(2).dropLast(2)), in: goldenCase)
            {
                return value
            }
            return .string(substitute(text, goldenCase))
        case .array(let items):
            return .array(items.map { render($0, with: goldenCase) })
        case .object(let members):
            return .object(members.mapValues { render($0, with: goldenCase) })
        default:
            return template
        }
    }

    static func value(of placeholder: String, in goldenCase: GoldenCase) -> JSONValue? {
        let name = placeholder.trimmingCharacters(in: .whitespaces)
        switch name {
        case "input": return goldenCase.input.jsonValue
        case "input.text": return .string(goldenCase.input.text)
        case "conversation":
            switch goldenCase.input {
            case .text(let text): return [["role": "user", "content": .string(text)]]
            case .messages: return goldenCase.input.jsonValue
            }
        case "id": return .string(goldenCase.id)
        case "expected": return goldenCase.expected ?? .null
        default:
            if name.hasPrefix("metadata.") { return goldenCase.metadata[String(name.dropFirst("metadata.".count))] ?? .null }
            return nil
        }
    }

    static func substitute(_ text: String, _ goldenCase: GoldenCase) -> String {
        var output = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            output += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound])
            if let value = value(of: name, in: goldenCase) {
                output += name.trimmingCharacters(in: .whitespaces) == "input" ? goldenCase.input.text : value.plainText
            } else {
                output += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        output += rest
        return output
    }

    /// Reads the answer (and token usage) out of a JSON response.
    static func extractAnswer(from json: JSONValue, endpoint: EndpointDefinition, snippet: @autoclosure () -> String) throws(AgentError)
        -> AgentAnswer
    {
        let pointer = endpoint.answerPointer ?? ""
        guard let value = json.value(at: pointer) else {
            let keys = json.objectValue.map { " (top-level keys: \($0.keys.sorted().prefix(10).joined(separator: ", ")))" } ?? ""
            throw AgentError(.missingAnswer, "response has no value at \(pointer)\(keys)")
        }
        var answer: AgentAnswer
        switch value {
        case .string(let text): answer = AgentAnswer(text: text)
        case .null: throw AgentError(.missingAnswer, "the value at \(pointer) is null")
        default: answer = AgentAnswer(text: value.compactJSON, json: value)
        }
        if let pointers = endpoint.usagePointers {
            let input = pointers.inputTokens.flatMap { json.value(at: $0)?.doubleValue } ?? 0
            let output = pointers.outputTokens.flatMap { json.value(at: $0)?.doubleValue } ?? 0
            answer.usage = TokenUsage(inputTokens: Int(input), outputTokens: Int(output))
        }
        return answer
    }
}
