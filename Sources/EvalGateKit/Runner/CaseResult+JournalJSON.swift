import Foundation

extension CaseResult {
    /// The case as `JSONCoding.encoder()` writes it, byte for byte (keys sorted by their UTF-8
    /// bytes, numbers as `description` without a trailing `.0`, `nan`/`inf` as strings, slashes
    /// unescaped), written by hand at about a tenth of the cost.
    ///
    /// This file is evalgate's one hand-written JSON encoder, kept because the benchmark needs it:
    /// the journal encodes every case the moment it finishes, and `JSONEncoder` was the largest
    /// single cost of a run (docs/benchmarks.md). The Codable types and their `CodingKeys` define
    /// the format; this only reproduces it. `JournalJSONTests` fails when a `CodingKeys` case is
    /// missing here (the probes use every key, and their encodings must be byte-equal), and
    /// `JournalJSON.isExact` repeats the byte comparison once per process, falling back to
    /// `JSONEncoder` on any difference.
    func journalJSON() throws -> Data {
        guard JournalJSON.isExact else { return try RunJournal.recordEncoder.encode(self) }
        var writer = JournalJSON.Writer()
        writer.write(self)
        return Data(writer.bytes)
    }
}

enum JournalJSON {
    static let isExact: Bool = selfCheck()

    /// Writes members in the order it is given them (sorted by hand), skipping `nil` ones.
    struct Writer {
        var bytes: [UInt8] = []
        /// A value was just written: the next member or item needs a comma first.
        private var needsComma = false

        init() { bytes.reserveCapacity(2048) }

        mutating func open() {
            bytes.append(UInt8(ascii: "{"))
            needsComma = false
        }

        mutating func close() {
            bytes.append(UInt8(ascii: "}"))
            needsComma = true
        }

        mutating func key(_ name: StaticString) {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            needsComma = false
        }

        mutating func value(_ text: String) {
            string(text)
            needsComma = true
        }

        mutating func value(_ number: Double) {
            if number.isNaN {
                string("nan")
            } else if number.isInfinite {
                string(number > 0 ? "inf" : "-inf")
            } else {
                var text = number.description
                if text.hasSuffix(".0") { text.removeLast(2) }
                bytes.append(contentsOf: text.utf8)
            }
            needsComma = true
        }

        mutating func value(_ number: Int) {
            bytes.append(contentsOf: number.description.utf8)
            needsComma = true
        }

        mutating func value(_ flag: Bool) {
            if flag { bytes.append(contentsOf: "true".utf8) } else { bytes.append(contentsOf: "false".utf8) }
            needsComma = true
        }

        mutating func value(_ texts: [String]) {
            bytes.append(UInt8(ascii: "["))
            for (position, text) in texts.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                string(text)
            }
            bytes.append(UInt8(ascii: "]"))
            needsComma = true
        }

        mutating func list<T>(_ items: [T], _ each: (inout Writer, T) -> Void) {
            bytes.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                each(&self, item)
            }
            bytes.append(UInt8(ascii: "]"))
            needsComma = true
        }

        mutating func member(_ name: StaticString, _ text: String?) {
            guard let text else { return }
            key(name)
            value(text)
        }

        mutating func member(_ name: StaticString, _ number: Double?) {
            guard let number else { return }
            key(name)
            value(number)
        }

        mutating func member(_ name: StaticString, _ number: Int?) {
            guard let number else { return }
            key(name)
            value(number)
        }

        /// A JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00xx` escapes.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            var text = text
            text.withUTF8 { utf8 in
                var start = 0
                for index in utf8.indices {
                    let byte = utf8[index]
                    guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    start = index + 1
                    switch byte {
                    case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                    case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                    case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                    case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                    case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                    case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                    case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                    default:
                        let hex = Array("0123456789abcdef".utf8)
                        bytes.append(contentsOf: [
                            UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                        ])
                    }
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        mutating func value(_ json: JSONValue) {
            switch json {
            case .null:
                bytes.append(contentsOf: "null".utf8)
                needsComma = true
            case .bool(let flag): value(flag)
            case .number(let number): value(number)
            case .string(let text): value(text)
            case .array(let items): list(items) { $0.value($1) }
            case .object(let members):
                open()
                for (name, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                    if needsComma { bytes.append(UInt8(ascii: ",")) }
                    string(name)
                    bytes.append(UInt8(ascii: ":"))
                    value(member)
                }
                close()
            }
        }

        mutating func member(_ name: StaticString, _ json: JSONValue?) {
            guard let json else { return }
            key(name)
            value(json)
        }

        // Each type's members in sorted key order.

        mutating func write(_ result: CaseResult) {
            open()
            if let answer = result.answer {
                key("answer")
                write(answer)
            }
            key("attempts")
            value(result.attempts)
            member("cluster", result.cluster)
            if let conversation = result.conversation {
                key("conversation")
                write(conversation)
            }
            member("cost", result.cost)
            key("critical")
            value(result.critical)
            key("dataset")
            value(result.dataset)
            if let error = result.error {
                key("error")
                write(error)
            }
            member("expected", result.expected)
            key("id")
            value(result.id)
            key("index")
            value(result.index)
            key("input")
            write(result.input)
            key("latencyMilliseconds")
            value(result.latencyMilliseconds)
            key("location")
            value(result.location)
            if let repeats = result.repeats {
                key("repeats")
                list(repeats) { $0.write($1) }
            }
            member("review", result.review)
            key("score")
            value(result.score)
            key("scores")
            list(result.scores) { $0.write($1) }
            key("status")
            value(result.status.rawValue)
            key("tags")
            value(result.tags)
            if let usage = result.usage {
                key("usage")
                write(usage)
            }
            close()
        }

        mutating func write(_ answer: AgentAnswer) {
            open()
            member("finishReason", answer.finishReason)
            member("json", answer.json)
            key("text")
            value(answer.text)
            key("trajectory")
            write(answer.trajectory)
            if let usage = answer.usage {
                key("usage")
                write(usage)
            }
            close()
        }

        mutating func write(_ conversation: ConversationRecord) {
            open()
            key("end")
            value(conversation.end.rawValue)
            key("turns")
            list(conversation.turns) { $0.write($1) }
            member("world", conversation.world)
            close()
        }

        mutating func write(_ turn: ConversationTurn) {
            open()
            key("speaker")
            value(turn.speaker.rawValue)
            key("steps")
            list(turn.steps) { $0.write($1) }
            key("text")
            value(turn.text)
            close()
        }

        mutating func write(_ trajectory: Trajectory) {
            open()
            key("end")
            value(trajectory.end.rawValue)
            key("steps")
            list(trajectory.steps) { $0.write($1) }
            close()
        }

        mutating func write(_ step: TrajectoryStep) {
            open()
            member("content", step.content)
            key("toolCalls")
            list(step.toolCalls) { $0.write($1) }
            close()
        }

        mutating func write(_ call: ToolCall) {
            open()
            key("arguments")
            value(call.arguments)
            key("id")
            value(call.id)
            key("name")
            value(call.name)
            member("result", call.result)
            close()
        }

        mutating func write(_ usage: TokenUsage) {
            open()
            key("inputTokens")
            value(usage.inputTokens)
            key("outputTokens")
            value(usage.outputTokens)
            close()
        }

        mutating func write(_ score: ScoreResult) {
            open()
            member("metric", score.metric)
            key("passed")
            value(score.passed)
            key("reason")
            value(score.reason)
            key("score")
            value(score.score)
            key("scorer")
            value(score.scorer)
            key("source")
            value(score.source.rawValue)
            key("weight")
            value(score.weight)
            close()
        }

        mutating func write(_ error: AgentError) {
            open()
            key("kind")
            value(error.kind.rawValue)
            key("message")
            value(error.message)
            member("retryAfter", error.retryAfter)
            member("status", error.status)
            close()
        }

        mutating func write(_ outcome: RepeatOutcome) {
            open()
            member("error", outcome.error)
            key("latencyMilliseconds")
            value(outcome.latencyMilliseconds)
            key("passed")
            value(outcome.passed)
            key("score")
            value(outcome.score)
            close()
        }

        mutating func write(_ input: CaseInput) {
            switch input {
            case .text(let text): value(text)
            case .messages(let messages): list(messages) { $0.write($1) }
            }
        }

        mutating func write(_ message: ChatMessage) {
            open()
            key("content")
            value(message.content)
            key("role")
            value(message.role)
            close()
        }
    }

    /// Cases that between them give every field a value and every value kind a use.
    static let probes: [CaseResult] = {
        let text = "quote \" backslash \\ slash / tab \t newline \n bell \u{7} unit \u{1f} del \u{7f} é 😀 \u{2028}"
        let json: JSONValue = [
            "b": 1, "a": [true, false, .null, 0.1, -0.0, 1e16, 1.5e-7, 123_456_789, .number(.nan), .number(.infinity), .number(-.infinity)],
            "é": ["10": "x", "9": "y", "B": .string(text), "a": [:], "Z": []], "": "empty key",
        ]
        let call = ToolCall(id: "call_1", name: "lookup_order", arguments: json, result: ["ok": true])
        let answer = AgentAnswer(
            text: text, json: json,
            trajectory: Trajectory(steps: [TrajectoryStep(toolCalls: [call], content: text), TrajectoryStep()], end: .maxSteps),
            finishReason: "stop", usage: TokenUsage(inputTokens: 12, outputTokens: 34))
        let conversation = ConversationRecord(
            turns: [.user(text), ConversationTurn(speaker: .agent, text: text, steps: [TrajectoryStep(toolCalls: [call], content: text)])],
            end: .stopMarker, world: ["orders": [json], "refunds": []])
        let full = CaseResult(
            index: 7, id: "case/7 \"é\"", dataset: "../data/set.jsonl", tags: ["a", "é", text], critical: true, cluster: "c-1",
            conversation: conversation, input: .text(text),
            expected: json, answer: answer,
            scores: [
                ScoreResult(scorer: "not-icontains", score: 0.875_000_000_000_000_1, passed: false, reason: text, weight: 2.5, metric: "m"),
                ScoreResult(scorer: "equals", score: 1, passed: true, reason: "", weight: 0, source: .judge),
            ],
            score: 0.333_333_333_333_333_3, status: .error, error: AgentError(.rateLimited, text, status: 429, retryAfter: 1.5), attempts: 3,
            latencyMilliseconds: 12.345_678, usage: TokenUsage(inputTokens: 0, outputTokens: -1), cost: 2.175e-05,
            repeats: [
                RepeatOutcome(passed: true, score: 1, error: "timeout: x", latencyMilliseconds: 50),
                RepeatOutcome(passed: false, score: 0, latencyMilliseconds: .nan),
            ],
            review: text, location: "set.jsonl:3:1")
        let bare = CaseResult(
            index: 0, id: "", dataset: "", tags: [], critical: false, cluster: nil,
            input: .messages([ChatMessage(role: "system", content: text), ChatMessage(role: "user", content: "")]), expected: nil, answer: nil,
            scores: [], score: -.infinity, status: .passed, error: nil, attempts: 0, latencyMilliseconds: 0, usage: nil, cost: nil, location: "")
        return [full, bare]
    }()

    static func selfCheck() -> Bool {
        for probe in probes {
            var writer = Writer()
            writer.write(probe)
            guard let reference = try? RunJournal.recordEncoder.encode(probe), reference == Data(writer.bytes) else { return false }
        }
        return true
    }
}
