import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `--format json` of every command that prints a table: stdout is one JSON document with the keys
/// README.md documents, and the table stays the default.
@Suite("--format json (CLI)")
struct TableCommandJSONTests {
    @Test func historyListsTheRunRecordsNewestFirst() async throws {
        let runs = try await RecordedRunsFolder()
        let output = try runs.run(["history", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let records = try JSONCoding.decoder().decode([RunRecord].self, from: Data(output.stdout.utf8))
        #expect(records.map(\.id) == [runs.candidate.id, runs.baseline.id])
        #expect(records.first?.schema == RunRecord.schema)
        #expect(records.first?.summary == runs.candidate.summary)
        let keys = try #require(try JSONValue(parsing: output.stdout).arrayValue?.first?.objectValue?.keys)
        #expect(Set(["schema", "id", "agent", "version", "verdict", "summary", "gates", "recommendation", "startedAt"]).isSubset(of: Set(keys)))

        // The older `--json` prints the same; the table is still the default.
        #expect(try runs.run(["history", "--json"]).stdout == output.stdout)
        let table = try runs.run(["history"])
        #expect(table.stdout.hasPrefix("RUN "), "\(table.stdout)")
        #expect(try runs.run(["history", "--format", "yaml"]).status == EvalGateKit.ExitStatus.usage.rawValue)
    }

    @Test func historyOfNothingIsAnEmptyArray() async throws {
        let runs = try await RecordedRunsFolder()
        let output = try runs.run(["history", "--agent", "nobody", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try JSONValue(parsing: output.stdout).arrayValue?.isEmpty == true, "\(output.stdout)")
    }

    @Test func deployListIsAnArrayOfDeployments() async throws {
        let runs = try await RecordedRunsFolder()
        #expect(try runs.run(["deploy", "record", "support-bot", "1.3.2", "--by", "dana"]).status == 0)
        let record = try runs.run(["deploy", "record", "support-bot", "1.4.0", "--by", "lee", "--note", "CHG-42", "--run", runs.candidate.id])
        #expect(record.status == 0, "\(record.stderr)")
        let output = try runs.run(["deploy", "list", "support-bot", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let deployments = try #require(try JSONValue(parsing: output.stdout).arrayValue)
        #expect(deployments.count == 2)
        let newest = try #require(deployments.first?.objectValue)
        #expect(Set(newest.keys) == ["agent", "environment", "version", "recordedAt", "recordedBy", "note", "runID"])
        #expect(newest["agent"] == "support-bot" && newest["environment"] == "production" && newest["version"] == "1.4.0")
        #expect(newest["recordedBy"] == "lee" && newest["note"] == "CHG-42")
        #expect(newest["runID"]?.stringValue == runs.candidate.id)
        #expect(newest["recordedAt"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
        // Unset values are left out.
        #expect(deployments[1].objectValue.map { Set($0.keys) } == ["agent", "environment", "version", "recordedAt", "recordedBy"])

        let none = try runs.run(["deploy", "list", "nobody", "--format", "json"])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(try JSONValue(parsing: none.stdout).arrayValue?.isEmpty == true, "\(none.stdout)")
        #expect(try runs.run(["deploy", "list", "support-bot"]).stdout.hasPrefix("RECORDED "))
    }

    @Test func tiersGivesEachTierWithItsOperatingCharacteristic() async throws {
        let folder = TemporaryDirectory()
        let tool = CommandLineTool(workingDirectory: folder.path)
        let output = try tool.run(["tiers", "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let document = try JSONValue(parsing: output.stdout)
        #expect(document["policy"] == "built-in")
        let tiers = try #require(document["tiers"]?.arrayValue)
        #expect(tiers.compactMap { $0["level"]?.doubleValue } == [1, 2, 3])
        let text = try tool.run(["tiers"]).stdout
        for tier in tiers {
            #expect(tier["name"]?.stringValue != nil && tier["thresholds"]?["minPassRate"]?.doubleValue != nil)
            #expect(tier["authority"]?.objectValue != nil)
            let characteristic = try #require(tier["operatingCharacteristic"])
            #expect(characteristic["points"]?.arrayValue?.count == OperatingCharacteristicReport.rates.count)
            #expect(characteristic["points"]?.arrayValue?.first?["simulated"] == nil)
            #expect(characteristic["simulationTrials"] == nil)
            // The figures are the ones the table prints.
            let atMinimum = try #require(characteristic["passProbabilityAtMinimum"]?.doubleValue)
            let minimum = try #require(characteristic["minPassRate"]?.doubleValue)
            #expect(
                text.contains("exactly at the bar (\(Format.percent(minimum))) passes with probability \(String(format: "%.3f", atMinimum))."),
                "\(text)")
            let evenOdds = try #require(characteristic["rateForEvenOdds"]?.doubleValue)
            let reliable = try #require(characteristic["rateFor95Percent"]?.doubleValue)
            #expect(text.contains("half the time at a true rate of \(Format.percent(evenOdds)), and 95% of the time at \(Format.percent(reliable))."))
        }

        let policy = folder.write(
            "tiers.yaml", "version: 1\ntiers:\n  2: {name: only, max_regression: 0.1}\n  4: {name: gated, min_pass_rate: 0.9, min_cases: 20}\n")
        let simulated = try tool.run(["tiers", "--policy", policy, "--format", "json", "--simulate", "50"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let custom = try JSONValue(parsing: simulated.stdout)
        #expect(custom["policy"]?.stringValue == policy)
        let customTiers = try #require(custom["tiers"]?.arrayValue)
        #expect(customTiers.compactMap { $0["name"]?.stringValue } == ["only", "gated"])
        // A tier without a pass-rate gate has no operating characteristic.
        #expect(customTiers[0]["operatingCharacteristic"] == nil)
        #expect(customTiers[0]["thresholds"]?["maxRegression"] == 0.1)
        #expect(customTiers[1]["operatingCharacteristic"]?["cases"] == 20)
        #expect(customTiers[1]["operatingCharacteristic"]?["simulationTrials"] == 50)
        #expect(customTiers[1]["operatingCharacteristic"]?["points"]?.arrayValue?.allSatisfy { $0["simulated"]?.doubleValue != nil } == true)
    }

    @Test func sweepPrintsItsSummaryAndProgressGoesToStderr() async throws {
        let folder = TemporaryDirectory()
        folder.write("pipelines/broken.yaml", "version: 1\nagent: {name: broken, version: \"1.0\"}\n")
        let environment = ["EVALGATE_HOME": folder.file(".evalgate"), "EVALGATE_HISTORY": folder.file(".evalgate/history.sqlite")]
        let tool = CommandLineTool(workingDirectory: folder.path, environment: environment)
        let output = try tool.run(["sweep", "pipelines", "--format", "json", "--output", "sweep.json"])
        #expect(output.status == EvalGateKit.ExitStatus.invalidInput.rawValue, "\(output.stderr)")
        let document = try JSONValue(parsing: output.stdout)
        #expect(document["status"] == "invalid")
        let entry = try #require(document["entries"]?.arrayValue?.first)
        #expect(entry["pipeline"] == "pipelines/broken.yaml" && entry["status"] == "invalid")
        #expect(entry["summary"]?.stringValue?.contains("error") == true)
        #expect(output.stderr.contains("INVALID      pipelines/broken.yaml"), "\(output.stderr)")
        // The same document --output writes.
        let written = try String(contentsOfFile: folder.file("sweep.json"), encoding: .utf8)
        #expect(try JSONValue(parsing: written) == document)

        let table = try tool.run(["sweep", "pipelines"])
        #expect(table.stdout.contains("PIPELINE "), "\(table.stdout)")
        #expect(table.stdout.contains("INVALID      pipelines/broken.yaml"))
    }
}
