import EvalGateKit
import Foundation

/// `evalgate-bench`: micro-benchmarks that need no agent. `scripts/bench` runs them beside the
/// end-to-end workloads; see docs/benchmarks.md.
let usage = """
    usage: evalgate-bench scorers [--answers N] [--distinct N] [--only NAME]... [--json]
           evalgate-bench json FILE.jsonl... [--rounds N] [--json]
           evalgate-bench journal JOURNAL.jsonl [--answers N] [--json]
           evalgate-bench portfolio RESULT.json HISTORY.sqlite [--agents N] [--runs N] [--rounds N] [--json]

      scorers      cases per second of every deterministic scorer over recorded answers (no network)
      json         lines per second of JSONValue(parsing:) against JSONSerialization, and a check that
                   both agree on every line (exit 1 if not)
      journal      records per second appended to a run journal and read back, from the cases of a
                   journal an earlier run wrote (--answers: how many records, default 20000)
      portfolio    milliseconds `evalgate serve` takes for the portfolio page over a history of --agents
                   agents (default 200) × --runs runs (default 1000), cloned from a real run's result
                   file into HISTORY.sqlite (generated when empty, reused after); --rounds requests
      --answers    evaluations per scorer (default 200000)
      --distinct   different answers of each kind, cycled through (default 10000)
      --only       only this scorer (repeatable)
      --json       print JSON instead of a table
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n\(usage)\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { fail("missing command") }
arguments.removeFirst()
if command == "-h" || command == "--help" {
    print(usage)
    exit(0)
}
guard ["scorers", "json", "journal", "portfolio"].contains(command) else { fail("unknown command '\(command)'") }

var answers = 200_000
var distinct = 10_000
var only: Set<String> = []
var json = false
var rounds = 3
var files: [String] = []
var agentCount = 200
var runCount = 1000
var roundsGiven: Int?
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    func number() -> Int {
        guard let text = arguments.first, let value = Int(text), value > 0 else { fail("\(flag) needs a positive number") }
        arguments.removeFirst()
        return value
    }
    switch flag {
    case "--answers": answers = number()
    case "--distinct": distinct = number()
    case "--only":
        guard let name = arguments.first else { fail("--only needs a scorer name") }
        arguments.removeFirst()
        only.insert(name)
    case "--json": json = true
    case "--rounds":
        rounds = number()
        roundsGiven = rounds
    case "--agents": agentCount = number()
    case "--runs": runCount = number()
    default:
        guard command != "scorers", !flag.hasPrefix("-") else { fail("unknown option '\(flag)'") }
        files.append(flag)
    }
}

if command == "portfolio" {
    guard files.count == 2 else { fail("portfolio needs a result file and a history file") }
    do {
        let result = try await PortfolioBenchmark(
            template: files[0], historyPath: files[1], agents: agentCount, runs: runCount, rounds: roundsGiven ?? 15
        ).measure()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
        } else {
            print(
                "portfolio of \(result.agents) agents × \(result.runsPerAgent) runs: page \(String(format: "%.1f", result.pageMedianMilliseconds)) ms median (max \(String(format: "%.1f", result.pageMaxMilliseconds)) ms, \(result.pageBytes) bytes), history read \(String(format: "%.1f", result.readMedianMilliseconds)) ms"
            )
        }
    } catch {
        fail("cannot benchmark the portfolio: \(error)")
    }
    exit(0)
}

if command == "journal" {
    guard files.count == 1 else { fail("journal needs one journal file") }
    do {
        let result = try JournalBenchmark(source: files[0], records: answers == 200_000 ? 20_000 : answers).measure()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
        } else {
            print(
                "\(result.records) records: append \(Int(result.appendPerSecond))/s, orderedResults \(Int(result.orderedResultsPerSecond))/s, rawRecord \(Int(result.rawRecordPerSecond))/s; \(result.differingFromJSONEncoder) differ from JSONEncoder's encoding"
            )
            if result.differingFromJSONEncoder > 0 { exit(1) }
        }
    } catch {
        fail("cannot benchmark the journal \(files[0]): \(error)")
    }
    exit(0)
}

if command == "json" {
    if files.isEmpty { fail("json needs at least one JSON Lines file") }
    var results: [JSONParseBenchmark.Measurement] = []
    for file in files {
        do {
            let result = try JSONParseBenchmark(rounds: rounds).measure(file: file)
            results.append(result)
            if !json {
                print(
                    "\(file): \(result.lines) lines, \(Int(result.parsePerSecond)) lines/s parsed, \(Int(result.serializationPerSecond)) lines/s with JSONSerialization, \(result.mismatches) mismatches"
                )
            }
        } catch {
            fail("cannot read \(file): \(error)")
        }
    }
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(results) + Data("\n".utf8))
    }
    exit(results.contains { $0.mismatches > 0 } ? 1 : 0)
}

let workloads = ScorerBenchmark.workloads.filter { only.isEmpty || only.contains($0.name) }
if workloads.isEmpty { fail("no scorer named \(only.sorted().joined(separator: ", "))") }
let benchmark = ScorerBenchmark(corpus: AnswerCorpus(distinct: min(distinct, answers)), evaluations: answers)
var measurements: [ScorerBenchmark.Measurement] = []
if !json {
    print("scorer                   answers     evaluate/s   build+evaluate/s   passed")
}
for workload in workloads {
    do {
        let measurement = try benchmark.measure(workload)
        measurements.append(measurement)
        if !json {
            let name = workload.name.padding(toLength: 24, withPad: " ", startingAt: 0)
            let kind = workload.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            let evaluate = String(Int(measurement.casesPerSecond.rounded()))
            let build = String(Int(measurement.buildAndEvaluatePerSecond.rounded()))
            let rate = String(format: "%.0f%%", measurement.passRate * 100)
            print(
                "\(name) \(kind) \(String(repeating: " ", count: max(0, 14 - evaluate.count)))\(evaluate) \(String(repeating: " ", count: max(0, 18 - build.count)))\(build)   \(rate)"
            )
        }
    } catch {
        FileHandle.standardError.write(Data("error: scorer \(workload.name) cannot run: \(error)\n".utf8))
        exit(1)
    }
}
if json {
    struct Report: Encodable {
        var answers: Int
        var distinct: Int
        var scorers: [ScorerBenchmark.Measurement]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try encoder.encode(Report(answers: answers, distinct: distinct, scorers: measurements))
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
