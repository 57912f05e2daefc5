import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The composite action in `action.yml`: its inputs and outputs, the cache key, that every evalgate
/// command it runs is one the built binary accepts, and its gate step's script run for real against
/// the reference agent, outputs and exit code included.
@Suite("GitHub Action (action.yml)")
struct GitHubActionTests {
    static func action() throws -> JSONValue {
        let path = RepositoryPaths.path("action.yml")
        let node = try #require(try YAMLDocument.parse(Data(contentsOf: URL(fileURLWithPath: path)), displayPath: "action.yml", limits: .pipeline))
        return YAMLReader(file: "action.yml", interpolation: nil).json(node)
    }

    static func steps() throws -> [JSONValue] {
        try #require(try action()["runs"]?["steps"]?.arrayValue)
    }

    @Test func inputsAndOutputs() throws {
        let action = try Self.action()
        #expect(action["runs"]?["using"] == "composite")
        let inputs = try #require(action["inputs"]?.objectValue)
        #expect(Set(inputs.keys).isSuperset(of: ["pipeline", "report", "history", "args"]))
        #expect(inputs["pipeline"]?["required"] == true)
        for name in ["report", "history", "args", "binary"] { #expect(inputs[name]?["required"] == false, "\(name)") }
        for (name, input) in inputs { #expect(input["description"]?.stringValue?.isEmpty == false, "\(name) has no description") }
        let outputs = try #require(action["outputs"]?.objectValue)
        #expect(Set(outputs.keys) == ["verdict", "action", "target-version"])
        for name in outputs.keys { #expect(outputs[name]?["value"] == .string("${{ steps.gate.outputs.\(name) }}")) }
        // Every input is used by some step.
        let text = try String(contentsOfFile: RepositoryPaths.path("action.yml"), encoding: .utf8)
        for name in inputs.keys { #expect(text.contains("${{ inputs.\(name) }}"), "input \(name) is never used") }
    }

    @Test func buildIsCachedOnPackageSwiftAndTheCommit() throws {
        let steps = try Self.steps()
        let key = try #require(steps.first { $0["id"] == "build-key" })
        let script = try #require(key["run"]?.stringValue)
        #expect(script.contains("sha256sum Package.swift"))
        #expect(key["env"]?["ACTION_COMMIT"] == "${{ github.action_ref || github.sha }}")
        let cache = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/cache@") == true })
        #expect(cache["with"]?["key"] == "${{ steps.build-key.outputs.key }}")
        let build = try #require(steps.first { $0["run"]?.stringValue?.contains("scripts/install") == true })
        #expect(build["if"]?.stringValue?.contains("steps.cache.outputs.cache-hit != 'true'") == true)
        #expect(FileManager.default.isExecutableFile(atPath: RepositoryPaths.path("scripts/install")))
        let upload = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/upload-artifact@") == true })
        #expect(upload["if"]?.stringValue?.hasPrefix("always()") == true, "reports are uploaded whatever the verdict")
    }

    /// Each evalgate command in the action's scripts names a real subcommand and real flags.
    @Test func commandsExistInTheBuiltBinary() throws {
        let scripts = try Self.steps().compactMap { $0["run"]?.stringValue }
        let commands = scripts.flatMap { CIRecipes.commands(inShell: $0, source: "action.yml") }.filter { $0.program == "evalgate" }
        #expect(commands.contains { $0.words.first == "run" }, "\(commands)")
        let evalgate = CommandLineTool(workingDirectory: RepositoryPaths.root)
        for command in commands {
            let first = command.words.first ?? ""
            if first.hasPrefix("--") {
                // Top-level flags: --version, --generate-completion-script.
                #expect(try evalgate.run([first] + (first == "--version" ? [] : ["bash"])).status == 0, "\(command)")
                continue
            }
            let help = try evalgate.run([first, "--help"])
            #expect(help.status == 0, "\(command): \(help.stderr)")
            for flag in command.flags {
                #expect(help.stdout.contains(flag + " ") || help.stdout.contains(flag + "\n"), "\(flag) is not a flag of `evalgate \(first)`")
            }
        }
    }

    /// The gate step's script, run by bash with the inputs a workflow would give it.
    func runGate(pipeline: String, in folder: RunFolder, extra: [String: String] = [:]) async throws -> (CommandLineTool.Output, [String: String]) {
        let gate = try #require(try Self.steps().first { $0["id"] == "gate" })
        let script = folder.folder.write("gate.sh", try #require(gate["run"]?.stringValue))
        let outputs = folder.folder.file("github-output")
        _ = FileManager.default.createFile(atPath: outputs, contents: nil)
        var bash = folder.tool()
        bash.executable = "/bin/bash"
        bash.environment["PATH"] = RepositoryPaths.productsFolder + ":" + (bash.environment["PATH"] ?? "/usr/bin:/bin")
        let inputs = [
            "INPUT_PIPELINE": pipeline, "INPUT_REPORT": "html=evalgate-report/report.html\njunit=evalgate-report/junit.xml\n",
            "INPUT_HISTORY": ".evalgate/history.sqlite", "INPUT_ARGS": "", "GITHUB_OUTPUT": outputs, "RUNNER_TEMP": folder.path,
        ]
        bash.environment.merge(inputs.merging(extra) { $1 }) { $1 }
        let output = try await bash.runDetached(["-eo", "pipefail", script])
        var values: [String: String] = [:]
        var lines = try String(contentsOfFile: outputs, encoding: .utf8).components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            if let range = line.range(of: "<<") {
                let delimiter = String(line[range.upperBound...])
                var body: [String] = []
                while let next = lines.popFirst(), next != delimiter { body.append(next) }
                values[String(line[..<range.lowerBound])] = body.joined(separator: "\n")
            } else if let equals = line.firstIndex(of: "=") {
                values[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        return (output, values)
    }

    @Test func gateStepSetsOutputsAndExitsWithTheVerdict() async throws {
        try await withReferenceAgent { agent in
            let folder = RunFolder(agentURL: agent.chatCompletionsURL)
            let (passed, passOutputs) = try await runGate(pipeline: "pass.yaml", in: folder)
            #expect(passed.status == 0, "\(passed.stdout)\n\(passed.stderr)")
            #expect(passOutputs["verdict"] == "pass")
            #expect(passOutputs["action"] == "promote")
            #expect(passOutputs["target-version"] == "3.1.0")
            let reports = try #require(passOutputs["reports"]).components(separatedBy: "\n")
            #expect(reports.contains("evalgate-report/report.html") && reports.contains("evalgate-report/junit.xml"), "\(reports)")
            #expect(FileManager.default.fileExists(atPath: folder.folder.file("evalgate-report/report.html")))
            #expect(FileManager.default.fileExists(atPath: folder.folder.file(".evalgate/history.sqlite")))

            let (failed, failOutputs) = try await runGate(pipeline: "fail.yaml", in: folder, extra: ["INPUT_ARGS": "--quiet"])
            #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
            #expect(failOutputs["verdict"] == "fail")
            #expect(failOutputs["action"] == "block")

            // An invalid pipeline reaches no verdict: exit 3, no outputs but the reports list.
            let (invalid, invalidOutputs) = try await runGate(pipeline: "invalid.yaml", in: folder)
            #expect(invalid.status == 3, "\(invalid.stderr)")
            #expect(invalidOutputs["verdict"] == nil)
            #expect(invalidOutputs["reports"] != nil)
        }
    }
}
