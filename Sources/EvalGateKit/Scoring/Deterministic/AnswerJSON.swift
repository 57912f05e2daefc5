import Foundation

/// Reads an answer as JSON the way agents actually write it: structured output when the endpoint
/// returned some, otherwise the answer text, or the first ```json fenced block inside it.
enum AnswerJSON {
    enum Source: Equatable {
        /// `AgentAnswer.json`: the endpoint's answer was not a string.
        case structured
        case text
        case fencedBlock
    }

    struct Parsed: Equatable {
        var value: JSONValue
        var source: Source

        /// "answer", "```json block in the answer": what the reason says was read.
        var description: String {
            switch source {
            case .structured: return "structured answer"
            case .text: return "answer"
            case .fencedBlock: return "```json block in the answer"
            }
        }
    }

    /// The answer's JSON, or a sentence saying why there is none.
    static func parse(_ answer: AgentAnswer) -> Result<Parsed, Failure> {
        if let json = answer.json { return .success(Parsed(value: json, source: .structured)) }
        return parse(text: answer.text)
    }

    static func parse(text: String) -> Result<Parsed, Failure> {
        let trimmed = TextSimilarity.trimmed(text)
        if trimmed.isEmpty { return .failure(Failure(message: "answer is empty, not JSON")) }
        let wholeError: String
        do {
            return .success(Parsed(value: try JSONValue(parsing: String(trimmed)), source: .text))
        } catch {
            wholeError = "\(error)"
        }
        if let block = fencedBlock(in: trimmed) {
            do {
                return .success(Parsed(value: try JSONValue(parsing: String(block)), source: .fencedBlock))
            } catch {
                return .failure(Failure(message: "the ```json block in the answer is not valid JSON (\(ReasonText.excerpt("\(error)")))"))
            }
        }
        return .failure(Failure(message: "answer is not valid JSON (\(ReasonText.excerpt(wholeError)))"))
    }

    struct Failure: Error, Equatable {
        var message: String
    }

    /// The content of the first fenced block tagged `json` (any case) or untagged.
    static func fencedBlock(in text: Substring) -> Substring? {
        var searchStart = text.startIndex
        while let open = text.range(of: "```", range: searchStart..<text.endIndex) {
            guard let lineEnd = text[open.upperBound...].firstIndex(where: \.isNewline) else { return nil }
            let tag = text[open.upperBound..<lineEnd].trimmingCharacters(in: .whitespaces).lowercased()
            let contentStart = text.index(after: lineEnd)
            guard let close = text.range(of: "```", range: contentStart..<text.endIndex) else { return nil }
            if tag.isEmpty || tag == "json" {
                return text[contentStart..<close.lowerBound]
            }
            searchStart = close.upperBound
        }
        return nil
    }
}
