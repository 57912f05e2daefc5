import ArgumentParser
import EvalGateKit
import Foundation

struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy", abstract: "Record which version of an agent is live, and list what was live when.",
        subcommands: [Record.self, List.self])

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record", abstract: "Record that VERSION of AGENT is now live (call it from your deploy step).")

        @OptionGroup var store: HistoryOptions

        @Argument(help: "Agent name (as in the pipeline's agent.name).")
        var agent: String

        @Argument(help: "The version now live.")
        var version: String

        @Option(name: .customLong("environment"), help: "Deployment environment.")
        var environmentName = "production"

        @Option(help: "Who deployed (default: the CI identity, e.g. $GITHUB_ACTOR, or $USER); named in the audit log.")
        var by: String?

        @Option(help: "A note (change ticket, reason).")
        var note: String?

        @Option(help: "The evalgate run that justified the deployment.")
        var run: String?

        func run() async throws {
            let history = try await store.open()
            let who = AuditActor.resolve(by: by)
            try await history.recordDeployment(agent: agent, environment: environmentName, version: version, recordedBy: who, note: note, runID: run)
            print("\(agent) \(version) is live in \(environmentName)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "What was live when, newest first.")

        @OptionGroup var store: HistoryOptions

        @Argument(help: "Agent name.")
        var agent: String

        @Option(name: .customLong("environment"), help: "Only this environment.")
        var environmentName: String?

        @Option(help: "Output format: table, or json (an array of deployments, newest first).")
        var format: OutputFormat = .table

        /// One deployment in `--format json`: the table's columns, and the run that justified it.
        struct Entry: Encodable {
            var agent: String
            var environment: String
            var version: String
            var recordedAt: Date
            var recordedBy: String?
            var note: String?
            var runID: String?

            enum CodingKeys: String, CodingKey {
                case agent, environment, version, recordedAt, recordedBy, note, runID
            }

            init(_ deployment: Deployment) {
                agent = deployment.agent
                environment = deployment.environment
                version = deployment.version
                recordedAt = deployment.recordedAt
                recordedBy = deployment.recordedBy
                note = deployment.note
                runID = deployment.runID
            }
        }

        func run() async throws {
            let history = try await store.open()
            let deployments = try await history.deployments(agent: agent, environment: environmentName, limit: 100)
            if format == .json {
                try printJSON(deployments.map(Entry.init))
                return
            }
            if deployments.isEmpty {
                print("no deployments of \(agent) recorded")
                return
            }
            var rows = [["RECORDED", "ENVIRONMENT", "VERSION", "BY", "NOTE"]]
            for deployment in deployments {
                rows.append([
                    timestamp(deployment.recordedAt), deployment.environment, deployment.version, deployment.recordedBy ?? "", deployment.note ?? "",
                ])
            }
            print(table(rows))
        }
    }
}
