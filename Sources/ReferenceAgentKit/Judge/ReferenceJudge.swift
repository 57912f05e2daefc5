import Foundation

/// A deterministic stand-in for a judge model: it reads the OpenAI-evals style data block of a
/// model-graded prompt (`[Rubric]:`, `[Expert]:`, `[Criterion]:` ...) and grades by keywords and token
/// overlap, so tests of model-graded scoring get the same grade every time.
///
/// The model name picks a behaviour: `judge-malformed` answers in prose that is not the asked format,
/// `judge-slow` waits two seconds first, `judge-contrarian` inverts every verdict, `judge-fenced`
/// wraps its JSON in a code fence; any other `judge*` model grades plainly.
struct ReferenceJudge: Sendable {
    var model: String

    static func isJudge(_ model: String) -> Bool { model.hasPrefix("judge") }

    var isSlow: Bool { model.hasPrefix("judge-slow") }
    var isMalformed: Bool { model.hasPrefix("judge-malformed") }
    var isContrarian: Bool { model.hasPrefix("judge-contrarian") }
    var isFenced: Bool { model.hasPrefix("judge-fenced") }

    static let slowDelay = Duration.seconds(2)

    /// The reply's message content for a prompt (the user messages, joined).
    func reply(to prompt: String) -> String {
        if isMalformed { return "Looks good to me overall, I would say it mostly passes." }
        let fields = Self.dataFields(prompt)
        if let rubric = fields["Rubric"] {
            return rubricReply(rubric: rubric, answer: fields["Answer"] ?? "")
        }
        if let expert = fields["Expert"] {
            return factualityReply(expert: expert, submission: fields["Submission"] ?? "")
        }
        if let criterion = fields["Criterion"] {
            return closedQAReply(criterion: criterion, reference: fields["Reference"], submission: fields["Submission"] ?? "")
        }
        return #"{"verdict": "fail", "score": 0, "reason": "the prompt has no [Rubric], [Expert] or [Criterion] field"}"#
    }

    // MARK: - Grading

    private func rubricReply(rubric: String, answer: String) -> String {
        let coverage = Self.coverage(
            required: Self.requiredKeywords(rubric) ?? Self.contentWords(rubric), answer: answer, keywords: Self.requiredKeywords(rubric) != nil)
        var passed = coverage.passed
        var score = coverage.score
        var reason = coverage.reason
        if isContrarian {
            passed.toggle()
            score = 1 - score
            reason = "contrarian: " + reason
        }
        let object: JSON = ["verdict": .string(passed ? "pass" : "fail"), "score": .number((score * 100).rounded() / 100), "reason": .string(reason)]
        return isFenced ? "Here is my grade:\n```json\n\(object.serialized)\n```" : object.serialized
    }

    private func factualityReply(expert: String, submission: String) -> String {
        let expertWords = Set(Self.contentWords(expert))
        let submissionWords = Set(Self.contentWords(submission))
        let shared = expertWords.intersection(submissionWords)
        let recall = expertWords.isEmpty ? 0 : Double(shared.count) / Double(expertWords.count)
        let precision = submissionWords.isEmpty ? 0 : Double(shared.count) / Double(submissionWords.count)
        var choice: String
        if recall == 1 && precision == 1 {
            choice = "C"
        } else if recall == 1 {
            choice = "B"
        } else if precision == 1 {
            choice = "A"
        } else if recall >= 0.6 {
            choice = "E"
        } else {
            choice = "D"
        }
        if isContrarian { choice = choice == "D" ? "C" : "D" }
        let shown = Int((recall * 100).rounded())
        return "The submission shares \(shared.count) of \(expertWords.count) content words of the expert answer (\(shown)%).\n\(choice)"
    }

    private func closedQAReply(criterion: String, reference: String?, submission: String) -> String {
        let coverage: (passed: Bool, score: Double, reason: String)
        if let keywords = Self.requiredKeywords(criterion) {
            coverage = Self.coverage(required: keywords, answer: submission, keywords: true)
        } else {
            coverage = Self.coverage(required: Self.contentWords(reference ?? criterion), answer: submission, keywords: false)
        }
        var meets = coverage.passed
        if isContrarian { meets.toggle() }
        return "\(coverage.reason).\n\(meets ? "Y" : "N")"
    }

    /// With `keywords`, every one must appear; with content words, at least 60% of them.
    static func coverage(required: [String], answer: String, keywords: Bool) -> (passed: Bool, score: Double, reason: String) {
        guard !required.isEmpty else { return (false, 0, "nothing to check the answer against") }
        let lowered = answer.lowercased()
        let answerWords = Set(contentWords(answer))
        let found = required.filter { keywords ? lowered.contains($0.lowercased()) : answerWords.contains($0) }
        let missing = required.filter { !found.contains($0) }
        let score = Double(found.count) / Double(required.count)
        if keywords {
            let reason =
                missing.isEmpty
                ? "mentions \(found.joined(separator: ", "))"
                : "does not mention \(missing.joined(separator: ", "))" + (found.isEmpty ? "" : " (mentions \(found.joined(separator: ", ")))")
            return (missing.isEmpty, score, reason)
        }
        return (score >= 0.6, score, "covers \(found.count) of \(required.count) key words")
    }

    // MARK: - Reading the prompt

    /// `[Name]: value` fields between `[BEGIN DATA]` and `[END DATA]`, separated by `***` lines.
    static func dataFields(_ prompt: String) -> [String: String] {
        var fields: [String: String] = [:]
        var current: String?
        var lines: [String] = []
        func finish() {
            if let current { fields[current] = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
            current = nil
            lines = []
        }
        for line in prompt.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if (trimmed.hasPrefix("***") && trimmed.allSatisfy({ $0 == "*" })) || trimmed == "[END DATA]" || trimmed == "[BEGIN DATA]" {
                finish()
                continue
            }
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]"), trimmed[close...].hasPrefix("]:") {
                finish()
                current = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                lines = [String(trimmed[trimmed.index(close, offsetBy: 2)...]).trimmingCharacters(in: .whitespaces)]
                continue
            }
            if current != nil { lines.append(line) }
        }
        finish()
        return fields
    }

    /// The words a rubric requires: a line `must mention: X, Y and Z`, or quoted words; `nil` if neither.
    static func requiredKeywords(_ rubric: String) -> [String]? {
        var keywords: [String] = []
        for line in rubric.split(whereSeparator: \.isNewline) {
            guard let marker = line.range(of: "must mention:", options: .caseInsensitive) else { continue }
            let list = line[marker.upperBound...].replacingOccurrences(of: " and ", with: ",")
            keywords += list.split(whereSeparator: { $0 == "," || $0 == ";" })
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .\"'")) }
                .filter { !$0.isEmpty }
        }
        if keywords.isEmpty {
            let parts = rubric.split(separator: "\"", omittingEmptySubsequences: false)
            if parts.count >= 3 {
                for index in stride(from: 1, to: parts.count - 1, by: 2) where !parts[index].trimmingCharacters(in: .whitespaces).isEmpty {
                    keywords.append(String(parts[index]))
                }
            }
        }
        return keywords.isEmpty ? nil : keywords
    }

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "your", "with", "that", "this", "from", "have", "has", "was", "were",
        "will", "can", "its", "our", "any", "all", "out", "into", "than", "then", "they", "them", "their", "there", "what",
        "when", "which", "who", "why", "how", "about", "also", "should", "would", "could", "must", "answer", "does",
    ]

    /// Lowercased words of three or more letters or digits, without common function words, in order.
    static func contentWords(_ text: String) -> [String] {
        var seen = Set<String>()
        var words: [String] = []
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let word = String(word)
            guard word.count >= 3 || word.allSatisfy(\.isNumber), !stopWords.contains(word), seen.insert(word).inserted else { continue }
            words.append(word)
        }
        return words
    }
}
