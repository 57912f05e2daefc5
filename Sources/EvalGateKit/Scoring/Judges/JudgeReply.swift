import Foundation

/// Reads a judge model's message content. Models wrap JSON in prose or code fences and add words
/// around a choice letter; anything that cannot be read with confidence is `nil`, never a pass.
public enum JudgeReply {
    /// A rubric grade as the judge wrote it.
    public struct Grade: Sendable, Equatable {
        public var verdict: Bool
        public var score: Double
        public var reason: String
    }

    /// A classification as the judge wrote it.
    public struct Choice: Sendable, Equatable {
        public var choice: String
        public var reasoning: String
    }

    /// `{"verdict": "pass"|"fail", "score": 0..1, "reason": "..."}`, bare, fenced or inside prose.
    public static func grade(_ content: String) -> Grade? {
        for candidate in jsonCandidates(content) {
            guard case .object(let fields)? = try? JSONValue(parsing: candidate) else { continue }
            let verdict: Bool
            switch fields["verdict"] ?? fields["pass"] {
            case .string(let text)?:
                switch text.trimmingCharacters(in: .whitespaces).lowercased() {
                case "pass", "passed", "yes", "true": verdict = true
                case "fail", "failed", "no", "false": verdict = false
                default: continue
                }
            case .bool(let value)?: verdict = value
            default: continue
            }
            var score = verdict ? 1.0 : 0.0
            if let value = fields["score"] {
                guard let number = value.doubleValue, number.isFinite, (0...1).contains(number) else { continue }
                score = number
            }
            let reason = fields["reason"]?.stringValue ?? fields["reasoning"]?.stringValue ?? ""
            return Grade(verdict: verdict, score: score, reason: reason)
        }
        return nil
    }

    /// The choice letter on the reply's last line (`B`, `(B)`, `Answer: B`, `**B**`), or in a JSON
    /// `{"choice": "B"}`; the lines before it are the reasoning.
    public static func choice(_ content: String, choices: [String]) -> Choice? {
        let allowed = Set(choices.map { $0.uppercased() })
        for candidate in jsonCandidates(content) {
            guard case .object(let fields)? = try? JSONValue(parsing: candidate) else { continue }
            if let letter = (fields["choice"] ?? fields["answer"])?.stringValue.flatMap({ letterIn($0, allowed: allowed) }) {
                let reasoning = (fields["reasoning"] ?? fields["reason"] ?? fields["rationale"])?.stringValue ?? ""
                return Choice(choice: letter, reasoning: reasoning)
            }
        }
        var lines = content.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        while let last = lines.last, last.isEmpty || last.allSatisfy({ $0 == "`" }) { lines.removeLast() }
        guard let last = lines.last, let letter = letterIn(last, allowed: allowed) else { return nil }
        lines.removeLast()
        // Some templates ask the model to repeat the letter on a line of its own.
        if let previous = lines.last, letterIn(previous, allowed: allowed) == letter { lines.removeLast() }
        return Choice(choice: letter, reasoning: lines.joined(separator: " "))
    }

    /// `B`, `(B)`, `B.`, `Answer: B`, `Final answer: **B**`; not a sentence that merely starts with `A`.
    static func letterIn(_ line: String, allowed: Set<String>) -> String? {
        var text = line.trimmingCharacters(in: .whitespaces)
        if let colon = text.lastIndex(of: ":") {
            let label = text[..<colon].lowercased()
            if label.hasSuffix("answer") || label.hasSuffix("choice") || label.hasSuffix("verdict") || label.hasSuffix("grade") {
                text = String(text[text.index(after: colon)...])
            }
        }
        let stripped = text.trimmingCharacters(in: CharacterSet(charactersIn: " *_`()[].\"'"))
        let letter = stripped.uppercased()
        return letter.count == 1 && allowed.contains(letter) ? letter : nil
    }

    /// The whole text, then each fenced block, then the span from the first `{` to the last `}`.
    static func jsonCandidates(_ content: String) -> [String] {
        var candidates = [content.trimmingCharacters(in: .whitespacesAndNewlines)]
        var rest = Substring(content)
        while let open = rest.range(of: "```") {
            let afterFence = rest[open.upperBound...]
            guard let newline = afterFence.firstIndex(where: \.isNewline), let close = afterFence[newline...].range(of: "```") else { break }
            candidates.append(String(afterFence[newline..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines))
            rest = afterFence[close.upperBound...]
        }
        if let first = content.firstIndex(of: "{"), let last = content.lastIndex(of: "}"), first < last {
            candidates.append(String(content[first...last]))
        }
        return candidates
    }
}
