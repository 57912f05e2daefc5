import Foundation
import Yams

/// Converts a promptfoo configuration (`promptfooconfig.yaml`) into evalgate pipelines, one per
/// provider that evalgate can reach, sharing one golden dataset: each test × prompt becomes a case
/// whose input is the prompt rendered with the test's vars, and whose assertions become scorers.
/// Whatever has no exact evalgate equivalent is converted to the nearest scorer or skipped, and
/// either way reported with its place in the promptfoo files. See docs/import.md for the mapping.
public struct PromptfooImporter: Sendable {
    public struct Options: Sendable {
        /// Base name of the pipelines and the dataset; default: the config's folder name.
        public var name: String?
        public var riskTier: Int

        public init(name: String? = nil, riskTier: Int = 1) {
            self.name = name
            self.riskTier = riskTier
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads the config and everything it names. Throws when the config cannot be read, or when
    /// nothing in it could be converted (no provider, or no test with a scorer): no files then.
    public func convert(configPath: String) throws(InvalidInputError) -> ImportResult {
        try PromptfooConversion(source: ImportSource(path: configPath), options: options).run()
    }
}

/// One conversion's state: the diagnostics collected, and the environment variables the output reads.
final class PromptfooConversion {
    let source: ImportSource
    let options: PromptfooImporter.Options
    var diagnostics = DiagnosticsEngine()
    var variables: Set<String> = []
    /// Vars a provider's request template reads (`{{question}}` in an http body): copied into each
    /// case's metadata, where evalgate's `{{metadata.question}}` finds them.
    var providerVars: Set<String> = []
    var warnedAboutCost = false

    init(source: ImportSource, options: PromptfooImporter.Options) {
        self.source = source
        self.options = options
    }

    struct Prompt {
        var label: String
        /// Named by the config (a label or a file name), so case ids can say which prompt they used.
        var named = false
        var text: String?
        var messages: [(role: String, content: String)]?
        var location: SourceLocation
    }

    struct Test {
        var description: String?
        var vars: [String: JSONValue] = [:]
        var asserts: [(JSONValue, SourceLocation)] = []
        var threshold: Double?
        var metadata: [String: JSONValue] = [:]
        var location: SourceLocation
    }

    static let handledKeys: Set<String> = [
        "description", "providers", "targets", "prompts", "tests", "defaultTest", "evaluateOptions", "redteam", "scenarios",
    ]
    /// Keys that only steer promptfoo's own output or sharing: nothing to convert, nothing lost.
    static let irrelevantKeys: Set<String> = ["outputPath", "sharing", "writeLatestResults", "tags", "metadata", "$schema", "tracing"]

    func run() throws(InvalidInputError) -> ImportResult {
        guard let root = try YAMLDocument.load(path: source.absolutePath, displayPath: source.displayPath, limits: .pipeline) else {
            throw InvalidInputError(source.location(line: 1), "the promptfoo config is empty")
        }
        guard case .mapping = root else {
            throw InvalidInputError(source.location(root), "a promptfoo config must be a mapping (providers, prompts, tests...)")
        }
        for (key, keyNode, _) in root.members where !Self.handledKeys.contains(key) && !Self.irrelevantKeys.contains(key) {
            switch key {
            case "env":
                diagnostics.warning(
                    source.location(keyNode), "'env' not converted: evalgate reads variables from its own environment",
                    hint: "export these variables before `evalgate run`")
            case "derivedMetrics":
                diagnostics.warning(source.location(keyNode), "'derivedMetrics' not converted: evalgate has no formula metrics")
            case "nunjucksFilters", "extensions":
                diagnostics.warning(source.location(keyNode), "'\(key)' not converted: evalgate runs no promptfoo JavaScript")
            default:
                diagnostics.warning(source.location(keyNode), "'\(key)' is not a promptfoo option evalgate converts; ignored")
            }
        }
        if let redteam = root.member("redteam") { reportRedteam(redteam) }
        if let scenarios = root.member("scenarios") {
            diagnostics.warning(
                source.location(scenarios), "'scenarios' not converted: evalgate has no scenario matrix",
                hint: "list the scenario's tests under 'tests' to import them")
        }

        let providerNode = root.member("providers") ?? root.member("targets")
        var providers: [ConvertedProvider] = []
        if let providerNode {
            providers = convertProviders(providerNode)
        } else {
            diagnostics.error(source.location(root), "the config names no 'providers'")
        }
        let prompts = loadPrompts(root.member("prompts"), root: root)
        let defaults = root.member("defaultTest").map { readDefaultTest($0) }
        let tests = root.member("tests").map { loadTests($0) } ?? []
        if root.member("tests") == nil { diagnostics.warning(source.location(root), "the config has no 'tests'") }

        // Default scorers without placeholders apply to every case as the pipeline's own `assert`;
        // those with `{{vars}}` are rendered for each case.
        var pipelineScorers: [JSONValue] = []
        var templatedDefaults: [(JSONValue, SourceLocation)] = []
        for (assertion, location) in defaults?.asserts ?? [] {
            if PromptTemplate.hasPlaceholders(assertion) {
                templatedDefaults.append((assertion, location))
            } else {
                pipelineScorers += convertAssertion(assertion, at: location, vars: nil)
            }
        }

        var cases: [JSONValue] = []
        var ids = ImportText.UniqueNames()
        for (index, test) in tests.enumerated() {
            let combinations = expand(test)
            for (combinationIndex, vars) in combinations.enumerated() {
                var merged = defaults?.vars ?? [:]
                merged.merge(vars) { _, own in own }
                var scorers: [JSONValue] = []
                for (assertion, location) in templatedDefaults { scorers += convertAssertion(assertion, at: location, vars: merged) }
                for (assertion, location) in test.asserts { scorers += convertAssertion(assertion, at: location, vars: merged) }
                if scorers.isEmpty && pipelineScorers.isEmpty {
                    if combinationIndex == 0 {
                        diagnostics.warning(
                            test.location,
                            "test \(index + 1)\(test.description.map { " ('\($0)')" } ?? "") skipped: it has no assertion evalgate can score",
                            hint: "a case without scorers could never pass; add an assertion evalgate supports")
                    }
                    continue
                }
                var baseID = ImportText.slug(test.description ?? "", fallback: "test-\(index + 1)")
                if combinations.count > 1 { baseID += "-\(combinationIndex + 1)" }
                for (promptIndex, prompt) in prompts.enumerated() {
                    var id = baseID
                    if prompts.count > 1 {
                        id +=
                            "-" + (prompt.named ? ImportText.slug(prompt.label, fallback: "prompt-\(promptIndex + 1)") : "prompt-\(promptIndex + 1)")
                    }
                    var fields: [String: JSONValue] = ["id": .string(ids.claim(id)), "input": render(prompt, vars: merged, test: test)]
                    if !scorers.isEmpty { fields["assert"] = .array(scorers) }
                    if let threshold = test.threshold ?? defaults?.threshold { fields["threshold"] = .number(threshold) }
                    var metadata = test.metadata
                    if let description = test.description { metadata["description"] = .string(description) }
                    if prompts.count > 1 { metadata["prompt"] = .string(prompt.label) }
                    for name in providerVars.sorted() where metadata[name] == nil { metadata[name] = merged[name] ?? .null }
                    if !metadata.isEmpty { fields["metadata"] = .object(metadata) }
                    cases.append(.object(fields))
                }
            }
        }

        if providers.isEmpty {
            diagnostics.error(
                source.location(providerNode ?? root), "no provider could be converted, so no pipeline can be written; no files written")
        }
        if cases.isEmpty {
            diagnostics.error(source.location(root.member("tests") ?? root), "no test could be converted into a case; no files written")
        }
        if diagnostics.hasErrors { throw InvalidInputError(deduplicated()) }
        return assemble(
            root: root, providers: providers, prompts: prompts, tests: tests.count, cases: cases, pipelineScorers: pipelineScorers, defaults: defaults
        )
    }

    func reportRedteam(_ node: Node) {
        var skipped: [String] = []
        for key in ["plugins", "strategies"] {
            for item in node.member(key)?.items ?? [] {
                if let name = item.scalarText ?? item.member("id")?.scalarText {
                    skipped.append("\(key == "plugins" ? "plugin" : "strategy") '\(name)'")
                }
            }
        }
        diagnostics.warning(
            source.location(node),
            "'redteam' skipped\(skipped.isEmpty ? "" : " (\(skipped.joined(separator: ", ")))"): evalgate does not generate adversarial cases",
            hint: "generate the red-team cases with `promptfoo redteam generate`, then import the resulting config's tests")
    }

    // MARK: Cases

    /// promptfoo runs a test once per value of each list-valued var (every combination).
    func expand(_ test: Test) -> [[String: JSONValue]] {
        var combinations: [[String: JSONValue]] = [[:]]
        for (name, value) in test.vars.sorted(by: { $0.key < $1.key }) {
            if case .array(let values) = value, !values.isEmpty, values.allSatisfy({ $0.arrayValue == nil && $0.objectValue == nil }) {
                combinations = combinations.flatMap { partial in values.map { partial.merging([name: $0]) { $1 } } }
            } else {
                combinations = combinations.map { $0.merging([name: value]) { $1 } }
            }
        }
        if combinations.count > 1000 {
            diagnostics.warning(test.location, "test expands to \(combinations.count) var combinations; only the first 1000 were converted")
            combinations = Array(combinations.prefix(1000))
        }
        return combinations
    }

    func render(_ prompt: Prompt, vars: [String: JSONValue], test: Test) -> JSONValue {
        var unrendered: [String] = []
        defer {
            if !unrendered.isEmpty {
                diagnostics.warning(
                    prompt.location, "prompt '\(prompt.label)': \(Set(unrendered).sorted().joined(separator: ", ")) left as written",
                    hint: "evalgate renders {{var}} and the filters dump, trim, upper, lower, safe; edit the cases' inputs by hand")
            }
        }
        if let messages = prompt.messages {
            return .array(
                messages.map { message in
                    let rendered = PromptTemplate(text: message.content).render(vars)
                    unrendered += rendered.unrendered
                    return .object(["role": .string(message.role), "content": .string(rendered.text)])
                })
        }
        let rendered = PromptTemplate(text: prompt.text ?? "").render(vars)
        unrendered += rendered.unrendered
        return .string(rendered.text)
    }

    // MARK: Output

    func assemble(
        root: Node, providers: [ConvertedProvider], prompts: [Prompt], tests: Int, cases: [JSONValue], pipelineScorers: [JSONValue],
        defaults: DefaultTest?
    ) -> ImportResult {
        let folderName = (source.folder as NSString).lastPathComponent
        let description = root.member("description")?.scalarText
        let base = options.name.map { ImportText.slug($0, fallback: "promptfoo") } ?? ImportText.slug(folderName, fallback: "promptfoo")
        let datasetPath = "golden-datasets/\(base)/cases.jsonl"
        var caseScorers = pipelineScorers
        for item in cases { caseScorers += item["assert"]?.arrayValue ?? [] }
        let needs = ImportedPipeline.judgeNeeds(caseScorers)
        let judgeModel = defaults?.graderModel ?? ImportedPipeline.defaultJudgeModel
        if needs.panel || needs.embeddings { variables.insert("OPENAI_API_KEY") }
        var repeatCount: Int?
        var maxConcurrency: Int?
        if let evaluate = root.member("evaluateOptions") {
            for (key, keyNode, value) in evaluate.members {
                switch key {
                case "repeat": repeatCount = value.scalarText.flatMap { Int($0) }.map { min(max($0, 1), 100) }
                case "maxConcurrency": maxConcurrency = value.scalarText.flatMap { Int($0) }.map { min(max($0, 1), 4096) }
                case "showProgressBar", "cache", "generateSuggestions", "interactiveProviders": break
                default:
                    diagnostics.note(
                        source.location(keyNode), "evaluateOptions.\(key) not converted", hint: "see agent.endpoint (rate_limit, retries, timeout)")
                }
            }
        }

        var names = ImportText.UniqueNames()
        var files: [ImportResult.File] = []
        var pipelines: [String] = []
        let sorted = deduplicated()
        for provider in providers {
            let name = names.claim(providers.count == 1 ? base : "\(base)-\(provider.slug)")
            var endpoint = provider.endpoint
            if let maxConcurrency { endpoint.append(("max_concurrency", .number(Double(maxConcurrency)))) }
            var comments = [
                "Imported from the promptfoo config \(source.displayPath) by `evalgate import promptfoo`.",
                "Provider \(provider.id)\(provider.label.map { " (\($0))" } ?? ""); \(prompts.count) prompt\(prompts.count == 1 ? "" : "s") × \(tests) test\(tests == 1 ? "" : "s") → \(cases.count) case\(cases.count == 1 ? "" : "s") in \(datasetPath).",
            ]
            let caveats = sorted.filter { $0.severity != .error }
            if !caveats.isEmpty {
                comments.append("Not converted exactly (review before relying on this gate):")
                comments += caveats.prefix(40).map { "  \($0.location): \($0.message)" }
                if caveats.count > 40 { comments.append("  ... and \(caveats.count - 40) more (printed by evalgate import)") }
            }
            let pipeline = ImportedPipeline(
                name: name, description: description, agentName: name, riskTier: options.riskTier, endpoint: endpoint,
                datasetPath: "../\(datasetPath)", scorers: pipelineScorers,
                judge: ImportedPipeline.openAIJudge(panel: needs.panel, embeddings: needs.embeddings, model: judgeModel), repeatCount: repeatCount,
                comments: comments)
            let path = "pipelines/\(name).yaml"
            files.append(ImportResult.File(path: path, contents: pipeline.text))
            pipelines.append(path)
        }
        files.append(ImportResult.File(path: datasetPath, contents: ImportedPipeline.jsonLines(cases)))
        return ImportResult(
            files: files, pipelines: pipelines, caseCounts: [datasetPath: cases.count], diagnostics: deduplicated(), variables: variables.sorted())
    }

    /// Each problem once (a default assertion is converted for every case), in file order.
    func deduplicated() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.diagnostics.filter { seen.insert($0).inserted }.sorted {
            ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column)
        }
    }
}
