import ArgumentParser
import EvalGateKit
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Synchronization
import Tracing

/// `--otlp-endpoint` on `run` and `sweep`.
struct TraceOptions: ParsableArguments {
    @Option(
        name: .customLong("otlp-endpoint"),
        help: ArgumentHelp(
            "Send the run's traces over OTLP/HTTP to this collector (v1/traces is appended). Default: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or $OTEL_EXPORTER_OTLP_ENDPOINT.",
            valueName: "URL"))
    var otlpEndpoint: String?

    func validate() throws {
        do { _ = try OTLPEndpoint.resolve(flag: otlpEndpoint, environment: [:]) } catch { throw ValidationError(error.description) }
    }

    /// Runs `body` with spans exported to the endpoint (when one is set), then flushes them.
    func exporting<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let endpoint: OTLPEndpoint?
        do {
            endpoint = try OTLPEndpoint.resolve(flag: otlpEndpoint, environment: ProcessInfo.processInfo.environment)
        } catch {
            // A malformed variable must not stop a release gate: say so, and run untraced.
            printError("warning: traces are not exported: \(error)")
            endpoint = nil
        }
        guard let endpoint else { return try await body() }
        return try await TraceExport(endpoint: endpoint).run(body)
    }
}

/// The exporter behind `--otlp-endpoint`: swift-otel's OTLP/HTTP (protobuf) span exporter with a
/// batch processor, bootstrapped as the process's tracer so the library's spans
/// (`EvaluationTrace`) reach it.
///
/// Export problems never fail a run: an unreachable or refusing collector gives one warning at
/// the end, naming the URL (credentials masked) and what went wrong; the flush after the run is
/// bounded (`flushLimit`).
struct TraceExport {
    var endpoint: OTLPEndpoint
    /// Longest wait for the last spans to be sent after the run.
    static let flushLimit: Duration = .seconds(15)

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let problems = ExportProblems()
        let backend: (tracer: any Tracer, service: any Service)
        do {
            backend = try makeBackend(problems: problems)
        } catch {
            printError("warning: traces are not exported to \(endpoint.shown): \(error)")
            return try await body()
        }
        InstrumentationSystem.bootstrap(backend.tracer)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: backend.service)], gracefulShutdownSignals: [], cancellationSignals: [],
                logger: Logger(label: "evalgate.otlp", factory: { _ in SwiftLogNoOpLogHandler() })))
        let service = Task { try? await group.run() }
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        await group.triggerGracefulShutdown()
        // The batch processor sends what is left on shutdown; a collector that never answers must
        // not hold the gate's exit code hostage.
        if await Self.within(
            Self.flushLimit,
            {
                await service.value
                return true
            }) == nil
        {
            problems.record("the last spans were not sent within \(Self.flushLimit.components.seconds) s")
            service.cancel()
        }
        if let summary = problems.summary {
            printError("warning: traces not fully delivered to \(endpoint.shown) (\(endpoint.source)): \(summary); the run itself is unaffected")
        }
        return try outcome.get()
    }

    func makeBackend(problems: ExportProblems) throws -> (tracer: any Tracer, service: any Service) {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "evalgate"
        configuration.resourceAttributes = ["service.version": EvalGate.version]
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = endpoint.tracesURL
        configuration.traces.otlpExporter.timeout = .seconds(5)
        // A fast run ends thousands of spans a second: send often, in large batches, and queue
        // enough (about 64 MB at most) that a 10,000-case run loses none.
        configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(200)
        configuration.traces.batchSpanProcessor.maxQueueSize = 65_536
        configuration.traces.batchSpanProcessor.maxExportBatchSize = 2_048
        configuration.traces.batchSpanProcessor.exportTimeout = .seconds(10)
        configuration.diagnosticLogger = .custom(Logger(label: "evalgate.otlp", factory: { _ in problems.handler }))
        configuration.diagnosticLogLevel = .warning
        // The endpoint is already chosen (flag over variables); swift-otel would otherwise let the
        // variables override the flag. Headers, certificates and the sampler still come from them.
        for name in [
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        ] {
            unsetenv(name)
        }
        let (tracer, service) = try OTel.makeTracingBackend(configuration: configuration)
        return (tracer, service)
    }

    /// `operation`'s value, or `nil` when it takes longer than `limit`.
    static func within<V: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> V?) async -> V? {
        await withTaskGroup(of: V?.self) { race in
            race.addTask { await operation() }
            race.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await race.next() ?? nil
            race.cancelAll()
            return first
        }
    }
}

/// What the exporter complained about (its diagnostic log at warning and above), summarised once
/// at the end instead of interleaved with the run's progress. Every text is redacted of URL
/// credentials; header values are never logged by the exporter.
final class ExportProblems: Sendable {
    private let state = Mutex<(count: Int, first: String?)>((0, nil))

    func record(_ text: String) {
        state.withLock { state in
            state.count += 1
            if state.first == nil { state.first = Redactor.none(text) }
        }
    }

    var summary: String? {
        state.withLock { state in
            guard let first = state.first else { return nil }
            return state.count == 1 ? first : "\(first) (and \(state.count - 1) more)"
        }
    }

    var handler: some LogHandler { Handler(problems: self) }

    struct Handler: LogHandler {
        let problems: ExportProblems
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.level >= .warning else { return }
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let detail =
                event.error.map { ": \(String(describing: $0))" } ?? merged["error"].map { ": \($0)" }
                ?? merged["dropped_count"].map { ": \($0) spans dropped" } ?? ""
            problems.record("\(event.message)\(detail)")
        }
    }
}
