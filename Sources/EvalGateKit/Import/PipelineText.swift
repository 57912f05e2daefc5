import Foundation

/// A YAML value written by an importer, in the order a person reads it. Strings copied from the
/// source tool are `literal`: a `${` in them is written `$${`, so the pipeline loader does not take
/// it for a variable. Only `interpolated` strings (the importer's own `${OPENAI_API_KEY}`) keep theirs.
public indirect enum PipelineText: Sendable, Equatable {
    case literal(String)
    case interpolated(String)
    case number(Double)
    case bool(Bool)
    case list([PipelineText])
    case map([(String, PipelineText)])

    public static func == (lhs: PipelineText, rhs: PipelineText) -> Bool {
        lhs.flow == rhs.flow
    }

    /// A JSON value as literal YAML (object keys sorted, as `JSONValue.compactJSON` writes them).
    public static func json(_ value: JSONValue) -> PipelineText {
        switch value {
        case .null: return .literal("")
        case .bool(let flag): return .bool(flag)
        case .number(let number): return .number(number)
        case .string(let text): return .literal(text)
        case .array(let items): return .list(items.map(json))
        case .object(let members): return .map(members.keys.sorted().map { ($0, json(members[$0]!)) })
        }
    }

    /// The document: `comments` as `#` lines, then the value (a mapping) in block style.
    public static func document(_ root: [(String, PipelineText)], comments: [String]) -> String {
        var lines = comments.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)".trimmingSuffixSpaces } }
        lines += PipelineText.map(root).block(indent: 0)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Block style

    var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }

    var isEmptyCollection: Bool {
        switch self {
        case .list(let items): return items.isEmpty
        case .map(let members): return members.isEmpty
        default: return false
        }
    }

    /// Short lists of scalars and small mappings of scalars read best on one line.
    var fitsOnOneLine: Bool {
        switch self {
        case .list(let items): return items.allSatisfy(\.isScalar) && flow.count <= 100
        case .map(let members): return members.count <= 3 && members.allSatisfy(\.1.isScalar) && flow.count <= 80
        default: return true
        }
    }

    func block(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .map(let members):
            var lines: [String] = []
            for (key, value) in members {
                let name = Self.scalar(key)
                if value.isScalar || value.isEmptyCollection || value.fitsOnOneLine {
                    lines.append("\(pad)\(name): \(value.flow)")
                } else if case .list = value {
                    lines.append("\(pad)\(name):")
                    lines += value.block(indent: indent + 2)
                } else {
                    lines.append("\(pad)\(name):")
                    lines += value.block(indent: indent + 2)
                }
            }
            return lines
        case .list(let items):
            var lines: [String] = []
            for item in items {
                if case .map(let members) = item, !members.isEmpty, !item.fitsOnOneLine {
                    let nested = item.block(indent: indent + 2)
                    lines.append("\(pad)- " + nested[0].dropFirst(indent + 2))
                    lines += nested.dropFirst()
                } else {
                    lines.append("\(pad)- \(item.flow)")
                }
            }
            return lines
        default:
            return ["\(pad)\(flow)"]
        }
    }

    /// Flow style: the value on one line (valid YAML, and JSON-like).
    var flow: String {
        switch self {
        case .literal(let text): return Self.scalar(text.replacingOccurrences(of: "${", with: "$${"))
        case .interpolated(let text): return Self.scalar(text)
        case .number(let number): return JSONValue.format(number: number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let items): return "[" + items.map(\.flow).joined(separator: ", ") + "]"
        case .map(let members): return "{" + members.map { "\(Self.scalar($0.0)): \($0.1.flow)" }.joined(separator: ", ") + "}"
        }
    }

    static let reservedWords: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"]

    /// A string as a YAML scalar: plain when nothing in it could change its meaning, otherwise
    /// double-quoted with JSON escapes (which YAML's double-quoted style reads the same way).
    static func scalar(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, CharacterSet.letters.contains(first) || first == "/" || first == "_",
            !reservedWords.contains(text.lowercased()),
            text.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "_./@-+ ()".unicodeScalars.contains($0) }),
            text.unicodeScalars.allSatisfy({ $0.isASCII }),
            !text.hasSuffix(" ")
        else { return JSONValue.escaped(text) }
        return text
    }
}

extension String {
    fileprivate var trimmingSuffixSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
