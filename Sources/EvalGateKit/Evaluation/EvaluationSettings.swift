import Foundation

/// Where evalgate keeps its state, and how a run is to be done: from flags, environment, defaults.
public struct EvaluationSettings: Sendable {
    /// Folder for run journals and results (`EVALGATE_HOME`, default `.evalgate`).
    public var home: String
    /// The history database (`--history`, `EVALGATE_HISTORY`, default `<home>/history.sqlite`).
    public var historyPath: String
    public var mode: Recommendation.Mode
    /// The deployment environment the run is about; overrides the pipeline's `rollback.environment`.
    public var environment: String?
    public var options: RunOptions
    /// Also write the full result JSON here.
    public var outputPath: String?
    /// Where the recommendation JSON goes (default `<run folder>/recommendation.json`).
    public var recommendationPath: String?
    /// Continue this earlier run instead of starting a new one.
    public var resumeRunID: String?
    /// Re-send only the cases of this earlier run that ended in infrastructure errors.
    public var retryErrorsRunID: String?
    /// The process's environment variables, for `${VAR}` and CI context.
    public var processEnvironment: [String: String]
    /// `--by`: who the audit log names for the decision (default: the CI identity or OS user).
    public var actor: String?
    /// The sharded run a `--shard` run belongs to (`--shard-group`); nil uses
    /// `ShardRun.defaultGroup` (the CI run's id), else the shard's fingerprint.
    public var shardGroup: String?

    public init(
        home: String? = nil, historyPath: String? = nil, mode: Recommendation.Mode = .release, environment: String? = nil,
        options: RunOptions = RunOptions(), outputPath: String? = nil, recommendationPath: String? = nil, resumeRunID: String? = nil,
        retryErrorsRunID: String? = nil, processEnvironment: [String: String] = ProcessInfo.processInfo.environment, actor: String? = nil
    ) {
        let resolvedHome = home ?? processEnvironment["EVALGATE_HOME"] ?? ".evalgate"
        self.home = resolvedHome
        self.historyPath =
            historyPath ?? processEnvironment["EVALGATE_HISTORY"] ?? (resolvedHome as NSString).appendingPathComponent("history.sqlite")
        self.mode = mode
        self.environment = environment
        self.options = options
        self.outputPath = outputPath
        self.recommendationPath = recommendationPath
        self.resumeRunID = resumeRunID
        self.retryErrorsRunID = retryErrorsRunID
        self.processEnvironment = processEnvironment
        self.actor = actor
    }

    public var runsFolder: String { (home as NSString).appendingPathComponent("runs") }

    public func runFolder(_ id: String) -> String { (runsFolder as NSString).appendingPathComponent(id) }

    /// CI context from the usual variables of GitHub Actions, GitLab CI and generic CI systems.
    public var ciContext: [String: String] {
        var context: [String: String] = [:]
        let env = processEnvironment
        context["commit"] = env["GITHUB_SHA"] ?? env["CI_COMMIT_SHA"] ?? env["GIT_COMMIT"] ?? env["BUILD_VCS_NUMBER"]
        context["branch"] =
            env["GITHUB_HEAD_REF"].flatMap { $0.isEmpty ? nil : $0 } ?? env["GITHUB_REF_NAME"] ?? env["CI_COMMIT_REF_NAME"] ?? env["GIT_BRANCH"]
        if let server = env["GITHUB_SERVER_URL"], let repository = env["GITHUB_REPOSITORY"], let run = env["GITHUB_RUN_ID"] {
            context["job_url"] = "\(server)/\(repository)/actions/runs/\(run)"
        } else {
            context["job_url"] = env["CI_JOB_URL"] ?? env["BUILD_URL"]
        }
        if env["GITHUB_ACTIONS"] == "true" {
            context["system"] = "github-actions"
        } else if env["GITLAB_CI"] == "true" {
            context["system"] = "gitlab-ci"
        } else if env["CI"] != nil {
            context["system"] = "ci"
        }
        return context.compactMapValues { $0 }
    }
}
