import ArgumentParser
import EvalGateKit
import Foundation

extension EndpointDefinition.Kind: ExpressibleByArgument {}

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Probe an agent's endpoint, then write a commented pipeline, a starter dataset and the tier policy.",
        discussion: """
            Writes DIR/pipelines/NAME.yaml, DIR/golden-datasets/NAME/cases.jsonl (example cases to replace) and \
            DIR/pipelines/tiers.yaml when there is none, then validates the pipeline. On a terminal it asks for what \
            the flags leave out; otherwise (or with --non-interactive) it uses the flags and their defaults. Nothing \
            is written when the endpoint does not answer, and no file is replaced without --force.
            Exit codes: 0 written and valid, 3 files in the way or the pipeline does not validate, 4 the endpoint \
            could not be used, 64 usage error.
            """
    )

    @Argument(help: "The project folder (created if needed).")
    var directory: String = "."

    @Option(
        help:
            "The agent's URL (openai-chat: base, /v1 or full chat-completions URL; openai-responses: base, /v1 or full responses URL; a2a: the agent's JSON-RPC URL), or the command line for --type command."
    )
    var endpoint: String?

    @Option(name: .customLong("type"), help: "Endpoint type: openai-chat, openai-responses, a2a, http or command.")
    var kind: EndpointDefinition.Kind?

    @Option(help: "The model (openai-chat, openai-responses; default: the first model the endpoint lists).")
    var model: String?

    @Option(help: "Risk tier, 1 (internal) to 3 (external, high risk) in the default policy.")
    var tier: Int?

    @Option(help: "Agent name, also the pipeline's file name (default: the model, or the folder's name).")
    var name: String?

    @Option(name: .customLong("agent-version"), help: "Version a run gates when AGENT_VERSION is not set.")
    var agentVersion: String?

    @Option(help: "Prices per 1,000 input and output tokens, as INPUT,OUTPUT (e.g. 0.00015,0.0006); without them cost is unknown.")
    var pricing: String?

    @Option(name: .customLong("api-key-env"), help: "Variable holding the API key, sent as 'Authorization: Bearer ${VAR}' when set.")
    var apiKeyVariable = "AGENT_API_KEY"

    @Option(name: .customLong("input-key"), help: "http: the body key the case input is sent in.")
    var inputKey = "input"

    @Option(name: .customLong("answer"), help: "http, command: JSON Pointer to the answer in the response (default: found by the probe).")
    var answerPointer: String?

    @Flag(help: "Never ask; use the flags and their defaults (the default when standard input is not a terminal).")
    var nonInteractive = false

    @Flag(help: "Replace files that exist.")
    var force = false

    func run() async throws {
        let interactive = !nonInteractive && isatty(STDIN_FILENO) == 1
        var kind = self.kind ?? .openAIChat
        var endpoint = self.endpoint
        var tier = self.tier
        var pricing = self.pricing
        if interactive {
            if self.kind == nil {
                kind = try await ask("Endpoint type (openai-chat, openai-responses, a2a, http, command)", default: kind.rawValue) {
                    EndpointDefinition.Kind(rawValue: $0)
                }
            }
            if endpoint == nil {
                let example = kind == .command ? "python3 agent.py" : "http://127.0.0.1:8080"
                let answer: String = try await ask(kind == .command ? "Command" : "Endpoint URL", default: example) { $0.isEmpty ? nil : $0 }
                endpoint = answer
            }
            if tier == nil {
                let answer: Int = try await ask("Risk tier (1 internal, 2 internal actions, 3 external high-risk)", default: "1") { Int($0) }
                tier = answer
            }
            if pricing == nil {
                let answer: String = try await ask("Prices per 1,000 input,output tokens (empty: unknown)", default: "") { $0 }
                pricing = answer.isEmpty ? nil : answer
            }
        }
        guard let endpoint else { throw ValidationError("give the agent's endpoint with --endpoint URL (or the command line with --type command)") }
        var request = OnboardingRequest(
            directory: directory, name: name ?? "agent", kind: kind, endpoint: endpoint, model: model, tier: tier ?? 1,
            agentVersion: agentVersion ?? "1.0.0", pricing: try Self.prices(pricing), apiKeyVariable: apiKeyVariable, inputKey: inputKey,
            answerPointer: answerPointer, force: force)
        do {
            try Onboarding.check(request)
        } catch {
            throw ValidationError(error.localizedDescription)
        }

        let finding: EndpointProbe.Finding
        do throws(OnboardingError) {
            finding = try await Onboarding(request: request).probeEndpoint()
        } catch {
            printError("error: \(error.localizedDescription)")
            throw Self.status(for: error).code
        }
        print("Probed \(finding.url)\(finding.model.map { " (model \($0))" } ?? ""): it answered \"\(finding.answer)\".")
        for note in finding.notes { printError("note: \(note)") }

        var suggested = name ?? finding.model ?? Self.folderName(directory)
        if !OnboardingRequest.isValidName(suggested) { suggested = "agent" }
        request.name = suggested
        if interactive, name == nil {
            request.name = try await ask("Agent name", default: suggested) { OnboardingRequest.isValidName($0) ? $0 : nil }
        }
        request.model = finding.model

        let onboarding = Onboarding(request: request)
        let outcome: Onboarding.Outcome
        do {
            let finding = finding
            outcome = try await onOwnThread { () throws(OnboardingError) -> Onboarding.Outcome in try onboarding.write(finding) }
        } catch let error as OnboardingError {
            printError("error: \(error.localizedDescription)")
            throw Self.status(for: error).code
        }
        let dataset = StarterFiles.datasetPath(name: request.name)
        for path in outcome.written {
            let note = path == dataset ? " (10 example cases: replace them with your own golden cases)" : ""
            print("Wrote \(onboarding.display(path))\(note)")
        }
        if let kept = outcome.keptTierPolicy { print("Kept \(onboarding.display(kept)); tier \(request.tier) comes from it.") }
        fflush(nil)
        for diagnostic in outcome.validation.diagnostics { printError(diagnostic.description) }
        guard outcome.validation.isValid else {
            printError("error: the pipeline written to \(onboarding.display(outcome.pipelinePath)) does not validate (see above)")
            throw ExitStatus.invalidInput.code
        }
        print("\(onboarding.display(outcome.pipelinePath)): valid, \(outcome.validation.caseCount) cases")
        print("")
        print("Next:")
        if directory != "." { print("  cd \(directory)") }
        print("  evalgate run \(outcome.pipelinePath)")
        print("  evalgate deploy record \(request.name) \(request.agentVersion) --environment production   # from your deploy step")
        print("  # CI: a step `uses: OWNER/evalgate@v1` with `pipeline: \(outcome.pipelinePath)` (action.yml, docs/ci.md)")
    }

    /// `INPUT,OUTPUT` prices per 1,000 tokens.
    static func prices(_ text: String?) throws -> (input: String, output: String)? {
        guard let text else { return nil }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else {
            throw ValidationError("--pricing: write the prices per 1,000 input and output tokens as INPUT,OUTPUT, e.g. 0.00015,0.0006")
        }
        return (parts[0], parts[1])
    }

    static func folderName(_ directory: String) -> String {
        let absolute = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return absolute.standardizedFileURL.lastPathComponent
    }

    static func status(for error: OnboardingError) -> ExitStatus {
        switch error {
        case .invalidSetting: .usage
        case .wouldOverwrite, .generatedPipelineInvalid: .invalidInput
        case .unreachable, .needsKey, .notOpenAICompatible, .endpointFailed, .modelRequired, .unknownModel, .noAnswer, .commandFailed: .cannotRun
        }
    }

    /// Asks on the terminal until `parse` accepts the answer; an empty answer takes the default.
    func ask<T: Sendable>(_ question: String, default value: String, _ parse: @escaping @Sendable (String) -> T?) async throws -> T {
        while true {
            let shown = value.isEmpty ? "" : " [\(value)]"
            let line = try await onOwnThread { () -> String? in
                print("\(question)\(shown): ", terminator: "")
                fflush(nil)
                return readLine()
            }
            guard let line else { throw ValidationError("no answer to '\(question)' (end of input)") }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if let parsed = parse(answer.isEmpty ? value : answer) { return parsed }
            print("  '\(answer)' is not an answer to that; try again.")
        }
    }
}
