import Foundation
import Yams

/// Converts an Inspect AI sample file (JSON, JSONL or CSV with Inspect's field names: `input`,
/// `target`, `id`, `metadata`...) into a pipeline and a golden dataset, scored the way the chosen
/// Inspect scorer would score them.
public struct InspectImporter: Sendable {
    /// The Inspect scorers evalgate converts.
    public enum Scorer: String, Sendable, CaseIterable {
        case includes
        case match
        case exact
        case modelGradedQA = "model_graded_qa"
        case modelGradedFact = "model_graded_fact"
    }

    public struct Options: Sendable {
        public var scorer: Scorer
        public var name: String?
        public var riskTier: Int
        public var endpoint: String?
        public var model: String?

        public init(scorer: Scorer, name: String? = nil, riskTier: Int = 1, endpoint: String? = nil, model: String? = nil) {
            self.scorer = scorer
            self.name = name
            self.riskTier = riskTier
            self.endpoint = endpoint
            self.model = model
        }
    }

    public var options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The criterion `closed-qa` asks the judge for `model_graded_qa`.
    static let correctnessCriterion = "The answer is correct: it agrees with the reference answer."

    public func convert(samplesPath: String) throws(InvalidInputError) -> ImportResult {
        let source = ImportSource(path: samplesPath)
        var diagnostics = DiagnosticsEngine()
        let samples = try read(source, diagnostics: &diagnostics)
        var cases: [JSONValue] = []
        var ids = ImportText.UniqueNames()
        var reported = Set<String>()
        for (index, sample) in samples.enumerated() {
            var fields = sample.fields
            guard let input = fields.removeValue(forKey: "input"), input != .null else {
                diagnostics.warning(sample.location, "sample skipped: it has no 'input'")
                continue
            }
            let targets: [String]
            switch fields.removeValue(forKey: "target") {
            case .string(let one)?: targets = one.isEmpty ? [] : [one]
            case .array(let many)?: targets = many.map(ImportText.text).filter { !$0.isEmpty }
            case let other? where other != .null: targets = [ImportText.text(of: other)]
            default: targets = []
            }
            if targets.isEmpty {
                diagnostics.warning(sample.location, "sample skipped: it has no 'target', and \(options.scorer.rawValue) compares with it")
                continue
            }
            for key in ["choices", "files", "setup", "sandbox"] {
                if fields.removeValue(forKey: key) != nil, reported.insert(key).inserted {
                    diagnostics.warning(
                        sample.location, "'\(key)' not converted (first seen here)",
                        hint: key == "choices"
                            ? "multiple-choice samples need Inspect's choice scorer, which evalgate lacks"
                            : "evalgate gives the agent no files or sandbox")
                }
            }
            var object: [String: JSONValue] = ["input": Self.normalizedInput(input)]
            let id = fields.removeValue(forKey: "id").map(ImportText.text) ?? "sample-\(index + 1)"
            object["id"] = .string(ids.claim(id.isEmpty ? "sample-\(index + 1)" : id))
            object["expected"] = .string(targets[0])
            object["assert"] = .array(scorers(for: targets))
            var metadata = fields.removeValue(forKey: "metadata")?.objectValue ?? [:]
            for (key, value) in fields { metadata[key] = value }
            if !metadata.isEmpty { object["metadata"] = .object(metadata) }
            cases.append(.object(object))
        }
        if cases.isEmpty {
            diagnostics.error(source.location(line: 1), "no sample could be converted; no files written")
            throw InvalidInputError(diagnostics.diagnostics)
        }
        let location = SourceLocation(file: source.displayPath)
        switch options.scorer {
        case .includes: break
        case .match:
            diagnostics.note(
                location, "match mapped to a case-insensitive regex anchored at the end of the answer, the nearest scorer",
                hint: "Inspect's match also normalises numbers and trailing punctuation")
        case .exact:
            diagnostics.note(
                location, "exact mapped to a case-insensitive equals, the nearest scorer",
                hint: "Inspect's exact also normalises punctuation and whitespace")
        case .modelGradedQA:
            diagnostics.note(
                location, "model_graded_qa mapped to closed-qa with the criterion '\(Self.correctnessCriterion)', the nearest scorer",
                hint: "evalgate's judge prompt differs from Inspect's; review the verdicts of the first run")
        case .modelGradedFact:
            diagnostics.note(
                location, "model_graded_fact mapped to factuality, the nearest scorer",
                hint: "evalgate's factuality passes answers consistent with the target (OpenAI evals' A–E choices)")
        }
        var variables: Set<String> = []
        let base = ImportText.slug(
            options.name ?? ((source.displayPath as NSString).lastPathComponent as NSString).deletingPathExtension, fallback: "inspect")
        let datasetPath = "golden-datasets/\(base)/samples.jsonl"
        let needs = ImportedPipeline.judgeNeeds(cases.flatMap { $0["assert"]?.arrayValue ?? [] })
        if needs.panel || needs.embeddings { variables.insert("OPENAI_API_KEY") }
        let pipeline = ImportedPipeline(
            name: base, agentName: base, riskTier: options.riskTier,
            endpoint: ImportedPipeline.chatEndpoint(url: options.endpoint, model: options.model, variables: &variables),
            datasetPath: "../\(datasetPath)", judge: ImportedPipeline.openAIJudge(panel: needs.panel, embeddings: needs.embeddings),
            comments: [
                "Imported from the Inspect samples \(source.displayPath) (scorer \(options.scorer.rawValue)) by `evalgate import inspect`.",
                "\(cases.count) sample\(cases.count == 1 ? "" : "s") → \(datasetPath).",
            ])
        let path = "pipelines/\(base).yaml"
        return ImportResult(
            files: [
                ImportResult.File(path: path, contents: pipeline.text),
                ImportResult.File(path: datasetPath, contents: ImportedPipeline.jsonLines(cases)),
            ],
            pipelines: [path], caseCounts: [datasetPath: cases.count], diagnostics: diagnostics.diagnostics, variables: variables.sorted())
    }

    func scorers(for targets: [String]) -> [JSONValue] {
        switch options.scorer {
        case .includes:
            if targets.count == 1 { return [["type": "icontains", "value": .string(targets[0])]] }
            return [["type": "contains-any", "value": .array(targets.map { .string($0) }), "case_sensitive": false]]
        case .match:
            return [["type": "regex", "value": .string(ImportText.alternation(targets) + #"[\s.!?,;:"')\]]*\z"#), "flags": "i"]]
        case .exact:
            if targets.count == 1 { return [["type": "equals", "value": .string(targets[0]), "case_sensitive": false]] }
            return [["type": "regex", "value": .string(#"\A\s*"# + ImportText.alternation(targets) + #"\s*\z"#), "flags": "i"]]
        case .modelGradedQA:
            return [["type": "closed-qa", "value": .string(Self.correctnessCriterion)]]
        case .modelGradedFact:
            return [["type": "factuality"]]
        }
    }

    /// Inspect message content may be a list of parts (`{type: text, text: ...}`); evalgate's is text.
    static func normalizedInput(_ input: JSONValue) -> JSONValue {
        guard case .array(let messages) = input else { return input }
        return .array(
            messages.map { message in
                guard case .object(var fields) = message, case .array(let parts)? = fields["content"] else { return message }
                fields["content"] = .string(parts.compactMap { $0["text"]?.stringValue ?? $0.stringValue }.joined(separator: "\n"))
                return .object(fields.filter { ["role", "content"].contains($0.key) })
            })
    }

    struct Sample {
        var fields: [String: JSONValue]
        var location: SourceLocation
    }

    func read(_ source: ImportSource, diagnostics: inout DiagnosticsEngine) throws(InvalidInputError) -> [Sample] {
        switch source.extensionName {
        case "jsonl", "ndjson":
            var samples: [Sample] = []
            for (index, line) in try source.readText(maxBytes: 256 << 20).components(separatedBy: "\n").enumerated()
            where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                if case .object(let fields)? = try? JSONValue(parsing: line) {
                    samples.append(Sample(fields: fields, location: source.location(line: index + 1)))
                } else {
                    diagnostics.warning(source.location(line: index + 1), "sample skipped: not a JSON object")
                }
            }
            return samples
        case "json":
            guard let root = try source.readYAML() else { return [] }
            let list = root.items ?? root.member("samples")?.items ?? []
            if list.isEmpty { diagnostics.warning(source.location(root), "expected a JSON array of samples (or {\"samples\": [...]})") }
            return list.compactMap { node in
                guard case .object(let fields) = source.json(node) else {
                    diagnostics.warning(source.location(node), "sample skipped: not a JSON object")
                    return nil
                }
                return Sample(fields: fields, location: source.location(node))
            }
        case "csv":
            var samples: [Sample] = []
            do {
                var reader = try CSVReader(path: source.absolutePath, maxRecordBytes: 16 << 20)
                guard let header = reader.next(), case .success(let columns) = header.content else { return [] }
                while let record = reader.next() {
                    guard case .success(let values) = record.content else { continue }
                    if values.count == 1 && values[0].isEmpty { continue }
                    var fields: [String: JSONValue] = [:]
                    for (index, column) in columns.enumerated() where index < values.count {
                        let name = column.trimmingCharacters(in: .whitespaces)
                        // A list target is written as a JSON array in its cell.
                        if name == "target", values[index].hasPrefix("["), let list = try? JSONValue(parsing: values[index]), list.arrayValue != nil {
                            fields[name] = list
                        } else if name == "input", values[index].hasPrefix("["), let list = try? JSONValue(parsing: values[index]),
                            list.arrayValue != nil
                        {
                            fields[name] = list
                        } else {
                            fields[name] = .string(values[index])
                        }
                    }
                    samples.append(Sample(fields: fields, location: source.location(line: record.line)))
                }
            } catch let error as InvalidInputError {
                throw error
            } catch {
                throw InvalidInputError(SourceLocation(file: source.displayPath), "cannot read \(source.displayPath): \(error)")
            }
            return samples
        default:
            throw InvalidInputError(
                SourceLocation(file: source.displayPath), "'\(source.displayPath)' is not a JSON, JSONL or CSV sample file",
                hint: "Inspect datasets are read from .json, .jsonl or .csv")
        }
    }
}
