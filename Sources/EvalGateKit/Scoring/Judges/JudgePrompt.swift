/// The messages sent to a judge model for one model-graded scorer, and how its reply is read.
///
/// The data block follows the OpenAI evals model-graded templates (`[BEGIN DATA]`, `************`,
/// `[Name]: value`, `[END DATA]`), so any chat model that knows them grades these prompts well.
public struct JudgePrompt: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A JSON verdict: `{"verdict", "score", "reason"}`.
        case rubric
        /// A choice letter on the last line: `A` to `E` (factuality) or `Y`/`N` (closed-qa).
        case choice
    }

    public var kind: Kind
    public var system: String
    public var user: String
    /// The letters a `choice` reply may end with.
    public var choices: [String]

    /// `llm-rubric`: the judge grades the answer against the rubric and answers in JSON.
    public static func rubric(_ rubric: String, input: String, answer: String) -> JudgePrompt {
        JudgePrompt(
            kind: .rubric,
            system: "You are a strict, impartial grader of an AI agent's answers. Grade only against the rubric.",
            user: """
                You are grading an AI agent's answer against a rubric. Here is the data:
                \(dataBlock([("Rubric", rubric), ("Input", input), ("Answer", answer)]))

                Does the answer meet the rubric? Reply with one JSON object and nothing else:
                {"verdict": "pass" or "fail", "score": a number from 0 to 1, "reason": "one or two sentences"}
                """,
            choices: [])
    }

    /// `factuality`: the OpenAI evals `fact` classification of the answer against the expert answer.
    public static func factuality(question: String, expert: String, submission: String) -> JudgePrompt {
        JudgePrompt(
            kind: .choice,
            system: "You are a careful fact checker.",
            user: """
                You are comparing a submitted answer to an expert answer on a given question. Here is the data:
                \(dataBlock([("Question", question), ("Expert", expert), ("Submission", submission)]))

                Compare the factual content of the submitted answer with the expert answer. Ignore any differences in style, grammar, or punctuation.
                The submitted answer may either be a subset or superset of the expert answer, or it may conflict with it. Determine which case applies. Answer the question by selecting one of the following options:
                (A) The submitted answer is a subset of the expert answer and is fully consistent with it.
                (B) The submitted answer is a superset of the expert answer and is fully consistent with it.
                (C) The submitted answer contains all the same details as the expert answer.
                (D) There is a disagreement between the submitted answer and the expert answer.
                (E) The answers differ, but these differences don't matter from the perspective of factuality.
                First explain your reasoning in one or two sentences. Then print only the single letter of your choice on its own last line.
                """,
            choices: ["A", "B", "C", "D", "E"])
    }

    /// `closed-qa`: the OpenAI evals `closedqa` check of the answer against a criterion.
    public static func closedQA(task: String, submission: String, criterion: String, reference: String?) -> JudgePrompt {
        var fields = [("Task", task), ("Submission", submission), ("Criterion", criterion)]
        if let reference { fields.append(("Reference", reference)) }
        return JudgePrompt(
            kind: .choice,
            system: "You are a careful, impartial grader.",
            user: """
                You are assessing a submitted answer on a given task based on a criterion. Here is the data:
                \(dataBlock(fields))

                Does the submission meet the criterion? First write out your reasoning step by step in one or two sentences. Then print only the single character "Y" or "N" (without quotes or punctuation) on its own last line.
                """,
            choices: ["Y", "N"])
    }

    static func dataBlock(_ fields: [(String, String)]) -> String {
        var lines = ["[BEGIN DATA]"]
        for (name, value) in fields {
            lines.append("************")
            lines.append("[\(name)]: \(value)")
        }
        lines.append("************")
        lines.append("[END DATA]")
        return lines.joined(separator: "\n")
    }

    /// The OpenAI Chat Completions body: temperature 0, so that a judge grades the same answer the same way.
    func requestBody(model: String) -> JSONValue {
        [
            "model": .string(model),
            "temperature": 0,
            "messages": [
                ["role": "system", "content": .string(system)],
                ["role": "user", "content": .string(user)],
            ],
        ]
    }
}
