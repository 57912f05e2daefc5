import Foundation
import Yams

/// Converts an OpenAI evals registry file (`evals/registry/evals/NAME.yaml`) into a pipeline and a
/// golden dataset per eval: the eval's class decides the scorer, its `samples_jsonl` the cases.
public struct OpenAIEvalsImporter: Sendable {
    public struct Options: Sendable {
        public var name: String?
        public var riskTier: Int
        /// Convert only this eval (an alias such as `test-match`, or a full id).
        public var eval: String?
        /// Where `samples_jsonl` paths are relative to; default: the registry's `data` folder
        /// (`../data` from the registry file), then the registry file's own folder.
        public var dataFolder: String?
        /// A Chat Completions URL other than OpenAI's, and the model to call.
        public var endpoint: String?
        public var model: String?

        public init(
            name: String? = nil, riskTier: Int = 1, eval: String? = nil, dataFolder: String? = nil, endpoint: String? = nil, model: String? = nil
        ) {
            self.name = name
            self.riskTier = riskTier
            self.eval = eval
            self.dataFolder = dataFolder
            self.endpoint = endpoint
            self.model = model
        }
    }

    /// The eval classes evalgate converts, by the name after `:` in `class`.
    public static let supportedClasses = ["Match", "Includes", "FuzzyMatch", "JsonMatch", "ModelBasedClassify"]

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func convert(registryPath: String) throws(InvalidInputError) -> ImportResult {
        let source = ImportSource(path: registryPath)
        guard let root = try YAMLDocument.load(path: source.absolutePath, displayPath: source.displayPath, limits: .pipeline) else {
            throw InvalidInputError(source.location(line: 1), "the registry file is empty")
        }
        guard case .mapping = root else {
            throw InvalidInputError(source.location(root), "an evals registry file is a mapping of eval names to their specs")
        }
        var diagnostics = DiagnosticsEngine()
        var variables: Set<String> = []
        var specs: [(name: String, node: Node, description: String?)] = []
        var claimed = Set<String>()
        let entries = root.members
        func spec(named name: String) -> Node? { entries.first { $0.key == name && $0.value.member("class") != nil }?.value }
        for (key, keyNode, value) in entries {
            if let wanted = options.eval, key != wanted { continue }
            if let id = value.member("id")?.scalarText {
                guard let target = spec(named: id) else {
                    diagnostics.warning(source.location(keyNode), "eval '\(key)' skipped: its id '\(id)' names no spec with a 'class' in this file")
                    continue
                }
                if claimed.insert(id).inserted { specs.append((key, target, value.member("description")?.scalarText)) }
            } else if value.member("class") != nil {
                let aliased = entries.contains { $0.value.member("id")?.scalarText == key }
                if (!aliased || options.eval == key) && claimed.insert(key).inserted { specs.append((key, value, nil)) }
            } else {
                diagnostics.warning(source.location(keyNode), "'\(key)' skipped: neither an eval (with 'id') nor a spec (with 'class')")
            }
        }
        if let wanted = options.eval, specs.isEmpty, !entries.contains(where: { $0.key == wanted }) {
            throw InvalidInputError(
                source.location(root), "no eval named '\(wanted)' in \(source.displayPath)",
                hint: "evals in the file: \(entries.map(\.key).joined(separator: ", "))")
        }

        var files: [ImportResult.File] = []
        var pipelines: [String] = []
        var caseCounts: [String: Int] = [:]
        var names = ImportText.UniqueNames()
        for (name, node, description) in specs {
            guard let converted = convert(spec: node, named: name, source: source, diagnostics: &diagnostics) else { continue }
            let slug = names.claim(
                specs.count == 1 && options.name != nil
                    ? ImportText.slug(options.name!, fallback: "openai-evals") : ImportText.slug(name, fallback: "eval"))
            let datasetPath = "golden-datasets/\(slug)/samples.jsonl"
            let needs = ImportedPipeline.judgeNeeds(converted.cases.flatMap { $0["assert"]?.arrayValue ?? [] })
            if needs.panel || needs.embeddings { variables.insert("OPENAI_API_KEY") }
            let pipeline = ImportedPipeline(
                name: slug, description: description, agentName: slug, riskTier: options.riskTier,
                endpoint: ImportedPipeline.chatEndpoint(url: options.endpoint, model: options.model, variables: &variables),
                datasetPath: "../\(datasetPath)", judge: ImportedPipeline.openAIJudge(panel: needs.panel, embeddings: needs.embeddings),
                comments: [
                    "Imported from the OpenAI evals registry \(source.displayPath) (eval '\(name)', class \(converted.className)) by `evalgate import openai-evals`.",
                    "\(converted.cases.count) sample\(converted.cases.count == 1 ? "" : "s") from \(converted.samples) → \(datasetPath).",
                ] + converted.caveats)
            let path = "pipelines/\(slug).yaml"
            files.append(ImportResult.File(path: path, contents: pipeline.text))
            files.append(ImportResult.File(path: datasetPath, contents: ImportedPipeline.jsonLines(converted.cases)))
            pipelines.append(path)
            caseCounts[datasetPath] = converted.cases.count
        }
        if pipelines.isEmpty {
            diagnostics.error(source.location(root), "no eval could be converted; no files written")
            throw InvalidInputError(diagnostics.diagnostics)
        }
        return ImportResult(
            files: files, pipelines: pipelines, caseCounts: caseCounts, diagnostics: diagnostics.diagnostics, variables: variables.sorted())
    }

    struct ConvertedEval {
        var className: String
        var samples: String
        var cases: [JSONValue]
        var caveats: [String]
    }

    func convert(spec node: Node, named name: String, source: ImportSource, diagnostics: inout DiagnosticsEngine) -> ConvertedEval? {
        let classNode = node.member("class")
        let classPath = classNode?.scalarText ?? ""
        let className = classPath.split(separator: ":").last.map(String.init) ?? classPath
        let location = source.location(classNode)
        guard Self.supportedClasses.contains(className) else {
            diagnostics.warning(
                location, "eval '\(name)' skipped: unknown evals class '\(classPath)'",
                hint: "evalgate converts \(Self.supportedClasses.joined(separator: ", ")); custom eval classes are Python it does not run")
            return nil
        }
        let args = node.member("args")
        guard let samplesNode = args?.member("samples_jsonl"), let samplesPath = samplesNode.scalarText else {
            diagnostics.warning(source.location(args ?? node), "eval '\(name)' skipped: it has no args.samples_jsonl")
            return nil
        }
        var candidates: [ImportSource] = []
        if let dataFolder = options.dataFolder {
            candidates.append(ImportSource(path: (dataFolder as NSString).appendingPathComponent(samplesPath)))
        }
        candidates.append(source.relative("../data/\(samplesPath)"))
        candidates.append(source.relative(samplesPath))
        guard let samplesFile = candidates.first(where: { FileManager.default.fileExists(atPath: $0.absolutePath) }) else {
            diagnostics.warning(
                source.location(samplesNode), "eval '\(name)' skipped: samples '\(samplesPath)' not found",
                hint: "looked in \(candidates.map(\.displayPath).joined(separator: ", ")); pass --data with the registry's data folder")
            return nil
        }

        var caveats: [String] = []
        func note(_ message: String, hint: String) {
            diagnostics.note(location, message, hint: hint)
            caveats.append("\(location): \(message)")
        }
        var criteria: [(String, String)] = []
        var graded: ScorerKind?
        let ignoreCase = args?.member("ignore_case")?.scalarText?.lowercased() == "true"
        switch className {
        case "FuzzyMatch":
            note(
                "FuzzyMatch mapped to contains-any (case-insensitive), the nearest scorer",
                hint:
                    "FuzzyMatch also strips punctuation and articles and accepts an answer contained in the ideal; evalgate checks that the answer contains an ideal, ignoring case"
            )
        case "JsonMatch":
            note(
                "JsonMatch mapped to equals on the parsed JSON; with several ideals only the first is kept",
                hint: "evalgate's equals compares JSON values when the expected value is JSON")
        case "ModelBasedClassify":
            let specName = args?.member("modelgraded_spec")?.scalarText ?? ""
            switch specName {
            case "fact":
                graded = .factuality
            case "closedqa":
                graded = .closedQA
                // `criteria: "correctness: Is the answer right?"`, or a mapping of names to questions.
                let criteriaNode = args?.member("modelgraded_spec_args")?.member("criteria")
                if let text = criteriaNode?.scalarText {
                    if let colon = text.range(of: ": ") {
                        criteria.append((String(text[..<colon.lowerBound]), String(text[colon.upperBound...])))
                    } else {
                        criteria.append(("criterion", text))
                    }
                }
                for (key, _, value) in criteriaNode?.members ?? [] {
                    criteria.append((key, value.scalarText ?? key))
                }
                if criteria.isEmpty {
                    criteria = [("correctness", "Is the submission correct, given the expert answer?")]
                    note("closedqa without criteria: the criterion is correctness", hint: "add modelgraded_spec_args.criteria to name yours")
                }
            default:
                diagnostics.warning(
                    location, "eval '\(name)' skipped: model-graded spec '\(specName)' has no evalgate equivalent",
                    hint: "evalgate converts the specs fact (factuality) and closedqa (closed-qa); write an llm-rubric for others")
                return nil
            }
            if let evalType = args?.member("eval_type")?.scalarText, evalType != "cot_classify" {
                note("eval_type '\(evalType)' not kept: evalgate's judge prompt is its own", hint: "judges reason before answering in evalgate")
            }
        default:
            break
        }

        let text: String
        do {
            text = try samplesFile.readText(maxBytes: 256 << 20)
        } catch {
            diagnostics.warning(source.location(samplesNode), "eval '\(name)' skipped: \(error.diagnostics.first?.message ?? "cannot read samples")")
            return nil
        }
        var cases: [JSONValue] = []
        let slug = ImportText.slug(name, fallback: "eval")
        for (index, line) in text.components(separatedBy: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let lineLocation = samplesFile.location(line: index + 1)
            guard let sample = try? JSONValue(parsing: line), case .object(var fields) = sample else {
                diagnostics.warning(lineLocation, "sample skipped: not a JSON object")
                continue
            }
            guard let input = fields.removeValue(forKey: "input") else {
                diagnostics.warning(lineLocation, "sample skipped: it has no 'input'")
                continue
            }
            let ideal = fields.removeValue(forKey: "ideal")
            let ideals: [String]
            switch ideal {
            case .string(let one)?: ideals = [one]
            case .array(let many)?: ideals = many.map(ImportText.text)
            case .number?, .bool?: ideals = [ImportText.text(of: ideal!)]
            default: ideals = []
            }
            if ideals.isEmpty || ideals.allSatisfy(\.isEmpty) {
                diagnostics.warning(lineLocation, "sample skipped: it has no 'ideal' answer")
                continue
            }
            var scorers: [JSONValue] = []
            switch className {
            case "Match":
                if ideals.count == 1 {
                    scorers = [["type": "starts-with", "value": .string(ideals[0])]]
                } else {
                    scorers = [["type": "regex", "value": .string(#"\A\s*"# + ImportText.alternation(ideals))]]
                }
            case "Includes":
                if ideals.count == 1 {
                    scorers = [["type": .string(ignoreCase ? "icontains" : "contains"), "value": .string(ideals[0])]]
                } else {
                    var scorer: [String: JSONValue] = ["type": "contains-any", "value": .array(ideals.map { .string($0) })]
                    if ignoreCase { scorer["case_sensitive"] = false }
                    scorers = [.object(scorer)]
                }
            case "FuzzyMatch":
                scorers = [["type": "contains-any", "value": .array(ideals.map { .string($0) }), "case_sensitive": false]]
            case "JsonMatch":
                guard let parsed = try? JSONValue(parsing: ideals[0]) else {
                    diagnostics.warning(lineLocation, "sample skipped: its ideal is not JSON")
                    continue
                }
                scorers = [["type": "equals", "value": parsed]]
            default:
                if graded == .factuality {
                    scorers = [["type": "factuality"]]
                } else {
                    scorers = criteria.map { criterion -> JSONValue in
                        ["type": "closed-qa", "value": .string(criterion.1), "metric": .string(criterion.0)]
                    }
                }
            }
            var object: [String: JSONValue] = ["id": .string("\(slug)-\(index + 1)"), "input": input, "assert": .array(scorers)]
            object["expected"] = .string(ideals[0])
            if !fields.isEmpty { object["metadata"] = .object(fields) }
            cases.append(.object(object))
        }
        if cases.isEmpty {
            diagnostics.warning(source.location(samplesNode), "eval '\(name)' skipped: no sample in \(samplesFile.displayPath) could be converted")
            return nil
        }
        return ConvertedEval(className: className, samples: samplesFile.displayPath, cases: cases, caveats: caveats)
    }
}
