import Foundation
import Synchronization

/// Runs one case: asks the agent (with retries and rate limiting), repeats it if asked, scores the
/// answers and folds everything into a `CaseResult`.
struct CaseExecutor: Sendable {
    let pipeline: LoadedPipeline
    let client: any AgentClient
    let retry: RetryPolicy
    let limiter: RateLimiter?
    let judge: (any CaseJudge)?
    /// Plays simulated customers of scenarios; `nil` when the pipeline has no `simulator`.
    let simulator: SimulatorClient?
    /// The pipeline's deterministic `assert` scorers that have a `value`, built once: such a scorer
    /// does not depend on the case (only a missing value falls back to the case's expected answer),
    /// and building one (parsing a schema, compiling a regex, tokenising a reference) can cost
    /// more than scoring with it. Indexed like `pipeline.definition.scorers`.
    let pipelineScorers: [Result<any DeterministicScorer, any Error>?]
    /// The other deterministic scorers, by spec and expected answer: cases of one fact or one
    /// category share both, and a similarity scorer tokenises its reference when it is built.
    let scorerCache = ScorerCache()

    init(
        pipeline: LoadedPipeline, client: any AgentClient, retry: RetryPolicy, limiter: RateLimiter?, judge: (any CaseJudge)?,
        simulator: SimulatorClient? = nil
    ) {
        self.simulator = simulator
        self.pipeline = pipeline
        self.client = client
        self.retry = retry
        self.limiter = limiter
        self.judge = judge
        pipelineScorers = pipeline.definition.scorers.map { spec in
            guard spec.value != nil, spec.kind?.isModelGraded != true else { return nil }
            return Result { try ScorerRegistry.makeDeterministic(spec, expected: nil) }
        }
    }

    struct Attempted {
        var answer: AgentAnswer?
        var error: AgentError?
        var attempts: Int
        var latency: Double
        /// A conversation case's conversation (also when it failed part-way).
        var conversation: ConversationRecord? = nil
    }

    func ask(_ goldenCase: GoldenCase, index: Int, repeatIndex: Int) async -> Attempted {
        var random = SeededGenerator(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(repeatIndex))
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { return Attempted(error: AgentError(.cancelled, "run stopped"), attempts: attempt - 1, latency: 0) }
            if let limiter {
                do { try await limiter.acquire() } catch {
                    return Attempted(error: AgentError(.cancelled, "run stopped"), attempts: attempt - 1, latency: 0)
                }
            }
            let start = ContinuousClock.now
            // Drawn only for conversations, as before: the retry delays of other cases keep their sequence.
            let seed = isConversation(goldenCase) ? random.next() : 0
            let attempted = await EvaluationTrace.agentCall(
                pipeline.definition.agent.endpoint, agent: pipeline.definition.agent.name, attempt: attempt,
                { await self.attemptOnce(goldenCase, seed: seed) },
                outcome: { $0.error.map { .failure($0) } ?? $0.answer.map { .success($0) } ?? .failure(AgentError(.missingAnswer, "no answer")) })
            let conversation = attempted.conversation
            do throws(AgentError) {
                if let error = attempted.error { throw error }
                return Attempted(answer: attempted.answer, attempts: attempt, latency: Self.milliseconds(since: start), conversation: conversation)
            } catch {
                let latency = Self.milliseconds(since: start)
                guard let delay = retry.delay(after: error, attempt: attempt, random: &random) else {
                    return Attempted(error: error, attempts: attempt, latency: latency, conversation: conversation)
                }
                do {
                    try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                } catch {
                    return Attempted(error: AgentError(.cancelled, "run stopped"), attempts: attempt, latency: latency)
                }
            }
        }
    }

    /// One attempt: the agent's answer, or a whole conversation with it for a scenario (whose
    /// answer is `nil` when the agent or the simulator failed).
    func attemptOnce(_ goldenCase: GoldenCase, seed: UInt64) async -> (answer: AgentAnswer?, error: AgentError?, conversation: ConversationRecord?) {
        if isConversation(goldenCase) {
            let outcome = await converse(goldenCase, seed: seed)
            return (outcome.error == nil ? outcome.answer : nil, outcome.error, outcome.record)
        }
        do throws(AgentError) {
            return (try await client.answer(goldenCase), nil, nil)
        } catch {
            return (nil, error, nil)
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    func execute(_ goldenCase: GoldenCase, index: Int) async -> CaseResult {
        await EvaluationTrace.case(goldenCase, index: index) { await evaluate(goldenCase, index: index) }
    }

    private func evaluate(_ goldenCase: GoldenCase, index: Int) async -> CaseResult {
        let definition = pipeline.definition
        let trials = trialCount(goldenCase)
        let repeats = trials ?? goldenCase.repeatCount ?? definition.repeatPolicy.count
        var runs: [(attempted: Attempted, scores: [ScoreResult], score: Double, passed: Bool, cost: Double?)] = []
        for repeatIndex in 0..<repeats {
            let attempted = await ask(goldenCase, index: index, repeatIndex: repeatIndex)
            guard let answer = attempted.answer else {
                runs.append((attempted, [], 0, false, nil))
                if attempted.error?.kind == .cancelled { break }
                continue
            }
            let cost = answer.usage.flatMap { usage in definition.agent.endpoint.pricing.map { $0.cost(of: usage) } }
            var input = ScoringInput(goldenCase: goldenCase, answer: answer, latencyMilliseconds: attempted.latency, cost: cost)
            input.conversation = attempted.conversation
            input.initialWorld = world(for: goldenCase)?.json
            var scores: [ScoreResult] = []
            var judgeError: AgentError?
            for (position, spec) in (definition.scorers + goldenCase.scorers).enumerated() {
                if spec.kind?.isModelGraded == true {
                    guard let judge else {
                        scores.append(
                            ScoreResult(
                                scorer: spec.displayName, score: 0, passed: false, reason: "no judge is configured for this model-graded scorer",
                                weight: spec.weight, metric: spec.metric, source: .judge))
                        continue
                    }
                    do {
                        scores.append(try await judge.score(spec, input: input))
                    } catch {
                        judgeError = error
                        break
                    }
                    continue
                }
                do {
                    let built = position < pipelineScorers.count ? pipelineScorers[position] : nil
                    let scorer = try built?.get() ?? scorerCache.scorer(for: spec, expected: goldenCase.expected)
                    scores.append(CaseScoring.result(for: spec, outcome: TurnScope.evaluate(scorer, input, on: spec.on)))
                } catch {
                    scores.append(
                        ScoreResult(
                            scorer: spec.displayName, score: 0, passed: false, reason: "scorer cannot run: \(error)", weight: spec.weight,
                            metric: spec.metric))
                }
            }
            EvaluationTrace.evaluated(scores, repeatIndex: repeatIndex, repeats: repeats)
            if let judgeError {
                var failed = attempted
                failed.error = judgeError
                runs.append((failed, scores, 0, false, cost))
                continue
            }
            var combined = CaseScoring.combine(scores, threshold: goldenCase.threshold)
            if let unfinished = FinishedCheck.result(for: answer, goldenCase: goldenCase, endpoint: definition.agent.endpoint) {
                // Mandatory: neither weights nor a threshold (nor the mean of repeats) can outvote it.
                scores.append(unfinished)
                combined = (0, false)
            }
            runs.append((attempted, scores, combined.score, combined.passed, cost))
        }
        return fold(goldenCase, index: index, runs: runs)
    }

    func fold(_ goldenCase: GoldenCase, index: Int, runs: [(attempted: Attempted, scores: [ScoreResult], score: Double, passed: Bool, cost: Double?)])
        -> CaseResult
    {
        let definition = pipeline.definition
        let representative = runs.first(where: { $0.attempted.error != nil }) ?? runs.first(where: { !$0.passed }) ?? runs.last!
        let errored = runs.first { $0.attempted.error != nil }?.attempted.error
        let answered = runs.filter { $0.attempted.error == nil }
        var status: CaseResult.Status
        var score = answered.isEmpty ? 0 : answered.map(\.score).reduce(0, +) / Double(answered.count)
        if runs.count <= 1 {
            status = errored != nil ? .error : (representative.passed ? .passed : .failed)
        } else {
            let passes = answered.filter(\.passed).count
            // Trials of a conversation all have to succeed: pass^k is the point of running them.
            let aggregation: RepeatPolicy.Aggregation = trialCount(goldenCase) != nil ? .allPass : definition.repeatPolicy.aggregation
            switch aggregation {
            case .passAtK:
                status = passes > 0 ? .passed : (errored != nil ? .error : .failed)
            case .allPass:
                status = errored != nil ? .error : (passes == runs.count ? .passed : .failed)
            case .majority:
                status = errored != nil ? .error : (passes * 2 > runs.count ? .passed : .failed)
            case .mean:
                status = errored != nil ? .error : (score >= (goldenCase.threshold ?? 0.5) ? .passed : .failed)
            }
            if aggregation != .mean { score = answered.isEmpty ? 0 : Double(passes) / Double(runs.count) }
        }
        var usage: TokenUsage?
        for runUsage in runs.compactMap({ $0.attempted.answer?.usage }) { usage = usage.map { $0 + runUsage } ?? runUsage }
        let costs = runs.compactMap(\.cost)
        var review: String?
        if goldenCase.review == .always { review = "the case is marked review: always" }
        if review == nil, goldenCase.review != .never, let band = definition.judge?.reviewBand {
            for spec in runs.flatMap(\.scores) where spec.source == .judge {
                if let threshold = goldenCase.threshold, abs(spec.score - threshold) <= band {
                    review = "judge score \(spec.score) is within \(band) of the threshold"
                }
                if spec.reason.contains("judges disagree") { review = "the judges disagree" }
            }
        }
        return CaseResult(
            index: index, id: goldenCase.id, dataset: goldenCase.dataset, tags: goldenCase.tags, critical: goldenCase.critical,
            cluster: goldenCase.cluster, conversation: representative.attempted.conversation, input: goldenCase.input, expected: goldenCase.expected,
            answer: representative.attempted.answer,
            scores: representative.scores, score: score, status: status, error: status == .error ? errored : nil,
            attempts: runs.map(\.attempted.attempts).reduce(0, +), latencyMilliseconds: representative.attempted.latency, usage: usage,
            cost: costs.isEmpty ? nil : costs.reduce(0, +),
            repeats: runs.count > 1
                ? runs.map {
                    RepeatOutcome(
                        passed: $0.passed, score: $0.score, error: $0.attempted.error?.description, latencyMilliseconds: $0.attempted.latency)
                } : nil,
            review: review, location: goldenCase.location.description)
    }
}

/// Deterministic scorers already built, keyed by everything `ScorerRegistry.makeDeterministic`
/// reads: the spec without its location, and the case's expected answer. Bounded: it is emptied
/// when full, so a dataset whose every case differs costs a lookup per scorer and no memory.
final class ScorerCache: Sendable {
    struct Key: Hashable {
        /// The spec with its location blanked: cases that share a scorer differ only there.
        var spec: ScorerSpec
        var expected: JSONValue?

        init(_ spec: ScorerSpec, expected: JSONValue?) {
            var spec = spec
            spec.location = SourceLocation(file: "")
            self.spec = spec
            self.expected = expected
        }
    }

    static let capacity = 512
    private let scorers = Mutex<[Key: any DeterministicScorer]>([:])

    func scorer(for spec: ScorerSpec, expected: JSONValue?) throws -> any DeterministicScorer {
        let key = Key(spec, expected: expected)
        if let scorer = scorers.withLock({ $0[key] }) { return scorer }
        let scorer = try ScorerRegistry.makeDeterministic(spec, expected: expected)
        scorers.withLock { scorers in
            if scorers.count >= Self.capacity { scorers.removeAll(keepingCapacity: true) }
            scorers[key] = scorer
        }
        return scorer
    }
}
