import Foundation

/// Grades answers with judge models: `llm-rubric`, `factuality` and `closed-qa` through OpenAI-style
/// chat completions (every judge of the panel grades, their grades are combined), `similar` through an
/// OpenAI-style embeddings endpoint.
///
/// A judge that cannot be reached, times out or keeps answering in a form that cannot be read makes
/// the case an infrastructure error (a thrown `AgentError`), never a pass. Every reason it writes
/// starts with `[judge]`, which is how the runner knows to apply the review band.
public struct JudgeScorer: CaseJudge {
    public let definition: JudgeDefinition
    public let cache: JudgeCache?
    let transport: HTTPTransport
    let ownsTransport: Bool

    /// The cap on a judge's response body; judges answer in a few hundred bytes.
    public static let maxResponseBytes = 4 * 1024 * 1024

    /// - Parameters:
    ///   - cacheFolder: where judge replies are kept (`<home>/judge-cache`); `nil`, or `definition.cache`
    ///     false, turns the cache off.
    ///   - transport: the run's HTTP client; when `nil` the scorer makes its own, released by `shutdown()`.
    public init(definition: JudgeDefinition, cacheFolder: String?, transport: HTTPTransport? = nil) {
        self.definition = definition
        self.cache = definition.cache ? cacheFolder.map(JudgeCache.init(folder:)) : nil
        if let transport {
            self.transport = transport
            ownsTransport = false
        } else {
            self.transport = HTTPTransport(maxConcurrency: max(4, definition.panel.count * 2), maxResponseBytes: Self.maxResponseBytes)
            ownsTransport = true
        }
    }

    /// Releases the scorer's own HTTP client; a transport passed in is left to its owner.
    public func shutdown() async {
        if ownsTransport { await transport.shutdown() }
    }

    public func score(_ spec: ScorerSpec, input: ScoringInput) async throws(AgentError) -> ScoreResult {
        let answer = Self.answerText(input.answer)
        let question = input.goldenCase.input.text
        let expected = input.goldenCase.expected.map(\.plainText)
        let grade: (passed: Bool, score: Double, reason: String)
        switch spec.kind {
        case .llmRubric:
            guard let rubric = spec.options["rubric"]?.stringValue ?? spec.value?.plainText else {
                return Self.cannotRun(spec, "llm-rubric needs a rubric (option 'rubric' or 'value')")
            }
            let threshold = spec.threshold ?? 0.5
            let prompt = JudgePrompt.rubric(rubric, input: question, answer: answer)
            let verdicts = try await panel(prompt) { model, content in
                guard let grade = JudgeReply.grade(content) else { return nil }
                return JudgeVerdict(
                    model: model, passed: grade.verdict && grade.score + CaseScoring.epsilon >= threshold, score: grade.score, reason: grade.reason)
            }
            grade = combine(verdicts, threshold: threshold)
        case .factuality:
            guard let expert = spec.value?.plainText ?? expected else {
                return Self.cannotRun(spec, "factuality needs a reference answer (value or the case's expected)")
            }
            let prompt = JudgePrompt.factuality(question: question, expert: expert, submission: answer)
            let verdicts = try await panel(prompt) { model, content in
                guard let choice = JudgeReply.choice(content, choices: prompt.choices), let score = Self.factualityScores[choice.choice] else {
                    return nil
                }
                let passed = spec.threshold.map { score + CaseScoring.epsilon >= $0 } ?? Self.factualityPasses.contains(choice.choice)
                return JudgeVerdict(
                    model: model, passed: passed, score: score,
                    reason: "(\(choice.choice)) \(Self.factualityMeanings[choice.choice] ?? "")"
                        + (choice.reasoning.isEmpty ? "" : "; \(choice.reasoning)"))
            }
            grade = combine(verdicts, threshold: spec.threshold ?? 0.5)
        case .closedQA:
            let criterionOption = spec.options["criterion"]?.stringValue
            guard let criterion = criterionOption ?? spec.value?.plainText else {
                return Self.cannotRun(spec, "closed-qa needs a criterion (option 'criterion' or 'value')")
            }
            let reference = criterionOption != nil ? (spec.value?.plainText ?? expected) : expected
            let prompt = JudgePrompt.closedQA(task: question, submission: answer, criterion: criterion, reference: reference)
            let verdicts = try await panel(prompt) { model, content in
                guard let choice = JudgeReply.choice(content, choices: prompt.choices) else { return nil }
                let score = choice.choice == "Y" ? 1.0 : 0.0
                return JudgeVerdict(
                    model: model, passed: score == 1, score: score,
                    reason: "(\(choice.choice)) "
                        + (choice.reasoning.isEmpty ? (score == 1 ? "meets the criterion" : "does not meet the criterion") : choice.reasoning))
            }
            grade = combine(verdicts, threshold: spec.threshold ?? 0.5)
        case .similar:
            guard let reference = spec.value?.plainText ?? expected else {
                return Self.cannotRun(spec, "similar needs a reference (value or the case's expected)")
            }
            grade = try await similarity(answer: answer, reference: reference, threshold: spec.threshold ?? 0.8)
        default:
            return Self.cannotRun(spec, "'\(spec.type)' is not a model-graded scorer")
        }
        var passed = grade.passed
        var score = grade.score
        var reason = grade.reason
        if spec.negated {
            passed.toggle()
            score = 1 - score
            reason = "negated: " + reason
        }
        return CaseScoring.result(for: spec, outcome: ScoreOutcome(score: score, passed: passed, reason: "[judge] " + reason))
    }

    /// Choice scores of the `factuality` classification (the autoevals table): a consistent subset
    /// earns partial credit, a superset a little more, the same facts or an immaterial difference full
    /// credit, a disagreement none.
    public static let factualityScores: [String: Double] = ["A": 0.4, "B": 0.6, "C": 1, "D": 0, "E": 1]
    /// Choices that pass `factuality` when the spec sets no threshold: all but a disagreement.
    public static let factualityPasses: Set<String> = ["A", "B", "C", "E"]
    static let factualityMeanings = [
        "A": "a consistent subset of the reference", "B": "a consistent superset of the reference",
        "C": "the same details as the reference", "D": "disagrees with the reference",
        "E": "differs from the reference only in ways that do not matter",
    ]

    static func answerText(_ answer: AgentAnswer) -> String {
        if answer.text.isEmpty, let json = answer.json { return json.compactJSON }
        return answer.text
    }

    /// A spec the judge cannot grade as written: a plain failure (no `[judge]` prefix, nothing to review).
    static func cannotRun(_ spec: ScorerSpec, _ message: String) -> ScoreResult {
        ScoreResult(
            scorer: spec.displayName, score: 0, passed: false, reason: "scorer cannot run: \(message)", weight: spec.weight, metric: spec.metric,
            source: .judge)
    }

    // MARK: - Panel

    /// Every judge of the panel grades, concurrently; the first judge failure fails the whole grade.
    func panel(_ prompt: JudgePrompt, read: @escaping @Sendable (String, String) -> JudgeVerdict?) async throws(AgentError) -> [JudgeVerdict] {
        guard !definition.panel.isEmpty else { throw AgentError(.judgeFailed, "no judge model is configured (judge.panel is empty)") }
        let results = await withTaskGroup(of: (Int, Result<JudgeVerdict, AgentError>).self) { group in
            for (index, judge) in definition.panel.enumerated() {
                group.addTask {
                    do throws(AgentError) {
                        return (index, .success(try await ask(judge, prompt: prompt, read: read)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var collected: [(Int, Result<JudgeVerdict, AgentError>)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var verdicts: [JudgeVerdict] = []
        for result in results {
            switch result {
            case .success(let verdict): verdicts.append(verdict)
            case .failure(let error): throw error
            }
        }
        return verdicts
    }

    /// Combines the panel's verdicts by `definition.combine`; with one judge, its verdict.
    func combine(_ verdicts: [JudgeVerdict], threshold: Double) -> (passed: Bool, score: Double, reason: String) {
        let mean = verdicts.map(\.score).reduce(0, +) / Double(max(1, verdicts.count))
        if verdicts.count == 1, let only = verdicts.first {
            return (only.passed, only.score, only.summary)
        }
        let passes = verdicts.filter(\.passed).count
        let passed: Bool
        let rule: String
        switch definition.combine {
        case .majority:
            passed = passes * 2 > verdicts.count
            rule = "majority"
        case .mean:
            passed = mean + CaseScoring.epsilon >= threshold
            rule = "mean score \(JSONValue.format(number: (mean * 100).rounded() / 100)) against \(JSONValue.format(number: threshold))"
        }
        let agreement =
            passes == 0 || passes == verdicts.count
            ? "\(verdicts.count) judges agree"
            : "judges disagree (\(passes) pass, \(verdicts.count - passes) fail)"
        let reason = "\(agreement); \(rule): \(passed ? "pass" : "fail"); " + verdicts.map(\.summary).joined(separator: "; ")
        return (passed, mean, reason)
    }

    // MARK: - Chat judges

    /// Asks one judge, from the cache when it already answered this exact request. A reply that cannot
    /// be read, and a retryable transport error, are tried again up to `definition.retries` times.
    /// With tracing on, in a `chat {model}` span (see `EvaluationTrace`).
    func ask(_ judge: JudgeDefinition.Model, prompt: JudgePrompt, read: (String, String) -> JudgeVerdict?) async throws(AgentError) -> JudgeVerdict {
        try await EvaluationTrace.modelCall(role: "judge", model: judge.model, url: judge.url) {
            let body = prompt.requestBody(model: judge.model)
            let key = cache.map { _ in JudgeCache.key(["chat", prompt.kind.rawValue, judge.model, body.compactJSON]) }
            if let cache, let key, let content = cache.read(key)?["content"]?.stringValue, let verdict = read(judge.model, content) {
                return (.success(verdict), true)
            }
            do throws(AgentError) {
                return (.success(try await send(judge, body: body, cacheKey: key, read: read)), false)
            } catch {
                return (.failure(error), false)
            }
        }.get()
    }

    private func send(_ judge: JudgeDefinition.Model, body: JSONValue, cacheKey key: String?, read: (String, String) -> JudgeVerdict?)
        async throws(AgentError) -> JudgeVerdict
    {
        var lastError = AgentError(.judgeFailed, "judge \(judge.model) was not asked")
        for attempt in 0...max(0, definition.retries) {
            if attempt > 0, Task.isCancelled { throw AgentError(.cancelled, "run stopped") }
            let content: String
            do throws(AgentError) {
                let response = try await transport.send(
                    url: judge.url, method: "POST", headers: judge.headers, body: body.jsonData, timeout: definition.timeout)
                if let error = response.statusError() { throw error }
                guard let text = Self.messageContent(response.body) else {
                    throw AgentError(.judgeFailed, "the response is not a chat completion with message content: \(response.bodySnippet)")
                }
                content = text
            } catch {
                lastError = AgentError(error.kind, "judge \(judge.model): \(error.message)", status: error.status, retryAfter: error.retryAfter)
                if !error.isRetryable { throw lastError }
                continue
            }
            guard let verdict = read(judge.model, content) else {
                lastError = AgentError(
                    .judgeFailed,
                    "judge \(judge.model) answered in a form that cannot be read after \(attempt + 1) attempt\(attempt == 0 ? "" : "s"): \(TerminalText.sanitize(content, limit: 160))"
                )
                continue
            }
            if let cache, let key { cache.write(key, ["model": .string(judge.model), "content": .string(content)]) }
            return verdict
        }
        throw lastError
    }

    static func messageContent(_ body: Data) -> String? {
        guard let json = try? JSONValue(parsing: body), let message = json["choices"]?.arrayValue?.first?["message"] else { return nil }
        switch message["content"] {
        case .string(let text)?: return text
        case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return nil
        }
    }
}
