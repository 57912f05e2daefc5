import Foundation

/// The part of Nunjucks that promptfoo prompts and assertion values use in practice: `{{ name }}`,
/// `{{ name.field }}` and the filters `dump`, `trim`, `upper`, `lower`, `safe`. Anything else
/// (`{% if %}`, other filters) is left as written and reported, never guessed at.
struct PromptTemplate {
    let text: String

    struct Rendered {
        var text: String
        /// Tags or filters that were not rendered, as written.
        var unrendered: [String]
    }

    static let filters: Set<String> = ["dump", "trim", "upper", "lower", "safe"]

    var hasPlaceholders: Bool { text.contains("{{") || text.contains("{%") }

    /// The variable names `{{ ... }}` placeholders read (first path component).
    var variables: [String] {
        placeholders.compactMap { expression in
            let name = expression.split(separator: "|").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let root = name.split(separator: ".").first.map(String.init) ?? ""
            return root.isEmpty ? nil : root
        }
    }

    private var placeholders: [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            result.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return result
    }

    func render(_ vars: [String: JSONValue]) -> Rendered {
        var output = ""
        var unrendered: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            output += rest[rest.startIndex..<open.lowerBound]
            let expression = String(rest[open.upperBound..<close.lowerBound])
            if let value = Self.evaluate(expression, vars) {
                output += value
            } else {
                output += rest[open.lowerBound..<close.upperBound]
                unrendered.append("{{\(expression)}}")
            }
            rest = rest[close.upperBound...]
        }
        output += rest
        if output.contains("{%") { unrendered.append("{% ... %}") }
        return Rendered(text: output, unrendered: unrendered)
    }

    /// The text of one `{{ ... }}`, or nil when it uses something this subset does not render.
    static func evaluate(_ expression: String, _ vars: [String: JSONValue]) -> String? {
        let parts = expression.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let path = parts.first, !path.isEmpty else { return nil }
        let components = path.split(separator: ".").map(String.init)
        guard components.allSatisfy(ImportText.isVariableName) else { return nil }
        var value: JSONValue = vars[components[0]] ?? .null
        for component in components.dropFirst() { value = value[component] ?? .null }
        var text = ImportText.text(of: value)
        for filter in parts.dropFirst() {
            switch filter {
            case "dump": text = value.compactJSON
            case "trim": text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "upper": text = text.uppercased()
            case "lower": text = text.lowercased()
            case "safe": break
            default: return nil
            }
        }
        return text
    }

    /// Renders every string inside a JSON value.
    static func render(_ value: JSONValue, _ vars: [String: JSONValue], unrendered: inout [String]) -> JSONValue {
        switch value {
        case .string(let text):
            let rendered = PromptTemplate(text: text).render(vars)
            unrendered += rendered.unrendered
            return .string(rendered.text)
        case .array(let items): return .array(items.map { render($0, vars, unrendered: &unrendered) })
        case .object(let members): return .object(members.mapValues { render($0, vars, unrendered: &unrendered) })
        default: return value
        }
    }

    /// Whether any string inside `value` has a placeholder.
    static func hasPlaceholders(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): return PromptTemplate(text: text).hasPlaceholders
        case .array(let items): return items.contains(where: hasPlaceholders)
        case .object(let members): return members.values.contains(where: hasPlaceholders)
        default: return false
        }
    }
}
