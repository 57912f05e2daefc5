import ArgumentParser
import Foundation
import Logging
import ReferenceAgentKit

/// Starts the reference agent: an HTTP server by default, or one case on standard input with `--stdio`.
struct ReferenceAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evalgate-reference-agent",
        abstract: "Rule-based example agents (refund-agent, triage-agent, kb-agent) for evalgate demos, tests and benchmarks.",
        discussion: """
            Endpoints: POST /v1/chat/completions and POST /v1/responses (model refund-agent, refund-conversation-agent, kb-agent, or customer-simulator, the stand-in user model; also \
            /openai/deployments/NAME/chat/completions), POST /api/triage, GET /healthz, GET /stats, DELETE /stats.
            The X-Agent-Version request header picks the version; a regressed version behaves like the bad release \
            candidate. Per request faults: X-Fault: 500|503|429|malformed|truncated|hang|slow-drip|huge|reset, with \
            X-Fault-Count: N and X-Fault-Key: KEY to fault only the first N requests.
            With --stdio, reads one case as JSON from standard input and writes the answer to standard output; \
            REFERENCE_AGENT_FAULT=crash|hang|garbage|stderr-flood makes it misbehave.
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "Write the bound port to this file once listening.")
    var portFile: String?

    @Option(name: .customLong("latency-ms"), help: "Fixed latency added to every agent response, in milliseconds.")
    var latencyMilliseconds: Int?

    @Option(name: .customLong("latency-jitter-ms"), help: "Uniform random extra latency of up to this many milliseconds.")
    var latencyJitterMilliseconds: Int?

    @Option(help: "Share of agent requests answered with 500 (0 to 1).")
    var errorRate: Double?

    @Option(help: "Answer every Nth agent request with 429 and Retry-After: 1.")
    var rateLimitEvery: Int?

    @Option(help: "Share of agent requests answered with a body that is not JSON (0 to 1).")
    var malformedRate: Double?

    @Option(help: "Share of agent requests never answered (0 to 1).")
    var hangRate: Double?

    @Option(help: "Share of agent requests whose body is cut short (0 to 1).")
    var truncateRate: Double?

    @Option(help: "Seed for the random faults and the jitter.")
    var seed: UInt64?

    @Option(
        name: .customLong("regressed-version"),
        help:
            "An X-Agent-Version that behaves regressed; repeatable (default: \(ReferenceAgentConfiguration.defaultRegressedVersions.joined(separator: ", ")))."
    )
    var regressedVersions: [String] = []

    @Flag(help: "Behave as the regressed release candidate for every request, whatever its X-Agent-Version (a regressed build deployed).")
    var regressed = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "warning"

    @Flag(help: "Answer one case from standard input instead of serving HTTP.")
    var stdio = false

    @Option(help: "With --stdio: the agent that answers (kb-agent or triage-agent).")
    var agent = "kb-agent"

    @Option(help: "With --stdio: the agent version (default: the AGENT_VERSION environment variable).")
    var agentVersion: String?

    func validate() throws {
        for (name, rate) in [
            ("--error-rate", errorRate), ("--malformed-rate", malformedRate), ("--hang-rate", hangRate),
            ("--truncate-rate", truncateRate),
        ] {
            if let rate, !(0...1).contains(rate) { throw ValidationError("\(name) must be between 0 and 1, got \(rate)") }
        }
        let total = [errorRate, malformedRate, hangRate, truncateRate].compactMap { $0 }.reduce(0, +)
        if total > 1 { throw ValidationError("the fault rates add up to \(total); together they can be at most 1") }
        if let rateLimitEvery, rateLimitEvery < 1 { throw ValidationError("--rate-limit-every must be at least 1") }
        if let latencyMilliseconds, latencyMilliseconds < 0 { throw ValidationError("--latency-ms cannot be negative") }
        if let latencyJitterMilliseconds, latencyJitterMilliseconds < 0 {
            throw ValidationError("--latency-jitter-ms cannot be negative")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        var configuration = ReferenceAgentConfiguration()
        if let latencyMilliseconds { configuration.latency = .milliseconds(latencyMilliseconds) }
        if let latencyJitterMilliseconds { configuration.latencyJitter = .milliseconds(latencyJitterMilliseconds) }
        if let errorRate { configuration.errorRate = errorRate }
        configuration.rateLimitEvery = rateLimitEvery
        if let malformedRate { configuration.malformedRate = malformedRate }
        if let hangRate { configuration.hangRate = hangRate }
        if let truncateRate { configuration.truncateRate = truncateRate }
        if let seed { configuration.seed = seed }
        if !regressedVersions.isEmpty { configuration.regressedVersions = regressedVersions }
        configuration.regressedForEveryVersion = regressed

        if stdio {
            try await answerFromStandardInput(configuration)
            return
        }

        var logger = Logger(label: "evalgate-reference-agent")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .warning
        let portFile = self.portFile
        try await ReferenceAgentServer.run(configuration: configuration, host: host, port: port, logger: logger) {
            boundPort in
            if let portFile {
                writePortFile(portFile, port: boundPort)
            }
            // Written straight to the file descriptor: scripts wait for this line, and stdout may be a pipe.
            let shownHost = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardOutput.write(Data("evalgate-reference-agent listening on http://\(shownHost):\(boundPort)\n".utf8))
        }
    }

    private func answerFromStandardInput(_ configuration: ReferenceAgentConfiguration) async throws {
        let fault = ProcessInfo.processInfo.environment["REFERENCE_AGENT_FAULT"]
        switch fault {
        case "crash":
            FileHandle.standardError.write(Data("fatal error: simulated crash (REFERENCE_AGENT_FAULT=crash)\n".utf8))
            // Die by SIGABRT at once: Swift's crash backtracer would otherwise symbolicate first,
            // which takes seconds on a loaded machine and turned this crash into a timeout.
            signal(SIGABRT, SIG_DFL)
            abort()
        case "hang":
            try await Task.sleep(for: .seconds(3600))
        case "garbage":
            FileHandle.standardOutput.write(Data("%%% this is not JSON: <answer>42</answer> %%%\n".utf8))
            return
        case "stderr-flood":
            // 8 MiB: far more than a pipe buffer, so a runner that doesn't drain stderr deadlocks.
            let line = Data(String(repeating: "debug: flooding stderr ", count: 4).appending("\n").utf8)
            var flood = Data()
            while flood.count < 8 << 20 { flood.append(line) }
            FileHandle.standardError.write(flood)
        case nil, "":
            break
        case let other?:
            throw ValidationError("unknown REFERENCE_AGENT_FAULT '\(other)'; expected crash, hang, garbage or stderr-flood")
        }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let version = agentVersion ?? ProcessInfo.processInfo.environment["AGENT_VERSION"]
        let regressed = configuration.isRegressed(version: version)
        if regressed { try await Task.sleep(for: configuration.regressedExtraLatency) }
        do {
            let output = try ReferenceAgentStdio.answer(caseJSON: input, agent: agent, regressed: regressed)
            FileHandle.standardOutput.write(output)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } catch {
            FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// Writes the port next to the target and renames it into place, so that a reader never sees a half file.
private func writePortFile(_ path: String, port: Int) {
    let temporary = path + ".tmp-\(getpid())"
    do {
        try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, path)
    } catch {
        FileHandle.standardError.write(Data("warning: could not write --port-file \(path): \(error)\n".utf8))
    }
}
