import AsyncHTTPClient
import EvalGateKit
import Foundation
import NIOCore

/// How fast `evalgate serve` renders the portfolio page over a big history: `agents` agents with
/// `runs` runs each, cloned from the record of a real run (`template`, a result file), served on
/// loopback and fetched over HTTP like a browser would.
struct PortfolioBenchmark {
    struct Measurement: Encodable {
        var agents: Int
        var runsPerAgent: Int
        var storedRuns: Int
        var generateSeconds: Double?
        var rounds: Int
        /// GET / over HTTP, whole response read.
        var pageMedianMilliseconds: Double
        var pageMaxMilliseconds: Double
        /// `RunHistory.portfolio` alone.
        var readMedianMilliseconds: Double
        var pageBytes: Int
    }

    var template: String
    var historyPath: String
    var agents: Int
    var runs: Int
    var rounds: Int

    func measure() async throws -> Measurement {
        let (record, _) = try ResultFile.read(path: template)
        let store = try await HistoryStore.open(path: historyPath)
        var generated: Double?
        let existing = try await store.runs(agent: nil, pipeline: nil, verdict: nil, limit: 1).count
        if existing == 0 {
            let start = Date()
            try await generate(from: record, into: store)
            generated = Date().timeIntervalSince(start)
        }
        var reads: [Double] = []
        var agentCount = 0
        for _ in 0..<rounds {
            let start = DispatchTime.now()
            agentCount = try await store.portfolio(trendLength: 30).count
            reads.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
        }
        let server = try await DashboardServer.start(DashboardServer.Configuration(history: DashboardHistory(store), port: 0))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var pages: [Double] = []
        var bytes = 0
        do {
            for round in 0...rounds {
                let start = DispatchTime.now()
                let response = try await client.execute(HTTPClientRequest(url: server.url + "/"), timeout: .seconds(60))
                let body = try await response.body.collect(upTo: 256 << 20)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
                guard response.status == .ok else { throw BenchError("GET / answered \(response.status.code): \(String(buffer: body).prefix(300))") }
                bytes = body.readableBytes
                if round > 0 { pages.append(elapsed) }  // the first request warms the caches
            }
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try await client.shutdown()
        await server.stop()
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        return Measurement(
            agents: agentCount, runsPerAgent: runs, storedRuns: agentCount * runs, generateSeconds: generated, rounds: rounds,
            pageMedianMilliseconds: median(pages), pageMaxMilliseconds: pages.max() ?? 0, readMedianMilliseconds: median(reads), pageBytes: bytes)
    }

    /// Clones the template run: owners, tiers, versions, modes and verdicts vary by agent and run,
    /// every agent has deployments (one of them a rollback) and some runs wait for review.
    func generate(from template: RunRecord, into store: HistoryStore) async throws {
        let base = Date(timeIntervalSince1970: 1_750_000_000)
        for agent in 0..<agents {
            let name = String(format: "agent-%03d", agent)
            for index in 0..<runs {
                var record = template
                record.id = String(format: "%@-run-%05d", name, index)
                record.agent = name
                record.pipeline = name
                record.owner = "team-\(agent % 12)"
                record.tier = agent % 4 + 1
                record.version = "1.\(index / 50).\(index % 50)"
                record.mode = index % 3 == 0 ? .monitor : .release
                record.startedAt = base.addingTimeInterval(Double(index * 3_600 + agent))
                record.endedAt = record.startedAt.addingTimeInterval(120)
                let roll = (agent * 31 + index * 17) % 100
                record.verdict = roll < 8 ? .fail : roll < 12 ? .inconclusive : .pass
                record.recommendation.verdict = record.verdict
                record.recommendation.mode = record.mode
                record.recommendation.agent = name
                record.recommendation.evaluatedVersion = record.version
                record.recommendation.runID = record.id
                record.recommendation.action =
                    switch (record.mode, record.verdict) {
                    case (.release, .pass): .promote
                    case (.release, .fail): .block
                    case (.monitor, .pass): .keep
                    case (.monitor, .fail): .rollback
                    case (_, .inconclusive): .rerun
                    }
                try await store.record(record, cases: nil, knownGood: false, actor: "evalgate-bench")
            }
            for (step, version) in ["1.17.0", "1.18.0", "1.17.0"].enumerated() {
                try await store.recordDeployment(
                    agent: name, environment: "production", version: version, recordedBy: "bench", note: nil, runID: nil,
                    at: base.addingTimeInterval(Double(runs * 3_600 + step * 60)))
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
