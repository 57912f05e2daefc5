import Foundation
import Synchronization

/// Runs a pipeline's selected cases against its agent: bounded concurrency, optional rate limit,
/// retries with backoff, scoring, and a journal entry for every finished case.
public struct EvalRunner: Sendable {
    public var pipeline: LoadedPipeline
    public var options: RunOptions
    public var datasetOptions: DatasetReader.Options
    /// Scores model-graded scorers (`llm-rubric`, `similar`, ...); `nil` when the pipeline has no judge.
    public var judge: (any CaseJudge)?
    /// How many cases the datasets hold, when the caller has just counted them (validation does):
    /// a run of every case then needs no planning pass over the datasets beside the one that runs them.
    public var validatedCaseCount: Int?
    /// Plays the simulated customers of scenarios; `nil` when the pipeline has no `simulator`.
    public var simulator: SimulatorClient?

    public init(
        pipeline: LoadedPipeline, options: RunOptions = RunOptions(), datasetOptions: DatasetReader.Options = DatasetReader.Options(),
        judge: (any CaseJudge)? = nil
    ) {
        self.pipeline = pipeline
        self.options = options
        self.datasetOptions = datasetOptions
        self.judge = judge
    }

    public struct Outcome: Sendable {
        public var selection: CaseSelection
        public var accumulator: RunAccumulator
        /// Cases selected but without a result (the run was stopped).
        public var missing: Int
        public var stopReason: StopReason?
        public var started: Date
        public var ended: Date
        /// How a sequential run went; nil for a fixed run.
        public var sequential: SequentialRun? = nil
    }

    /// The agent client for the pipeline's endpoint, its HTTP transport (none for a command), and
    /// the case executor over them. The caller shuts the client and the transport down.
    func makeExecutor(concurrency: Int) -> (client: any AgentClient, transport: HTTPTransport?, executor: CaseExecutor) {
        let endpoint = pipeline.definition.agent.endpoint
        let transport: HTTPTransport? =
            endpoint.kind == .command
            ? nil
            : HTTPTransport(
                maxConcurrency: concurrency, maxResponseBytes: endpoint.maxResponseBytes, insecureSkipTLSVerify: endpoint.insecureSkipTLSVerify)
        let client: any AgentClient
        switch endpoint.kind {
        case .openAIChat: client = OpenAIChatClient(endpoint: endpoint, transport: transport!)
        case .openAIResponses: client = OpenAIResponsesClient(endpoint: endpoint, transport: transport!)
        case .http: client = HTTPJSONClient(endpoint: endpoint, transport: transport!)
        case .a2a: client = A2AClient(endpoint: endpoint, transport: transport!)
        case .command: client = CommandClient(endpoint: endpoint)
        }
        let executor = CaseExecutor(
            pipeline: pipeline, client: client, retry: RetryPolicy(maxRetries: endpoint.retries),
            limiter: endpoint.rateLimit.map { RateLimiter(perSecond: $0) }, judge: judge, simulator: simulator)
        return (client, transport, executor)
    }

    /// Executes the run. `journal` receives each finished case; cases already in it are not sent again.
    public func run(journal: RunJournal, progress: (@Sendable (RunProgress) -> Void)? = nil) async throws -> Outcome {
        // A shard of a sequential run runs its whole share: the merge decides sequentially over
        // the merged order (ShardMerge), as one process would have.
        if options.sequential && options.shard == nil { return try await runSequential(journal: journal, progress: progress) }
        let started = Date()
        let endpoint = pipeline.definition.agent.endpoint
        // A sample needs every case read before the first is chosen. Otherwise the runner picks cases
        // as it reads them (with the same `CaseSelection.Picker` as `plan`), and the plan that counts
        // them for progress and the outcome runs alongside instead of first: at 50 ms an answer,
        // reading 10,000 cases twice before sending anything costs more than sending them.
        let sampledSelection = options.sample == nil ? nil : CaseSelection.plan(pipeline.definition, options: options, datasetOptions: datasetOptions)
        let everyCase = options.filterTags.isEmpty && options.limit == nil && options.sample == nil && options.shard == nil
        let knownSelection = everyCase ? validatedCaseCount.map { CaseSelection(ordinals: Array(0..<$0), available: $0) } : nil
        let plannedCount = PlannedCount((sampledSelection ?? knownSelection)?.executed)
        async let plannedSelection =
            sampledSelection ?? knownSelection ?? plannedCount.plan(pipeline.definition, options: options, datasetOptions: datasetOptions)
        let concurrency = max(1, options.maxConcurrency ?? endpoint.maxConcurrency)
        let (client, transport, executor) = makeExecutor(concurrency: concurrency)
        var accumulator = RunAccumulator(confidence: pipeline.thresholds.confidence ?? TierThresholds.defaultConfidence)
        accumulator.passHatK = pipeline.thresholds.minPassHatK?.k
        var stopReason: StopReason?
        var done = 0
        let deadline = options.maxDuration.map { started.addingTimeInterval($0) }
        var lastProgress = Date.distantPast
        func report(force: Bool = false) {
            guard let progress, let total = plannedCount.value else { return }
            // `total` is this run's share when it is a shard.
            let now = Date()
            guard force || now.timeIntervalSince(lastProgress) >= 0.25 else { return }
            lastProgress = now
            progress(
                RunProgress(
                    done: done, total: total, passed: accumulator.overall.passed, failed: accumulator.overall.failed,
                    errors: accumulator.overall.errors, elapsed: now.timeIntervalSince(started)))
        }
        // Summed exactly, so ten cases at 0.1 reach a budget of 1 (in Double they sum to 0.9999999999999999).
        var runCost = Money.zero

        do {
            let redactor = journal.redactor
            try await withThrowingTaskGroup(of: Finished?.self) { group in
                var inFlight = 0
                var ordinal = 0
                var selectedPosition = 0
                var picker = CaseSelection.Picker(options)
                func finish(_ finished: Finished?) throws {
                    inFlight -= 1
                    guard let finished else { return }
                    let result = finished.result
                    try journal.append(result, record: finished.record.get())
                    accumulator.add(result)
                    // A cost that is not an amount (beyond `Money.max`) is over any budget.
                    if result.cost != nil { runCost += result.exactCost ?? .max }
                    done += 1
                    report()
                }
                datasets: for reference in pipeline.definition.datasets {
                    let iterator = DatasetReader(reference: reference, options: datasetOptions).makeIterator()
                    while let item = iterator.next() {
                        guard case .goldenCase(let goldenCase) = item else { continue }
                        defer { ordinal += 1 }
                        if let sampledSelection {
                            guard selectedPosition < sampledSelection.ordinals.count else { break datasets }
                            guard sampledSelection.ordinals[selectedPosition] == ordinal else { continue }
                        } else {
                            guard !picker.isFull else { break datasets }
                            guard picker.pick(goldenCase) else { continue }
                        }
                        // The index is the case's position in the whole run's selection, so a
                        // merge of shards orders its cases as the unsharded run would.
                        let index = selectedPosition
                        selectedPosition += 1
                        if let shard = options.shard, !shard.contains(goldenCase.id) { continue }
                        if journal.contains(goldenCase.id), options.onlyIDs?.contains(goldenCase.id) != true {
                            if let previous = try journal.read(goldenCase.id) {
                                accumulator.add(previous)
                                done += 1
                            }
                            continue
                        }
                        if Task.isCancelled {
                            stopReason = .interrupted
                            break datasets
                        }
                        if let deadline, Date() >= deadline {
                            stopReason = .maxDuration
                            break datasets
                        }
                        if let maxCost = options.maxCost, runCost >= maxCost {
                            stopReason = .maxCost
                            break datasets
                        }
                        while inFlight >= concurrency {
                            try finish(try await group.next() ?? nil)
                        }
                        inFlight += 1
                        group.addTask {
                            let result = await executor.execute(goldenCase, index: index)
                            // A case cut short by cancellation has no real result; it is reported as not run.
                            if result.error?.kind == .cancelled { return nil }
                            return Finished(result: result, record: Result { try RunJournal.record(of: result, redactor: redactor) })
                        }
                    }
                }
                if let deadline {
                    // Cut in-flight cases off at the deadline instead of waiting for slow ones.
                    while inFlight > 0 {
                        let remaining = deadline.timeIntervalSinceNow
                        if remaining <= 0 {
                            stopReason = stopReason ?? .maxDuration
                            group.cancelAll()
                        }
                        try finish(try await group.next() ?? nil)
                    }
                }
                while inFlight > 0 {
                    try finish(try await group.next() ?? nil)
                }
            }
        } catch {
            await client.shutdown()
            await transport?.shutdown()
            throw error
        }
        let selection = await plannedSelection
        let total = selection.executed
        if Task.isCancelled && done < total { stopReason = stopReason ?? .interrupted }
        try journal.sync()
        report(force: true)
        await client.shutdown()
        await transport?.shutdown()
        return Outcome(selection: selection, accumulator: accumulator, missing: total - done, stopReason: stopReason, started: started, ended: Date())
    }
}

extension EvalRunner {
    /// The number of selected cases once the plan running beside the cases has counted them.
    final class PlannedCount: Sendable {
        private let count: Atomic<Int>

        init(_ count: Int?) {
            self.count = Atomic(count ?? -1)
        }

        var value: Int? {
            let count = count.load(ordering: .acquiring)
            return count < 0 ? nil : count
        }

        func plan(_ pipeline: PipelineDefinition, options: RunOptions, datasetOptions: DatasetReader.Options) -> CaseSelection {
            let selection = CaseSelection.plan(pipeline, options: options, datasetOptions: datasetOptions)
            count.store(selection.executed, ordering: .releasing)
            return selection
        }
    }

    /// A case's result and its journal line, encoded in the case's task.
    struct Finished: Sendable {
        var result: CaseResult
        var record: Result<Data, any Error>
    }
}

/// Grades model-graded scorers for one answer (judge models, embeddings).
public protocol CaseJudge: Sendable {
    func score(_ spec: ScorerSpec, input: ScoringInput) async throws(AgentError) -> ScoreResult
}
