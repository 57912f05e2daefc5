import Foundation

/// The pipeline an importer writes: one agent, one dataset, default scorers, and a judge when a
/// model-graded scorer needs one. Rendered as commented YAML that `PipelineLoader` reads.
struct ImportedPipeline {
    var name: String
    var description: String?
    var agentName: String
    var riskTier: Int
    var endpoint: [(String, PipelineText)]
    /// Relative to the pipeline file.
    var datasetPath: String
    var scorers: [JSONValue] = []
    var judge: [(String, PipelineText)]?
    var repeatCount: Int?
    var comments: [String] = []

    var text: String {
        var root: [(String, PipelineText)] = [("version", .number(1)), ("name", .literal(name))]
        if let description { root.append(("description", .literal(description))) }
        root.append(
            (
                "agent",
                .map([
                    ("name", .literal(agentName)), ("version", .interpolated("${AGENT_VERSION:-dev}")), ("risk_tier", .number(Double(riskTier))),
                    ("endpoint", .map(endpoint)),
                ])
            ))
        root.append(("datasets", .list([.literal(datasetPath)])))
        if !scorers.isEmpty { root.append(("assert", .list(scorers.map(PipelineText.json)))) }
        if let repeatCount, repeatCount > 1 { root.append(("repeat", .number(Double(repeatCount)))) }
        if let judge { root.append(("judge", .map(judge))) }
        return PipelineText.document(root, comments: comments)
    }

    /// The scorer types in `scorers` and in the dataset's cases that need a judge, and which kind.
    static func judgeNeeds(_ scorers: [JSONValue]) -> (panel: Bool, embeddings: Bool) {
        var panel = false
        var embeddings = false
        for scorer in scorers {
            guard var type = scorer["type"]?.stringValue else { continue }
            if type.hasPrefix("not-") { type.removeFirst(4) }
            switch ScorerKind(rawValue: type) {
            case .similar?: embeddings = true
            case let kind? where kind.isModelGraded: panel = true
            default: break
            }
        }
        return (panel, embeddings)
    }

    /// OpenAI as the judge (the default grader of promptfoo, OpenAI evals and Inspect alike), with
    /// the key read from `OPENAI_API_KEY`.
    static func openAIJudge(panel: Bool, embeddings: Bool, model: String = defaultJudgeModel) -> [(String, PipelineText)]? {
        guard panel || embeddings else { return nil }
        let headers = PipelineText.map([("Authorization", .interpolated("Bearer ${OPENAI_API_KEY}"))])
        var judge: [(String, PipelineText)] = []
        if panel {
            judge += [("url", .literal("https://api.openai.com/v1/chat/completions")), ("model", .literal(model)), ("headers", headers)]
        }
        if embeddings {
            judge.append(
                (
                    "embeddings",
                    .map([
                        ("url", .literal("https://api.openai.com/v1/embeddings")), ("model", .literal(defaultEmbeddingModel)), ("headers", headers),
                    ])
                ))
        }
        return judge
    }

    static let defaultJudgeModel = "gpt-4o"
    static let defaultEmbeddingModel = "text-embedding-3-large"

    /// One JSON object per line.
    static func jsonLines(_ cases: [JSONValue]) -> String {
        cases.map(\.compactJSON).joined(separator: "\n") + (cases.isEmpty ? "" : "\n")
    }
}

/// Small text helpers the importers share.
enum ImportText {
    /// `Customer Support (v2)` → `customer-support-v2`; a name for files, agents and case ids.
    static func slug(_ text: String, fallback: String) -> String {
        var result = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.count > 60 {
            result = String(result.prefix(60))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result.isEmpty ? fallback : result
    }

    /// Names unique within one import: a repeated name gets `-2`, `-3`...
    struct UniqueNames {
        private var used: Set<String> = []

        mutating func claim(_ name: String) -> String {
            var candidate = name
            var counter = 2
            while used.contains(candidate) {
                candidate = "\(name)-\(counter)"
                counter += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    /// Splits a command line into arguments as a POSIX shell would for quoting (no expansion).
    static func shellWords(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\\":
                escaped = true
                inWord = true
            case "\"", "'":
                quote = character
                inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if quote != nil || escaped { return nil }
        if inWord { words.append(current) }
        return words
    }

    /// A regular expression matching any of `texts` literally.
    static func alternation(_ texts: [String]) -> String {
        "(?:" + texts.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|") + ")"
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    /// The text a scalar JSON value stands for in a template.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let text): return text
        case .number, .bool: return value.compactJSON
        case .array, .object: return value.compactJSON
        }
    }
}

extension ImportedPipeline {
    /// The agent of an OpenAI-evals or Inspect import: those tools run a model, so the pipeline
    /// calls one through Chat Completions (OpenAI unless `url` names another compatible server).
    static func chatEndpoint(url: String?, model: String?, variables: inout Set<String>) -> [(String, PipelineText)] {
        var endpoint: [(String, PipelineText)] = [
            ("type", .literal("openai-chat")), ("url", .literal(url ?? "https://api.openai.com/v1/chat/completions")),
            ("model", .literal(model ?? "gpt-4o-mini")),
        ]
        if url == nil {
            variables.insert("OPENAI_API_KEY")
            endpoint.append(("headers", .map([("Authorization", .interpolated("Bearer ${OPENAI_API_KEY}"))])))
        }
        return endpoint
    }
}
