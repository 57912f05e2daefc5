import Foundation

/// A nightly sweep: every pipeline of a folder, one after another, in monitor mode by default.
/// One pipeline failing, being invalid or having its agent down never stops the others.
public struct SweepRunner: Sendable {
    public var pipelines: [String]
    public var settings: EvaluationSettings

    public init(pipelines: [String], settings: EvaluationSettings) {
        self.pipelines = pipelines
        self.settings = settings
    }

    public struct Entry: Sendable, Codable {
        public enum Status: String, Sendable, Codable {
            case pass, fail, inconclusive
            /// The pipeline or its datasets did not validate.
            case invalid
            /// The run could not be done or recorded (history database, file system).
            case error
        }

        public var pipeline: String
        public var status: Status
        public var agent: String?
        public var version: String?
        public var runID: String?
        public var action: Recommendation.Action?
        public var summary: String
        public var passRate: Double?
        public var errors: Int?
        public var drift: DriftReport?
    }

    public struct Result: Sendable, Codable {
        public var entries: [Entry]

        /// One exit status for the whole sweep: fail beats invalid beats error beats inconclusive.
        public var status: Entry.Status {
            let statuses = entries.map(\.status)
            for status in [Entry.Status.fail, .invalid, .error, .inconclusive] where statuses.contains(status) { return status }
            return .pass
        }

        public var drifting: [Entry] { entries.filter { $0.drift?.isDrifting == true } }
    }

    public func run(onEntry: (@Sendable (Entry) -> Void)? = nil) async -> Result {
        await EvaluationTrace.sweep(pipelines: pipelines.count, status: { $0.status.rawValue }) {
            var entries: [Entry] = []
            for path in pipelines {
                let entry = await runOne(path)
                onEntry?(entry)
                entries.append(entry)
            }
            return Result(entries: entries)
        }
    }

    func runOne(_ path: String) async -> Entry {
        do {
            let result = try await PipelineEvaluation(pipelinePath: path, settings: settings).run()
            let record = result.record
            var drift: DriftReport?
            if let store = try? await HistoryLocation(settings.historyPath).open() {
                let history = (try? await store.recentRuns(pipeline: record.pipeline, limit: 9)) ?? []
                drift = DriftReport.evaluate(current: record, history: history.filter { $0.id != record.id })
            }
            let status: Entry.Status = record.verdict == .pass ? .pass : (record.verdict == .fail ? .fail : .inconclusive)
            return Entry(
                pipeline: path, status: status, agent: record.agent, version: record.version, runID: record.id, action: record.recommendation.action,
                summary: record.recommendation.summary, passRate: record.summary.passRate.estimate, errors: record.summary.errors, drift: drift)
        } catch let failure as PipelineEvaluation.Failure {
            switch failure {
            case .invalid(let diagnostics):
                let first = diagnostics.first { $0.severity == .error }?.description ?? "invalid"
                return Entry(
                    pipeline: path, status: .invalid, summary: "\(diagnostics.filter { $0.severity == .error }.count) errors; first: \(first)")
            case .cannotRun(let message):
                return Entry(pipeline: path, status: .error, summary: message)
            }
        } catch {
            return Entry(pipeline: path, status: .error, summary: "\(error)")
        }
    }
}
