import Foundation

/// `evalgate merge`: one decision from the shards of a sharded run.
///
/// The journey of a run with its execute stage replaced: plan (the pipeline the shards ran,
/// unchanged since) → merge (the shards checked and their cases joined in the order an unsharded
/// run has them) → decide → record → report, through the same `Decision` and `Recording` as any
/// run. The shards come from the history (by run id, or every shard of a group — with a shared
/// PostgreSQL history no files move between jobs) or from their `--output` result files.
public struct ShardMerge: Sendable {
    public enum Source: Sendable, Equatable {
        /// Shard runs in the history, by id (or unique prefix).
        case runs([String])
        /// Every shard of a group in the history; a shard run again supersedes its earlier run.
        case group(String)
        /// Shards' result files (`evalgate run --shard … --output FILE`).
        case files([String])
    }

    public var source: Source
    /// With `.group`: wait up to this many seconds for every shard of the group to be recorded
    /// (polling the history), then merge what is there. For a merge job started beside its shards,
    /// e.g. in Kubernetes, where nothing orders one Job after another.
    public var wait: Double?
    /// Where the merged run is recorded and its files go; the mode, environment and selection are
    /// the shards'.
    public var settings: EvaluationSettings

    public init(source: Source, settings: EvaluationSettings, wait: Double? = nil) {
        self.source = source
        self.settings = settings
        self.wait = wait
    }

    /// How often `wait` looks at the history again.
    static let pollInterval: Double = 2

    /// Why shards cannot be merged. Never a merged pass: the merge stops before deciding.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalid(String)

        public var description: String {
            switch self {
            case .invalid(let message): return message
            }
        }
    }

    /// One shard as found: its record, and where its cases are read from when their turn comes.
    struct Part: Sendable {
        var record: RunRecord
        var shard: ShardRun
        /// Where it came from, for messages: `run ID` or the file path.
        var origin: String
        var cases: Cases
    }

    enum Cases: Sendable {
        /// A result file, streamed (`ShardResultFile`).
        case file(String)
        /// A run in the history.
        case history(any RunHistory, runID: String)
    }

    /// More selected cases than this in one run is not a result file evalgate wrote (it would
    /// size the merge's index by it).
    static let maximumCases = 100_000_000

    /// Case documents read from the history at once: a few MiB.
    static let historyPage = 2000

    public func run() async throws -> PipelineEvaluation.Result {
        var phases = PhaseTimes()
        let (parts, notes) = try await checked(try await load())
        let first = parts[0].record
        let shard = parts[0].shard

        var settings = self.settings
        settings.mode = first.mode
        settings.environment = first.environment
        settings.options = RunOptions(
            filterTags: first.selection["filter"].map { $0.split(separator: ",").map(String.init) } ?? [],
            limit: first.selection["limit"].flatMap { Int($0) }, sample: first.selection["sample"].flatMap { Int($0) },
            seed: first.selection["seed"].flatMap { UInt64($0) } ?? 0)
        if let seed = first.selection["sequential"].flatMap({ UInt64($0) }) {
            settings.options.sequential = true
            settings.options.seed = seed
        }
        settings.resumeRunID = nil
        settings.retryErrorsRunID = nil
        // The datasets' cases are not validated again: the shards validated the same bytes (checked next, by hash).
        var plan = try await RunPlan.make(pipelinePath: first.pipelineFile, settings: settings, validatingCases: false)
        // A merge refused from here on leaves no run behind: its folder holds only what this merge wrote.
        let outcome: RunOutcome
        do {
            try Self.checkUnchanged(plan: plan, since: first)
            plan.startedAt = parts.map(\.record.startedAt).min() ?? plan.startedAt
            plan.warnings += notes.map { Diagnostic(.warning, SourceLocation(file: "merge"), $0) }
            phases.mark("plan")
            guard shard.runSelectedCases >= 0, shard.runSelectedCases <= Self.maximumCases else {
                throw Failure.invalid("\(parts[0].origin) says the run selected \(shard.runSelectedCases) cases: not a shard evalgate wrote")
            }

            // Streamed, so memory does not grow with the cases' documents: each shard's cases go to
            // the merged run's journal as they are read (the documents as stored, not decoded and
            // re-encoded), checked as they come; the journal keeps 16 bytes a case, no map by id.
            // Then the summary, from the journal in the whole run's order (each case's index is its
            // position in the unsharded selection), one case decoded at a time.
            let journal = try RunJournal(mergeInto: plan.journal.path, redactor: plan.pipeline.redactor, capacity: shard.runSelectedCases)
            plan.journal = journal
            var merging = Merging(count: shard.count, runSelectedCases: shard.runSelectedCases, journal: journal)
            var received: [MergedShards.Part] = []
            var merged = 0
            for part in parts {
                let before = merging.cases
                switch part.cases {
                case .file(let path):
                    do {
                        try ShardResultFile.forEachCase(path: path) { document in try merging.add(document, of: part) }
                    } catch let failure as ShardResultFile.Failure {
                        throw Failure.invalid("cannot read the shard result file \(failure)")
                    }
                case .history(let history, let runID):
                    // A page of stored documents at a time, as stored.
                    var next = 0
                    while true {
                        let page = try await history.caseDocuments(runID: runID, fromIndex: next, limit: Self.historyPage)
                        for (_, document) in page {
                            // A journal line holds one case: a stored document with line breaks is written anew.
                            let line =
                                document.contains(0x0A) ? try JSONCoding.decoder().decode(CaseResult.self, from: document).journalJSON() : document
                            try merging.add(line, of: part)
                        }
                        guard let last = page.last, page.count == Self.historyPage else { break }
                        next = last.index + 1
                    }
                }
                let count = merging.cases - before
                merged += count
                received.append(
                    MergedShards.Part(index: part.shard.index, runID: part.record.id, cases: count, selectedCases: part.record.selectedCases))
            }
            try merging.finish(parts: parts)
            try journal.sync()
            var accumulator = RunAccumulator(confidence: plan.pipeline.thresholds.confidence ?? TierThresholds.defaultConfidence)
            accumulator.reserveCapacity(journal.count)
            var ordered: [CaseResult] = []
            let decoder = JSONCoding.decoder()
            for (index, document) in journal.entryDocuments() {
                let result: CaseResult
                do {
                    result = try decoder.decode(CaseResult.self, from: document)
                } catch {
                    throw Failure.invalid(
                        "the case at position \(index) of the run (from \(merging.origin(of: document, parts: parts))) is not a case result: \(error)"
                    )
                }
                accumulator.add(result)
                if plan.options.sequential { ordered.append(result) }
            }

            let present = Set(parts.map(\.shard.index))
            let missingShards = (1...shard.count).filter { !present.contains($0) }
            let merge = MergedShards(
                group: shard.group, fingerprint: shard.fingerprint, count: shard.count, shards: received, missingShards: missingShards)
            let stopReason = parts.compactMap { $0.record.stopReason == .shard ? nil : $0.record.stopReason }.first
            let summary = accumulator.summary(currency: plan.definition.agent.endpoint.pricing?.currency)
            // The summary holds the latency figures; nothing after it reads the latencies again.
            accumulator.dropLatencies()
            outcome = RunOutcome(
                accumulator: accumulator, summary: summary,
                selectedCases: shard.runSelectedCases, availableCases: first.availableCases,
                missingCases: max(0, shard.runSelectedCases - merged), stopReason: stopReason,
                endedAt: parts.map(\.record.endedAt).max() ?? Date(),
                sequential: plan.options.sequential ? Self.sequential(ordered, plan: plan) : nil,
                merge: merge)
            phases.mark("merge")
        } catch {
            try? FileManager.default.removeItem(atPath: plan.folder)
            throw error
        }
        return try await PipelineEvaluation.conclude(plan: plan, outcome: outcome, phases: phases)
    }

    // MARK: - Finding the shards

    func load() async throws -> [Part] {
        switch source {
        case .files(let paths):
            var parts: [Part] = []
            var given = Set<String>()
            for path in paths {
                let canonical = (path as NSString).standardizingPath
                guard given.insert(canonical).inserted else { throw Failure.invalid("the shard file \(path) is given twice") }
                // The whole file is scanned here: a truncated one is refused before anything is merged.
                let record: RunRecord
                do {
                    record = try await onOwnThread { try ShardResultFile.head(path: path).record }
                } catch let failure as ShardResultFile.Failure {
                    throw Failure.invalid("cannot read the shard result file \(failure)")
                } catch {
                    throw Failure.invalid("cannot read the shard result file \(path): \(error.localizedDescription)")
                }
                parts.append(try Self.part(record, origin: path, cases: .file(path)))
            }
            return parts
        case .runs(let ids):
            let history = try await HistoryLocation(settings.historyPath, environment: settings.processEnvironment).open()
            var parts: [Part] = []
            for id in ids {
                guard let record = try await history.run(id: id) else {
                    throw Failure.invalid("no run '\(id)' in the history \(history.location)")
                }
                guard !parts.contains(where: { $0.record.id == record.id }) else {
                    throw Failure.invalid("the shard run \(record.id) is given twice")
                }
                parts.append(try Self.part(record, origin: "run \(record.id)", cases: .history(history, runID: record.id)))
            }
            return parts
        case .group(let group):
            let history = try await HistoryLocation(settings.historyPath, environment: settings.processEnvironment).open()
            // A direct query on the indexed group: the history may hold any number of other runs.
            var members = try await history.shardRuns(group: group)
            if let wait {
                let deadline = Date().addingTimeInterval(wait)
                while Date() < deadline {
                    // Every shard of the count the first one names, each run to its end.
                    if let count = members.first?.shard?.count, Set(members.compactMap { $0.shard?.index }).count >= count { break }
                    try await Task.sleep(for: .seconds(min(Self.pollInterval, max(0.05, deadline.timeIntervalSinceNow))))
                    members = try await history.shardRuns(group: group)
                }
            }
            guard !members.isEmpty else {
                throw Failure.invalid(
                    "no shard of group '\(group)' in the history \(history.location) (shards record their group with --shard-group)")
            }
            return try members.map { record in
                try Self.part(record, origin: "run \(record.id)", cases: .history(history, runID: record.id))
            }
        }
    }

    static func part(_ record: RunRecord, origin: String, cases: Cases) throws -> Part {
        guard let shard = record.shard, shard.shard != nil else {
            throw Failure.invalid("\(origin) is not a shard (it was not run with --shard): only shards of one run can be merged")
        }
        return Part(record: record, shard: shard, origin: origin, cases: cases)
    }

    /// The shards in index order, each index once, all of one run. In a group, a shard run again
    /// (a retried CI job) supersedes its earlier run, with a note; named runs or files that give
    /// one shard twice are an error.
    func checked(_ found: [Part]) throws -> (parts: [Part], notes: [String]) {
        guard let first = found.first else { throw Failure.invalid("no shards to merge") }
        for part in found.dropFirst() {
            if part.shard.count != first.shard.count {
                throw Failure.invalid(
                    "\(part.origin) is shard \(part.shard.index)/\(part.shard.count) but \(first.origin) is shard \(first.shard.index)/\(first.shard.count): shards of one run share their count"
                )
            }
            if part.shard.fingerprint != first.shard.fingerprint {
                throw Failure.invalid(
                    "\(part.origin) and \(first.origin) are not shards of one run: their pipelines, datasets, agent versions, modes, environments or selections differ (fingerprints \(part.shard.fingerprint.prefix(12)) and \(first.shard.fingerprint.prefix(12)))"
                )
            }
            if part.shard.runSelectedCases != first.shard.runSelectedCases {
                throw Failure.invalid(
                    "\(part.origin) and \(first.origin) selected different numbers of cases (\(part.shard.runSelectedCases) and \(first.shard.runSelectedCases))"
                )
            }
        }
        var byIndex: [Int: Part] = [:]
        var notes: [String] = []
        let superseding: Bool = if case .group = source { true } else { false }
        for part in found {
            guard let earlier = byIndex[part.shard.index] else {
                byIndex[part.shard.index] = part
                continue
            }
            guard superseding else {
                throw Failure.invalid(
                    "shard \(part.shard.index)/\(part.shard.count) is given twice (\(earlier.origin) and \(part.origin)): give each shard once")
            }
            let (newer, older) = part.record.startedAt > earlier.record.startedAt ? (part, earlier) : (earlier, part)
            byIndex[part.shard.index] = newer
            notes.append("shard \(part.shard.index)/\(part.shard.count) ran more than once; merging \(newer.origin), not \(older.origin)")
        }
        return (byIndex.keys.sorted().map { byIndex[$0]! }, notes)
    }

    /// The pipeline and datasets the merge decides with must be the ones the shards ran.
    static func checkUnchanged(plan: RunPlan, since shard: RunRecord) throws {
        let definition = plan.definition
        if let hash = FileHash.sha256(path: definition.file), hash != shard.pipelineHash {
            throw Failure.invalid("the pipeline \(plan.pipelinePath) changed since the shards ran: merge with the pipeline and datasets they ran")
        }
        for dataset in definition.datasets {
            let hash = FileHash.sha256(path: dataset.resolvedPath) ?? "missing"
            if shard.datasetHashes[dataset.path] != hash {
                throw Failure.invalid("the dataset \(dataset.path) changed since the shards ran: merge with the pipeline and datasets they ran")
            }
        }
        if Set(definition.datasets.map(\.path)) != Set(shard.datasetHashes.keys) {
            throw Failure.invalid("the pipeline \(plan.pipelinePath) names other datasets than the shards ran")
        }
        if definition.agent.version != shard.version || definition.agent.name != shard.agent {
            throw Failure.invalid(
                "the pipeline now evaluates \(definition.agent.name) \(definition.agent.version) but the shards ran \(shard.agent) \(shard.version): set the same variables as the shard jobs"
            )
        }
    }
}
