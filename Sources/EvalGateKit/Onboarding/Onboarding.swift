import Foundation

/// Sets up a project for one agent: probes its endpoint, then writes a commented pipeline, a starter
/// dataset and (when there is none) the tier policy, and validates the result.
///
/// Nothing is written unless the endpoint answered and no file would be replaced (or `force` is
/// set): a failed `evalgate init` leaves the folder as it was.
public struct Onboarding: Sendable {
    /// A file to write, relative to the project folder.
    public struct PlannedFile: Sendable, Equatable {
        public var path: String
        public var contents: String
    }

    /// What was written, and whether it validates.
    public struct Outcome: Sendable {
        public var finding: EndpointProbe.Finding
        /// Paths written, relative to the project folder, in the order written.
        public var written: [String]
        /// An existing tier policy that was kept (the pipeline uses it).
        public var keptTierPolicy: String?
        /// The pipeline, relative to the project folder.
        public var pipelinePath: String
        public var validation: PipelineValidator.Report
    }

    public var request: OnboardingRequest
    public var probe: EndpointProbe

    public init(request: OnboardingRequest, probe: EndpointProbe = EndpointProbe()) {
        self.request = request
        self.probe = probe
    }

    /// Checks the flags a probe cannot: the name, the tier, prices and the key variable's name.
    public static func check(_ request: OnboardingRequest) throws(OnboardingError) {
        guard OnboardingRequest.isValidName(request.name) else {
            throw .invalidSetting("--name: '\(request.name)' is not usable as an agent and file name; use letters, digits, '.', '_' and '-'")
        }
        guard (1...9).contains(request.tier) else { throw .invalidSetting("--tier: \(request.tier) is not a risk tier (1 to 9)") }
        if let pricing = request.pricing, !OnboardingRequest.isValidPrice(pricing.input) || !OnboardingRequest.isValidPrice(pricing.output) {
            throw .invalidSetting("--pricing: write the prices per 1,000 input and output tokens as INPUT,OUTPUT, e.g. 0.00015,0.0006")
        }
        guard request.apiKeyVariable.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            throw .invalidSetting("--api-key-env: '\(request.apiKeyVariable)' is not a variable name")
        }
        if let pointer = request.answerPointer, !pointer.isEmpty, !pointer.hasPrefix("/") {
            throw .invalidSetting("--answer: '\(pointer)' is not a JSON Pointer; it starts with '/', e.g. /output/text")
        }
        guard request.agentVersion.range(of: "^[A-Za-z0-9][A-Za-z0-9._+-]*$", options: .regularExpression) != nil else {
            throw .invalidSetting("--agent-version: '\(request.agentVersion)' is not a version (e.g. 1.0.0)")
        }
    }

    /// Probes the endpoint as the request describes it.
    public func probeEndpoint() async throws(OnboardingError) -> EndpointProbe.Finding {
        switch request.kind {
        case .openAIChat:
            return try await probe.probeOpenAIChat(endpoint: request.endpoint, model: request.model, apiKeyVariable: request.apiKeyVariable)
        case .openAIResponses:
            return try await probe.probeOpenAIResponses(endpoint: request.endpoint, model: request.model, apiKeyVariable: request.apiKeyVariable)
        case .http:
            return try await probe.probeHTTP(
                url: request.endpoint, inputKey: request.inputKey, answerPointer: request.answerPointer, apiKeyVariable: request.apiKeyVariable)
        case .a2a:
            return try await probe.probeA2A(endpoint: request.endpoint, apiKeyVariable: request.apiKeyVariable)
        case .command:
            return try await probe.probeCommand(argv: OnboardingRequest.argv(request.endpoint), answerPointer: request.answerPointer)
        }
    }

    /// The files for a finding, and the tier policy kept when one exists.
    public func plan(_ finding: EndpointProbe.Finding) -> (files: [PlannedFile], keptTierPolicy: String?) {
        let tiersFile = path(StarterFiles.tiersPath)
        let keep = FileManager.default.fileExists(atPath: tiersFile)
        let policy: TierPolicy? =
            keep ? (try? TierPolicyLoader.load(path: tiersFile, displayPath: StarterFiles.tiersPath)) : TierPolicyLoader.builtIn()
        var files = [
            PlannedFile(
                path: StarterFiles.pipelinePath(name: request.name),
                contents: StarterFiles.pipeline(request, finding: finding, tierName: policy?.tiers[request.tier]?.name)),
            PlannedFile(path: StarterFiles.datasetPath(name: request.name), contents: StarterFiles.dataset()),
        ]
        if !keep { files.append(PlannedFile(path: StarterFiles.tiersPath, contents: TierPolicy.defaultYAML)) }
        return (files, keep ? StarterFiles.tiersPath : nil)
    }

    /// Probes, plans, writes (all files or none) and validates.
    public func run() async throws(OnboardingError) -> Outcome {
        try Self.check(request)
        let finding = try await probeEndpoint()
        return try write(finding)
    }

    /// Writes the planned files for a finding and validates the pipeline.
    public func write(_ finding: EndpointProbe.Finding) throws(OnboardingError) -> Outcome {
        let (files, kept) = plan(finding)
        let existing = files.map(\.path).filter { FileManager.default.fileExists(atPath: path($0)) }
        if !existing.isEmpty, !request.force { throw .wouldOverwrite(existing.map(display)) }
        for file in files {
            let target = path(file.path)
            do {
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
            } catch {
                throw .invalidSetting("could not write \(display(file.path)): \(error.localizedDescription)")
            }
        }
        let pipeline = StarterFiles.pipelinePath(name: request.name)
        let report = PipelineValidator().validate(path: path(pipeline))
        return Outcome(finding: finding, written: files.map(\.path), keptTierPolicy: kept, pipelinePath: pipeline, validation: report)
    }

    func path(_ relative: String) -> String { (request.directory as NSString).appendingPathComponent(relative) }

    /// A path as the user would type it from where they ran init.
    public func display(_ relative: String) -> String {
        request.directory == "." ? relative : path(relative)
    }
}
