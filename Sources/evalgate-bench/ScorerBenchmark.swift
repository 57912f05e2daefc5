import EvalGateKit

/// Cases per second of each deterministic scorer over recorded answers, no network: once with the
/// scorer built in advance (what scoring itself costs), once built for every case (what a runner pays
/// when it does not reuse scorers).
struct ScorerBenchmark {
    struct Workload {
        var name: String
        var kind: AnswerCorpus.Kind
        /// Scorers applied together to each answer (one for a single scorer, several for a case).
        var specs: [ScorerSpec]
    }

    struct Measurement: Encodable {
        var scorer: String
        var answers: String
        var evaluations: Int
        var casesPerSecond: Double
        var buildAndEvaluatePerSecond: Double
        /// Share of evaluations that passed: a check that the scorer did real work.
        var passRate: Double
    }

    static func spec(_ type: String, value: JSONValue? = nil, threshold: Double? = nil, options: [String: JSONValue] = [:]) -> ScorerSpec {
        var spec = ScorerSpec(type: type, value: value, threshold: threshold, options: options)
        if type.hasPrefix("not-") {
            spec.type = String(type.dropFirst(4))
            spec.negated = true
        }
        return spec
    }

    /// One workload per deterministic scorer type, plus the benchmark pipeline's whole case.
    static let workloads: [Workload] = [
        Workload(name: "equals", kind: .text, specs: [spec("equals")]),
        Workload(name: "contains", kind: .text, specs: [spec("contains", value: "25 days")]),
        Workload(name: "icontains", kind: .text, specs: [spec("icontains", value: "25 DAYS")]),
        Workload(name: "contains-any", kind: .text, specs: [spec("contains-any", value: ["25 days", "PTO", "Expensify"])]),
        Workload(name: "contains-all", kind: .text, specs: [spec("contains-all", value: ["days", "PTO"])]),
        Workload(name: "starts-with", kind: .text, specs: [spec("starts-with", value: "Full-time")]),
        Workload(name: "regex", kind: .text, specs: [spec("regex", value: #"\b[0-9]+ (days|weeks)\b"#)]),
        Workload(name: "is-json", kind: .json, specs: [spec("is-json")]),
        Workload(
            name: "json-schema", kind: .json,
            specs: [
                spec(
                    "json-schema",
                    value: [
                        "type": "object", "required": ["category", "priority"],
                        "properties": [
                            "category": ["type": "string", "enum": .array(AnswerCorpus.categories.map(JSONValue.string))],
                            "priority": ["type": "string", "pattern": "^P[1-4]$"], "confidence": ["type": "number", "minimum": 0, "maximum": 1],
                        ],
                    ])
            ]),
        Workload(name: "json-field", kind: .json, specs: [spec("json-field", options: ["pointer": "/category", "equals": "billing"])]),
        Workload(name: "numeric", kind: .text, specs: [spec("numeric", value: 25)]),
        Workload(name: "levenshtein", kind: .text, specs: [spec("levenshtein")]),
        Workload(name: "rouge-l", kind: .text, specs: [spec("rouge-l")]),
        Workload(name: "token-f1", kind: .text, specs: [spec("token-f1", threshold: 0.3)]),
        Workload(name: "refusal", kind: .text, specs: [spec("refusal")]),
        Workload(name: "latency", kind: .text, specs: [spec("latency", value: 200)]),
        Workload(name: "cost", kind: .text, specs: [spec("cost", value: 0.004)]),
        Workload(name: "tool-called", kind: .tools, specs: [spec("tool-called", value: "issue_refund")]),
        Workload(name: "tool-not-called", kind: .tools, specs: [spec("tool-not-called", value: "escalate_to_human")]),
        Workload(name: "tool-args", kind: .tools, specs: [spec("tool-args", options: ["tool": "lookup_order", "args": ["order_id": "A-10007"]])]),
        Workload(name: "tool-sequence", kind: .tools, specs: [spec("tool-sequence", value: ["lookup_order", "issue_refund"])]),
        Workload(name: "max-steps", kind: .tools, specs: [spec("max-steps", value: 2)]),
        // The benchmark pipeline's case: its default scorer and the case's two.
        Workload(
            name: "kb-case (3 scorers)", kind: .text,
            specs: [
                spec("not-icontains", value: "as an AI language model"), spec("icontains", value: "25 days"), spec("token-f1", threshold: 0.3),
            ]),
    ]

    var corpus: AnswerCorpus
    var evaluations: Int

    func measure(_ workload: Workload) throws -> Measurement {
        let inputs = corpus.inputs[workload.kind]!
        // Built once per distinct expected answer, as a runner that reuses scorers would.
        var built: [String: [any DeterministicScorer]] = [:]
        for input in inputs where built[input.goldenCase.expected?.plainText ?? ""] == nil {
            built[input.goldenCase.expected?.plainText ?? ""] = try workload.specs.map {
                try ScorerRegistry.makeDeterministic($0, expected: input.goldenCase.expected)
            }
        }
        var passed = 0
        let clock = ContinuousClock()
        // Untimed warm-up: caches, lazily built tables, the allocator's free lists.
        for number in 0..<min(evaluations, 2_000) {
            for scorer in built[inputs[number % inputs.count].goldenCase.expected?.plainText ?? ""]! {
                passed += scorer.evaluate(inputs[number % inputs.count]).passed ? 1 : 0
            }
        }
        passed = 0
        let evaluateTime = clock.measure {
            for number in 0..<evaluations {
                let input = inputs[number % inputs.count]
                let scorers = built[input.goldenCase.expected?.plainText ?? ""]!
                var results: [ScoreResult] = []
                results.reserveCapacity(scorers.count)
                for (spec, scorer) in zip(workload.specs, scorers) {
                    results.append(CaseScoring.result(for: spec, outcome: scorer.evaluate(input)))
                }
                if CaseScoring.combine(results, threshold: nil).passed { passed += 1 }
            }
        }
        // Fewer rounds: building is the slow part, and the rate is what is compared.
        let buildRounds = max(1, evaluations / 4)
        var buildPassed = 0
        let buildTime = try clock.measure {
            for number in 0..<buildRounds {
                let input = inputs[number % inputs.count]
                var results: [ScoreResult] = []
                for spec in workload.specs {
                    let scorer = try ScorerRegistry.makeDeterministic(spec, expected: input.goldenCase.expected)
                    results.append(CaseScoring.result(for: spec, outcome: scorer.evaluate(input)))
                }
                if CaseScoring.combine(results, threshold: nil).passed { buildPassed += 1 }
            }
        }
        return Measurement(
            scorer: workload.name, answers: workload.kind.rawValue, evaluations: evaluations,
            casesPerSecond: Double(evaluations) / Self.seconds(evaluateTime),
            buildAndEvaluatePerSecond: Double(buildRounds) / Self.seconds(buildTime),
            passRate: Double(passed) / Double(evaluations))
    }

    static func seconds(_ duration: Duration) -> Double {
        max(1e-9, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
