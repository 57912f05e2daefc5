import Foundation

extension EvalRunner {
    /// A sequential run (`options.sequential`): every selected case is read first, ordered by
    /// `SequentialOrder`, and sent in that order until `SequentialMonitor` says the verdict is
    /// decided. Cases already in flight then finish and count (they are paid for); the rest are
    /// the agent calls saved. Budgets, the deadline and interruption stop it as they stop any run.
    func runSequential(journal: RunJournal, progress: (@Sendable (RunProgress) -> Void)?) async throws -> Outcome {
        precondition(options.limit == nil && options.sample == nil, "a sequential run chooses its own number of cases")
        let started = Date()
        let definition = pipeline.definition
        var cases: [GoldenCase] = []
        var ordinals: [Int] = []
        var ordinal = 0
        var picker = CaseSelection.Picker(options)
        for reference in definition.datasets {
            let iterator = DatasetReader(reference: reference, options: datasetOptions).makeIterator()
            while let item = iterator.next() {
                guard case .goldenCase(let goldenCase) = item else { continue }
                defer { ordinal += 1 }
                guard picker.pick(goldenCase) else { continue }
                cases.append(goldenCase)
                ordinals.append(ordinal)
            }
        }
        let selection = CaseSelection(ordinals: ordinals, available: ordinal)
        let thresholds = pipeline.thresholds
        let mustPass = Set(thresholds.mustPassTags)
        let order = SequentialOrder.make(tags: cases.map(\.tags), critical: cases.map(\.critical), mustPassTags: mustPass, seed: options.seed)
        var plannedTags: [String: Int] = [:]
        for goldenCase in cases {
            for tag in Set(goldenCase.tags) { plannedTags[tag, default: 0] += 1 }
        }
        let priorityCount = cases.filter { $0.critical || !mustPass.isDisjoint(with: $0.tags) }.count
        var monitor = SequentialMonitor(
            thresholds: thresholds, tierLabel: "tier \(pipeline.tier.level) (\(pipeline.tier.name))", plannedCases: cases.count,
            plannedTagCases: plannedTags, priorityCases: priorityCount,
            holdsForRegression: definition.baseline.source != .none || thresholds.requireBaseline == true, seed: options.seed)

        let concurrency = max(1, options.maxConcurrency ?? definition.agent.endpoint.maxConcurrency)
        let (client, transport, executor) = makeExecutor(concurrency: concurrency)
        var accumulator = RunAccumulator(confidence: thresholds.confidence ?? TierThresholds.defaultConfidence)
        accumulator.passHatK = thresholds.minPassHatK?.k
        var stopReason: StopReason?
        var decided: SequentialStop?
        var done = 0
        let deadline = options.maxDuration.map { started.addingTimeInterval($0) }
        var lastProgress = Date.distantPast
        func report(force: Bool = false) {
            guard let progress else { return }
            let now = Date()
            guard force || now.timeIntervalSince(lastProgress) >= 0.25 else { return }
            lastProgress = now
            progress(
                RunProgress(
                    done: done, total: cases.count, passed: accumulator.overall.passed, failed: accumulator.overall.failed,
                    errors: accumulator.overall.errors, elapsed: now.timeIntervalSince(started)))
        }
        func count(_ result: CaseResult) {
            accumulator.add(result)
            monitor.add(result)
            done += 1
            if decided == nil { decided = monitor.stop(accumulator) }
        }
        var runCost = Money.zero

        do {
            let redactor = journal.redactor
            try await withThrowingTaskGroup(of: Finished?.self) { group in
                var inFlight = 0
                func finish(_ finished: Finished?) throws {
                    inFlight -= 1
                    guard let finished else { return }
                    let result = finished.result
                    try journal.append(result, record: finished.record.get())
                    if result.cost != nil { runCost += result.exactCost ?? .max }
                    count(result)
                    report()
                }
                for (step, position) in order.enumerated() {
                    // Critical and must-pass cases run as a block ahead of the rest: a failure among
                    // them ends the run before any other case is sent.
                    if step == priorityCount {
                        while inFlight > 0 { try finish(try await group.next() ?? nil) }
                    }
                    if decided != nil { break }
                    let goldenCase = cases[position]
                    if journal.contains(goldenCase.id), options.onlyIDs?.contains(goldenCase.id) != true {
                        // A resumed run replays what finished, in the same order, through the same monitor.
                        if let previous = try journal.read(goldenCase.id) { count(previous) }
                        continue
                    }
                    if Task.isCancelled {
                        stopReason = .interrupted
                        break
                    }
                    if let deadline, Date() >= deadline {
                        stopReason = .maxDuration
                        break
                    }
                    if let maxCost = options.maxCost, runCost >= maxCost {
                        stopReason = .maxCost
                        break
                    }
                    while inFlight >= concurrency {
                        try finish(try await group.next() ?? nil)
                    }
                    // A case that just finished may have decided the run.
                    if decided != nil { break }
                    inFlight += 1
                    group.addTask {
                        let result = await executor.execute(goldenCase, index: position)
                        if result.error?.kind == .cancelled { return nil }
                        return Finished(result: result, record: Result { try RunJournal.record(of: result, redactor: redactor) })
                    }
                }
                while inFlight > 0 {
                    if let deadline, deadline.timeIntervalSinceNow <= 0 {
                        stopReason = stopReason ?? .maxDuration
                        group.cancelAll()
                    }
                    try finish(try await group.next() ?? nil)
                }
            }
        } catch {
            await client.shutdown()
            await transport?.shutdown()
            throw error
        }
        if Task.isCancelled && done < cases.count { stopReason = stopReason ?? .interrupted }
        try journal.sync()
        report(force: true)
        await client.shutdown()
        await transport?.shutdown()
        // Stopping for a decision only counts when the run was not cut short for another reason
        // first; a run that ran every case did not stop early, whatever the monitor said last.
        let stop = done < cases.count && stopReason == nil ? decided : nil
        return Outcome(
            selection: selection, accumulator: accumulator, missing: cases.count - done, stopReason: stopReason, started: started, ended: Date(),
            sequential: monitor.evidence(stop: stop))
    }
}
