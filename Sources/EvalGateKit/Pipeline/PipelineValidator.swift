import Foundation

/// Checks a pipeline and everything it refers to: schema, datasets, scorers, tier rules.
/// Collects every problem, so one `evalgate validate` shows them all.
public struct PipelineValidator: Sendable {
    public var loader: PipelineLoader
    public var datasetOptions: DatasetReader.Options

    public init(loader: PipelineLoader = PipelineLoader(), datasetOptions: DatasetReader.Options = DatasetReader.Options()) {
        self.loader = loader
        self.datasetOptions = datasetOptions
    }

    public struct Report: Sendable {
        public var path: String
        public var pipeline: LoadedPipeline?
        public var diagnostics: [Diagnostic]
        public var caseCount: Int
        public var tagCounts: [String: Int]

        public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }
    }

    /// Diagnostics after which a dataset is not read further (its cases are then not all counted).
    public static let maxDiagnostics = 10_000

    /// `cases: false` checks the pipeline and that its datasets exist, but reads no case and checks no
    /// tier rule on them: for `evalgate merge`, whose shards validated the very same dataset bytes
    /// (it compares their hashes), and which must not hold a map of 1,000,000 case ids to do it again.
    public func validate(path: String, cases: Bool = true) -> Report {
        let pipeline: LoadedPipeline
        do {
            pipeline = try loader.load(path: path)
        } catch {
            return Report(path: path, pipeline: nil, diagnostics: error.diagnostics, caseCount: 0, tagCounts: [:])
        }
        var engine = DiagnosticsEngine()
        for diagnostic in pipeline.diagnostics { engine.append(diagnostic) }
        let definition = pipeline.definition
        checkScorerTypes(definition.scorers, pipeline: pipeline, engine: &engine)

        var ids: [String: SourceLocation] = [:]
        var tagCounts: [String: Int] = [:]
        var caseCount = 0
        var reportedDefaultProblems = Set<String>()
        for reference in definition.datasets {
            checkPath(reference, pipelineFile: definition.file, engine: &engine)
            guard cases else { continue }
            let reader = DatasetReader(reference: reference, options: datasetOptions)
            reader.forEach { item in
                switch item {
                case .diagnostic(let diagnostic):
                    engine.append(diagnostic)
                case .goldenCase(let goldenCase):
                    caseCount += 1
                    if let first = ids[goldenCase.id] {
                        engine.error(
                            goldenCase.location, "duplicate case id '\(goldenCase.id)' (first defined at \(first))",
                            hint: "case ids must be unique across all datasets of a pipeline; history pairs runs by id")
                    } else {
                        ids[goldenCase.id] = goldenCase.location
                    }
                    for tag in goldenCase.tags { tagCounts[tag, default: 0] += 1 }
                    check(goldenCase, pipeline: pipeline, engine: &engine, reportedDefaultProblems: &reportedDefaultProblems)
                }
                return engine.diagnostics.count < Self.maxDiagnostics
            }
        }
        if cases { checkTierRules(pipeline, caseCount: caseCount, tagCounts: tagCounts, engine: &engine) }
        return Report(path: path, pipeline: pipeline, diagnostics: engine.diagnostics, caseCount: caseCount, tagCounts: tagCounts)
    }

    func checkScorerTypes(_ specs: [ScorerSpec], pipeline: LoadedPipeline, engine: inout DiagnosticsEngine) {
        for spec in specs where spec.kind?.isModelGraded == true {
            guard let judge = pipeline.definition.judge else {
                engine.error(spec.location, "scorer '\(spec.displayName)' needs a judge model, and the pipeline has no 'judge' section")
                continue
            }
            if spec.kind == .similar && judge.embeddings == nil {
                engine.error(spec.location, "scorer '\(spec.displayName)' needs an embeddings endpoint", hint: "add judge.embeddings: {url, model}")
            } else if spec.kind != .similar && judge.panel.isEmpty {
                engine.error(
                    spec.location, "scorer '\(spec.displayName)' needs a judge model", hint: "add judge.url and judge.model, or a judge.panel")
            }
        }
    }

    func check(_ goldenCase: GoldenCase, pipeline: LoadedPipeline, engine: inout DiagnosticsEngine, reportedDefaultProblems: inout Set<String>) {
        let definition = pipeline.definition
        let specs = definition.scorers + goldenCase.scorers
        if specs.isEmpty {
            engine.error(
                goldenCase.location, "case '\(goldenCase.id)' has no scorers, so it could never pass",
                hint: "add an 'assert' list to the case, or default scorers to the pipeline")
            return
        }
        checkScorerTypes(goldenCase.scorers, pipeline: pipeline, engine: &engine)
        checkConversation(goldenCase, pipeline: pipeline, engine: &engine, reportedDefaultProblems: &reportedDefaultProblems)
        for spec in specs {
            let isDefault = spec.location.file == pipeline.displayPath
            if let problem = ScorerRegistry.validate(spec, expected: goldenCase.expected) {
                if isDefault {
                    let key = "\(spec.location)|\(problem.message)"
                    if reportedDefaultProblems.insert(key).inserted {
                        engine.error(
                            spec.location,
                            "scorer '\(spec.displayName)': \(problem.message) (first seen for case '\(goldenCase.id)' at \(goldenCase.location))",
                            hint: problem.hint)
                    }
                } else {
                    engine.error(goldenCase.location, "case '\(goldenCase.id)', scorer '\(spec.displayName)': \(problem.message)", hint: problem.hint)
                }
            }
            if spec.kind?.readsToolCalls == true && !definition.agent.endpoint.kind.callsTools {
                let key = "tools|\(spec.location)"
                if reportedDefaultProblems.insert(key).inserted {
                    engine.error(
                        isDefault ? spec.location : goldenCase.location,
                        "scorer '\(spec.displayName)' checks tool calls, but '\(definition.agent.endpoint.kind.rawValue)' endpoints report none",
                        hint: "tool scorers need an openai-chat endpoint")
                }
            }
        }
        if !goldenCase.toolFixtures.isEmpty && definition.agent.endpoint.kind.callsTools && definition.agent.endpoint.tools.isEmpty {
            let key = "fixtures-without-tools"
            if reportedDefaultProblems.insert(key).inserted {
                engine.warning(goldenCase.location, "case '\(goldenCase.id)' has tool fixtures, but the endpoint declares no 'tools'")
            }
        }
    }

    /// Dataset paths that leave the project (`../../..`), or symlinks, are allowed but said out loud,
    /// with where they really resolve, so a reviewer of the pipeline sees what is read.
    func checkPath(_ reference: DatasetReference, pipelineFile: String, engine: inout DiagnosticsEngine) {
        let root = ((pipelineFile as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let real = (reference.resolvedPath as NSString).resolvingSymlinksInPath
        let realRoot = (root as NSString).resolvingSymlinksInPath
        // The path as written, before any standardisation (which may already follow links).
        let lexical =
            (reference.path as NSString).isAbsolutePath
            ? reference.path : ((pipelineFile as NSString).deletingLastPathComponent as NSString).appendingPathComponent(reference.path)
        if let type = try? FileManager.default.attributesOfItem(atPath: lexical)[.type] as? FileAttributeType, type == .typeSymbolicLink {
            engine.note(reference.location, "dataset '\(reference.path)' is a symbolic link; it resolves to \(real)")
        }
        if !(real + "/").hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") {
            engine.warning(
                reference.location, "dataset '\(reference.path)' resolves outside the project folder \(realRoot), to \(real)",
                hint: "keep golden datasets in the repository, where changes to them are reviewed")
        }
    }

    func checkTierRules(_ pipeline: LoadedPipeline, caseCount: Int, tagCounts: [String: Int], engine: inout DiagnosticsEngine) {
        let thresholds = pipeline.thresholds
        let location = pipeline.definition.gates.location
        let tier = "tier \(pipeline.tier.level) (\(pipeline.tier.name))"
        for (tag, minimum) in thresholds.coverage.sorted(by: { $0.key < $1.key }) {
            let count = tagCounts[tag] ?? 0
            if count < minimum {
                engine.error(
                    location, "\(tier) needs at least \(minimum) cases tagged '\(tag)', the datasets have \(count)",
                    hint: "add \(minimum - count) more '\(tag)' cases to the golden datasets")
            }
        }
        for tag in thresholds.mustPassTags where (tagCounts[tag] ?? 0) == 0 {
            engine.error(
                location, "\(tier) requires every '\(tag)' case to pass, but no case has that tag",
                hint: "a must-pass tag without cases would pass vacuously")
        }
        if let minimum = thresholds.minCases, caseCount < minimum {
            engine.warning(
                location, "\(tier) needs at least \(minimum) cases for a conclusive verdict, the datasets have \(caseCount)",
                hint: "runs of this pipeline will end inconclusive until more cases are added")
        }
    }
}
