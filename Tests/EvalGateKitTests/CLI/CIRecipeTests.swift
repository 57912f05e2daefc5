import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The recipes in `ci-recipes/` and the shell blocks of `docs/ci.md`, checked as far as they can be
/// without a CI system: they parse, every evalgate command in them is one the built binary accepts,
/// the Argo Jobs let evalgate's exit code decide, and the exit-code tables match the code.
enum CIRecipes {
    static let folder = RepositoryPaths.path("ci-recipes")

    /// Every YAML file below `ci-recipes/`, hidden ones (`.gitlab-ci.yml`) included, relative paths.
    static var files: [String] {
        (FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
    }

    /// The documents of a file (split on `---` lines), each converted to JSON.
    static func documents(_ relative: String) throws -> [JSONValue] {
        let path = (folder as NSString).appendingPathComponent(relative)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var documents: [JSONValue] = []
        for (index, part) in text.components(separatedBy: "\n---\n").enumerated() {
            let display = "ci-recipes/\(relative) (document \(index + 1))"
            guard let node = try YAMLDocument.parse(Data(part.utf8), displayPath: display, limits: .pipeline) else { continue }
            documents.append(YAMLReader(file: display, interpolation: nil).json(node))
        }
        return documents
    }

    static func document(_ relative: String) throws -> JSONValue {
        try #require(try documents(relative).first)
    }

    /// Shell text a CI system runs: `run` (GitHub), `script`/`before_script`/`after_script` (GitLab).
    static func shellScripts(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            var scripts: [String] = []
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if ["run", "script", "before_script", "after_script"].contains(key) {
                    if let text = member.stringValue { scripts.append(text) }
                    scripts += member.arrayValue?.compactMap(\.stringValue) ?? []
                } else {
                    scripts += shellScripts(in: member)
                }
            }
            return scripts
        case .array(let items): return items.flatMap(shellScripts)
        default: return []
        }
    }

    /// Kubernetes containers (objects with an `image` and a `command`) anywhere in a document.
    static func containers(in value: JSONValue) -> [[String: JSONValue]] {
        switch value {
        case .object(let members):
            let own = members["image"] != nil && members["command"] != nil ? [members] : []
            return own + members.values.flatMap(containers)
        case .array(let items): return items.flatMap(containers)
        default: return []
        }
    }

    /// The fenced ```sh blocks of a Markdown file.
    static func shellBlocks(markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [String]?
        for line in markdown.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if current == nil, ["```sh", "```bash", "```shell"].contains(trimmed) {
                current = []
            } else if current != nil, trimmed == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// One invocation of evalgate or the reference agent: the program, then its words.
    struct Command: CustomStringConvertible {
        var source: String
        var program: String
        var words: [String]

        var description: String { "\(source): \(([program] + words).joined(separator: " "))" }
        var flags: [String] { words.filter { $0.hasPrefix("--") }.map { String($0.prefix { $0 != "=" }) } }
    }

    static let terminators: Set<String> = [";", "|", "||", "&&", "&", ")"]

    /// The evalgate commands in a piece of shell, continuation lines joined, quotes respected.
    static func commands(inShell text: String, source: String) -> [Command] {
        var commands: [Command] = []
        for line in text.replacingOccurrences(of: "\\\n", with: " ").components(separatedBy: "\n") {
            let words = shellWords(line)
            for (index, word) in words.enumerated() where word == "evalgate" || word == "evalgate-reference-agent" {
                // A program name starts a command: at the start, after an operator or in `nohup`/`exec`.
                guard index == 0 || terminators.contains(words[index - 1]) || ["nohup", "exec", "then", "do", "-"].contains(words[index - 1]) else {
                    continue
                }
                var rest: [String] = []
                for next in words[(index + 1)...] {
                    if terminators.contains(next) || next.hasPrefix(">") || next.hasPrefix("2>") || next.hasPrefix("#") { break }
                    rest.append(next)
                }
                commands.append(Command(source: source, program: word, words: rest))
            }
        }
        return commands
    }

    /// Splits a shell line into words: quotes grouped (and removed), operators separate words.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var started = false
        func finish() {
            if started { words.append(current) }
            current = ""
            started = false
        }
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                started = true
            } else if character == " " || character == "\t" {
                finish()
            } else if ";|&()".contains(character) {
                finish()
                var op = String(character)
                if let next = characters.first, character == "|" || character == "&", next == character {
                    op.append(characters.removeFirst())
                }
                words.append(op)
            } else {
                current.append(character)
                started = true
            }
        }
        finish()
        return words
    }

    /// Every command in every recipe and in docs/ci.md.
    static func allCommands() throws -> [Command] {
        var commands: [Command] = []
        for file in files {
            for document in try documents(file) {
                for script in shellScripts(in: document) { commands += Self.commands(inShell: script, source: file) }
                for container in containers(in: document) {
                    let words = (container["command"]?.arrayValue ?? []) + (container["args"]?.arrayValue ?? [])
                    let texts = words.compactMap(\.stringValue)
                    guard let program = texts.first else { continue }
                    if ["sh", "bash"].contains((program as NSString).lastPathComponent), texts.count >= 3, texts[1] == "-c" {
                        // A container running a shell script: the commands in the script.
                        commands += Self.commands(inShell: texts[2], source: file)
                        continue
                    }
                    commands.append(Command(source: file, program: (program as NSString).lastPathComponent, words: Array(texts.dropFirst())))
                }
            }
        }
        let docs = try String(contentsOfFile: RepositoryPaths.path("docs/ci.md"), encoding: .utf8)
        for block in shellBlocks(markdown: docs) { commands += Self.commands(inShell: block, source: "docs/ci.md") }
        return commands
    }
}

@Suite("CI recipes")
struct CIRecipeTests {
    @Test func everyRecipeParses() throws {
        let files = CIRecipes.files
        #expect(files.contains("github/release-gate.yml"))
        #expect(files.contains("github/nightly-sweep.yml"))
        #expect(files.contains("gitlab/.gitlab-ci.yml"))
        #expect(files.contains("argo/analysis-templates.yaml"))
        for file in files {
            do {
                let documents = try CIRecipes.documents(file)
                #expect(!documents.isEmpty && documents.allSatisfy { $0.objectValue != nil }, "\(file) is not a YAML mapping")
            } catch let error as InvalidInputError {
                Issue.record("\(file) does not parse:\n\(error.description)")
            }
        }
    }

    /// Each command's subcommand exists and each of its flags appears in that subcommand's --help.
    @Test func commandsUseOnlyRealSubcommandsAndFlags() throws {
        let commands = try CIRecipes.allCommands()
        let evalgate = CommandLineTool(workingDirectory: RepositoryPaths.root)
        let topHelp = try evalgate.run(["--help"]).stdout
        let subcommands = Set(
            topHelp.components(separatedBy: "SUBCOMMANDS:").last!.split(separator: "\n").compactMap { line -> String? in
                // Subcommand names are indented by two spaces; wrapped abstracts by more.
                line.hasPrefix("  ") && !line.hasPrefix("   ") ? line.split(separator: " ").first.map(String.init) : nil
            })
        #expect(subcommands.isSuperset(of: ["run", "sweep", "validate", "report", "deploy"]), "\(subcommands)")
        var helps: [[String]: String] = [:]
        func help(_ program: String, _ path: [String]) throws -> String {
            if let known = helps[[program] + path] { return known }
            let output = try CommandLineTool(program, workingDirectory: RepositoryPaths.root).run(path + ["--help"])
            #expect(output.status == 0, "\(program) \(path.joined(separator: " ")) --help failed: \(output.stderr)")
            helps[[program] + path] = output.stdout
            return output.stdout
        }
        for command in commands {
            var path: [String] = []
            if command.program == "evalgate" {
                guard let subcommand = command.words.first, subcommands.contains(subcommand) else {
                    Issue.record("not an evalgate subcommand: \(command)")
                    continue
                }
                path = [subcommand]
                if subcommand == "deploy", let nested = command.words.dropFirst().first { path.append(nested) }
            } else {
                #expect(command.program == "evalgate-reference-agent", "\(command)")
            }
            let text = try help(command.program, path)
            for flag in command.flags {
                let pattern = try NSRegularExpression(
                    pattern: "(^|[\\s,\\[])\(NSRegularExpression.escapedPattern(for: flag))(?![a-z0-9-])", options: [.anchorsMatchLines])
                #expect(
                    pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil,
                    "\(flag) is not a flag of `\(command.program) \(path.joined(separator: " "))`: \(command)")
            }
        }
        // Enough commands were found that the loop above means something.
        let bySubcommand = Dictionary(grouping: commands.filter { $0.program == "evalgate" }) { $0.words.first ?? "" }
        #expect((bySubcommand["run"]?.count ?? 0) >= 5, "\(commands)")
        #expect((bySubcommand["sweep"]?.count ?? 0) >= 3)
        #expect(bySubcommand["report"] != nil && bySubcommand["validate"] != nil && bySubcommand["deploy"] != nil)
        #expect(commands.contains { $0.program == "evalgate-reference-agent" })
        #expect(
            Set(commands.map(\.source)).isSuperset(of: [
                "github/release-gate.yml", "github/nightly-sweep.yml", "gitlab/.gitlab-ci.yml", "argo/analysis-templates.yaml", "docs/ci.md",
                "github/sharded-gate.yml", "kubernetes/sharded-gate.yaml", "kubernetes/nightly-sweep-cronjob.yaml",
                "kubernetes/argo-sharded-analysis.yaml",
            ]))
        #expect((bySubcommand["merge"]?.count ?? 0) >= 5, "every sharded recipe merges")
        #expect(commands.contains { $0.words.first == "run" && $0.flags.contains("--shard") })
    }

    /// Pipelines and folders the recipes run exist in this repository (the Argo image mirrors it under /evals).
    @Test func recipesRunPipelinesThatExist() throws {
        for command in try CIRecipes.allCommands() where command.program == "evalgate" {
            guard let subcommand = command.words.first, ["run", "sweep", "validate"].contains(subcommand) else { continue }
            for word in command.words.dropFirst() where !word.hasPrefix("-") && (word.hasSuffix(".yaml") || word == "pipelines") {
                #expect(FileManager.default.fileExists(atPath: RepositoryPaths.path(word)), "\(word) does not exist: \(command)")
            }
        }
    }

    @Test func githubReleaseGateUploadsReportsAndMapsExitCodes() throws {
        let workflow = try CIRecipes.document("github/release-gate.yml")
        #expect(workflow["on"]?["pull_request"] != nil)
        let steps = try #require(workflow["jobs"]?["release-gate"]?["steps"]?.arrayValue)
        #expect(steps.first?["uses"]?.stringValue?.hasPrefix("actions/checkout@") == true)
        let scripts = steps.compactMap { $0["run"]?.stringValue }
        #expect(scripts.contains { $0.contains("swift build -c release") })
        let gate = try #require(steps.first { $0["run"]?.stringValue?.contains("evalgate run pipelines/refund-agent.yaml") == true })
        #expect(gate["continue-on-error"] == nil)
        let script = try #require(gate["run"]?.stringValue)
        for flag in ["--report html=evalgate-report.html", "--report junit=evalgate-junit.xml"] { #expect(script.contains(flag)) }
        try Self.expectExitCodeMapping(script, codes: [0, 1, 2, 3, 4, 5, 64])
        #expect(script.contains("INCONCLUSIVE"), "an inconclusive gate fails the job and says so")
        let upload = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/upload-artifact@") == true })
        #expect(upload["if"] == "always()")
        #expect(upload["with"]?["path"]?.stringValue?.contains("evalgate-report.html") == true)
        #expect(upload["with"]?["path"]?.stringValue?.contains("evalgate-junit.xml") == true)
        // The annotations and the job summary come from evalgate itself; nothing may hide the variables.
        #expect(!script.contains("GITHUB_ACTIONS=") && !script.contains("GITHUB_STEP_SUMMARY="))
    }

    @Test func githubNightlySweepKeepsItsHistory() throws {
        let workflow = try CIRecipes.document("github/nightly-sweep.yml")
        let cron = try #require(workflow["on"]?["schedule"]?.arrayValue?.first?["cron"]?.stringValue)
        #expect(cron.split(separator: " ").count == 5, "a five-field cron expression: \(cron)")
        #expect(workflow["on"]?["workflow_dispatch"] != nil)
        let job = try #require(workflow["jobs"]?["sweep"])
        let steps = try #require(job["steps"]?.arrayValue)
        let sweep = try #require(steps.first { $0["run"]?.stringValue?.contains("evalgate sweep pipelines --notify \"$SLACK_WEBHOOK_URL\"") == true })
        #expect(sweep["env"]?["SLACK_WEBHOOK_URL"] == "${{ secrets.SLACK_WEBHOOK_URL }}")
        try Self.expectExitCodeMapping(try #require(sweep["run"]?.stringValue), codes: [0, 1, 2, 3, 4, 64])
        let historyPath = try #require(job["env"]?["EVALGATE_HISTORY"]?.stringValue)
        let restore = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/cache/restore@") == true })
        let save = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/cache/save@") == true })
        #expect(restore["with"]?["path"]?.stringValue == historyPath)
        #expect(save["with"]?["path"]?.stringValue == historyPath)
        #expect(save["if"] == "always()")
        let order = steps.map { $0["uses"]?.stringValue ?? $0["run"]?.stringValue ?? "" }
        let restoreIndex = try #require(order.firstIndex { $0.hasPrefix("actions/cache/restore@") })
        let sweepIndex = try #require(order.firstIndex { $0.contains("evalgate sweep") })
        let saveIndex = try #require(order.firstIndex { $0.hasPrefix("actions/cache/save@") })
        #expect(restoreIndex < sweepIndex && sweepIndex < saveIndex)
        let upload = try #require(steps.first { $0["uses"]?.stringValue?.hasPrefix("actions/upload-artifact@") == true })
        #expect(upload["if"] == "always()")
        // The release gate restores the history this workflow saves.
        let gate = try CIRecipes.document("github/release-gate.yml")
        let gateRestore = try #require(
            gate["jobs"]?["release-gate"]?["steps"]?.arrayValue?.first { $0["uses"]?.stringValue?.hasPrefix("actions/cache/restore@") == true })
        #expect(gateRestore["with"]?["restore-keys"] == restore["with"]?["restore-keys"])
        #expect(gate["jobs"]?["release-gate"]?["env"]?["EVALGATE_HISTORY"]?.stringValue == historyPath)
    }

    @Test func gitlabPublishesJUnitAndSweepsOnSchedule() throws {
        let pipeline = try CIRecipes.document("gitlab/.gitlab-ci.yml")
        let gate = try #require(pipeline["release-gate"])
        let junit = try #require(gate["artifacts"]?["reports"]?["junit"]?.stringValue)
        #expect(gate["artifacts"]?["when"] == "always")
        let gateScript = (gate["script"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "\n")
        #expect(gateScript.contains("--report junit=\(junit)"), "the job writes the JUnit file it publishes")
        #expect(gate["rules"]?.arrayValue?.first?["if"] == "$CI_PIPELINE_SOURCE == \"merge_request_event\"")
        try Self.expectExitCodeMapping(gateScript, codes: [0, 1, 2, 3, 4, 64])
        let sweep = try #require(pipeline["nightly-sweep"])
        #expect(sweep["rules"]?.arrayValue?.first?["if"] == "$CI_PIPELINE_SOURCE == \"schedule\"")
        let sweepScript = (sweep["script"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "\n")
        #expect(sweepScript.contains("evalgate sweep pipelines --notify \"$SLACK_WEBHOOK_URL\""))
        #expect(sweepScript.contains("exit \"$status\""), "the sweep's exit code is the job's")
        #expect(gate["cache"]?["policy"] == "pull", "a merge request never writes the history")
    }

    /// Argo's Job provider passes a metric only when the Job succeeds, which needs exit code 0: so
    /// evalgate must be the container's command, unwrapped, with no retries.
    @Test func argoJobsSucceedOnlyWhenEvalgateExitsZero() throws {
        let documents = try CIRecipes.documents("argo/analysis-templates.yaml")
        let templates = documents.filter { $0["kind"] == "AnalysisTemplate" }
        #expect(templates.count == 2)
        for template in templates {
            let name = template["metadata"]?["name"]?.stringValue ?? "?"
            let metrics = try #require(template["spec"]?["metrics"]?.arrayValue)
            for metric in metrics {
                #expect((metric["failureLimit"]?.doubleValue ?? 0) == 0, "\(name): one failed run must fail the analysis")
                #expect((metric["count"]?.doubleValue ?? 1) == 1)
                let job = try #require(metric["provider"]?["job"]?["spec"], "\(name) does not use the Job provider")
                #expect(job["backoffLimit"]?.doubleValue == 0, "\(name): a retried Job could turn a failed gate into a pass")
                let pod = try #require(job["template"]?["spec"])
                #expect(pod["restartPolicy"] == "Never")
                let containers = try #require(pod["containers"]?.arrayValue)
                #expect(containers.count == 1)
                let command = containers[0]["command"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(command == ["evalgate"], "\(name): no shell around evalgate: \(command)")
                let args = containers[0]["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
                #expect(args.first == "run")
                #expect(args.contains("--monitor") == (name == "evalgate-live-monitor"), "\(name): \(args)")
                let environment = containers[0]["env"]?.arrayValue ?? []
                #expect(environment.contains { $0["name"] == "AGENT_VERSION" && $0["value"] == "{{args.agent-version}}" })
                let declared = Set(template["spec"]?["args"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? [])
                #expect(declared.isSuperset(of: ["agent-version", "agent-url"]))
            }
        }
        // The example Rollout runs the release gate before any traffic moves.
        let rollout = try #require(documents.first { $0["kind"] == "Rollout" })
        let steps = try #require(rollout["spec"]?["strategy"]?["canary"]?["steps"]?.arrayValue)
        let analysis = try #require(steps.firstIndex { $0["analysis"] != nil })
        let firstWeight = try #require(steps.firstIndex { $0["setWeight"] != nil })
        #expect(analysis < firstWeight)
        #expect(steps[analysis]["analysis"]?["templates"]?.arrayValue?.first?["templateName"] == "evalgate-release-gate")
    }

    /// The README's exit-code table, the library's `ExitStatus`, the table in docs/ci.md and the
    /// codes `evalgate --help` lists all agree.
    @Test func exitCodeTablesMatchTheCode() throws {
        let codes = Dictionary(uniqueKeysWithValues: EvalGateKit.ExitStatus.allCases.map { ("\($0)", Int($0.rawValue)) })
        #expect(
            codes == [
                "pass": 0, "fail": 1, "inconclusive": 2, "invalidInput": 3, "cannotRun": 4, "interrupted": 5, "auditBroken": 6, "partial": 7,
                "attestationInvalid": 8, "notAuthorized": 9, "changePending": 10, "autonomyRefused": 11, "usage": 64,
            ])

        // The meaning each code's row must state, by the case's name.
        let meaning = [
            "pass": "pass", "fail": "fail", "inconclusive": "inconclusive", "invalidInput": "invalid input", "cannotRun": "could not run",
            "interrupted": "interrupted", "auditBroken": "audit trail broken", "partial": "shard recorded",
            "attestationInvalid": "attestation does not verify", "notAuthorized": "role may not sign off", "changePending": "change awaits approval",
            "autonomyRefused": "autonomy change refused", "usage": "usage error",
        ]
        for document in ["README.md", "docs/ci.md"] {
            let text = try String(contentsOfFile: RepositoryPaths.path(document), encoding: .utf8)
            let section = try #require(
                text.components(separatedBy: "## Exit codes").dropFirst().first?.components(separatedBy: "\n## ").first,
                "\(document) has no Exit codes section")
            var rows: [Int: String] = [:]
            for line in section.components(separatedBy: "\n") where line.hasPrefix("| ") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if let code = Int(cells[0]) { rows[code] = cells.dropFirst().joined(separator: " | ") }
            }
            #expect(Set(rows.keys) == Set(codes.values), "\(document) lists codes \(rows.keys.sorted())")
            for (name, code) in codes {
                #expect(rows[code]?.lowercased().hasPrefix(meaning[name]!) == true, "\(document), code \(code): \(rows[code] ?? "missing")")
            }
        }

        let help = try CommandLineTool().run(["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        let listed = try NSRegularExpression(pattern: "(\\d+) ([a-z][a-z/ ]+?)[,.]").matches(in: help, range: NSRange(help.startIndex..., in: help))
            .map {
                (Int(help[Range($0.range(at: 1), in: help)!])!, String(help[Range($0.range(at: 2), in: help)!]))
            }
        #expect(Set(listed.map(\.0)) == Set(codes.values), "evalgate --help lists \(listed)")
        #expect(listed.map(\.1) == EvalGateKit.ExitStatus.allCases.map(\.meaning), "evalgate --help lists \(listed)")
    }

    static func expectExitCodeMapping(_ script: String, codes: [Int], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(script.contains("case \"$status\" in"), sourceLocation: sourceLocation)
        for code in codes {
            #expect(
                script.contains("\n  \(code))") || script.contains(" \(code))"), "no branch for exit code \(code)", sourceLocation: sourceLocation)
        }
        #expect(script.contains("exit \"$status\""), "the job must end with evalgate's exit code", sourceLocation: sourceLocation)
    }
}
