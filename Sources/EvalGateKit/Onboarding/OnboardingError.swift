import Foundation

/// Why `evalgate init` wrote nothing: the endpoint could not be used, or files are in the way.
public enum OnboardingError: Error, LocalizedError, Equatable, Sendable {
    /// Nothing answered at the URL (connection refused, unknown host, timeout).
    case unreachable(url: String, reason: String)
    /// The endpoint answered 401 or 403: it wants a key, which goes in the named variable.
    case needsKey(url: String, status: Int, variable: String, keySent: Bool)
    /// Something answered, but not as an OpenAI-compatible chat endpoint does.
    case notOpenAICompatible(url: String, reason: String)
    /// The endpoint answered with an error status.
    case endpointFailed(url: String, status: Int, body: String)
    /// No model was given and the endpoint does not list one.
    case modelRequired(url: String)
    /// The endpoint does not know the model.
    case unknownModel(model: String, available: [String])
    /// The response has no answer where one was expected, or none could be found.
    case noAnswer(url: String, reason: String)
    /// The command could not be run or did not answer.
    case commandFailed(command: String, reason: String)
    /// Files that exist and would be replaced; `--force` replaces them.
    case wouldOverwrite([String])
    /// A flag's value is not usable.
    case invalidSetting(String)
    /// The files were written but the pipeline does not validate (a bug in init, or a tier policy
    /// that lacks the tier).
    case generatedPipelineInvalid(path: String, diagnostics: [String])

    public var errorDescription: String? {
        switch self {
        case .unreachable(let url, let reason):
            return "could not reach \(url): \(reason). Is the agent running, and is the URL right? Nothing was written."
        case .needsKey(let url, let status, let variable, let keySent):
            let what = keySent ? "rejected the key in \(variable)" : "needs an API key"
            return "\(url) answered \(status) \(status == 401 ? "Unauthorized" : "Forbidden"): it \(what). "
                + "Set the key in the environment (export \(variable)=...) and run init again; the pipeline sends it as "
                + "'Authorization: Bearer ${\(variable)}' (--api-key-env names another variable). Nothing was written."
        case .notOpenAICompatible(let url, let reason):
            return "\(url) does not answer like an OpenAI-compatible chat endpoint: \(reason). "
                + "Use --type http for a plain JSON API, or --type command for a local program. Nothing was written."
        case .endpointFailed(let url, let status, let body):
            let answered = status == 0 ? "failed" : "answered HTTP \(status)"
            return "\(url) \(answered)\(body.isEmpty ? "" : ": \(body)"). Nothing was written."
        case .modelRequired(let url):
            return "\(url) lists no models; name the model with --model. Nothing was written."
        case .unknownModel(let model, let available):
            let listed = available.isEmpty ? "" : " It lists: \(available.joined(separator: ", "))."
            return "the endpoint does not know the model '\(model)'.\(listed) Nothing was written."
        case .noAnswer(let url, let reason):
            return "\(url) answered, but \(reason). Name the answer's place with --answer (a JSON Pointer, e.g. /output/text). "
                + "Nothing was written."
        case .commandFailed(let command, let reason):
            return "the command '\(command)' did not answer: \(reason). Nothing was written."
        case .wouldOverwrite(let paths):
            return "these files exist and would be replaced: \(paths.joined(separator: ", ")). "
                + "Move them away, pick another folder or name, or pass --force. Nothing was written."
        case .invalidSetting(let message):
            return message
        case .generatedPipelineInvalid(let path, let diagnostics):
            return "the pipeline written to \(path) does not validate:\n" + diagnostics.joined(separator: "\n")
        }
    }
}
