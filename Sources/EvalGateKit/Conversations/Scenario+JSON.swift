import Foundation

extension Scenario {
    static let knownKeys: Set<String> = ["goal", "persona", "opening", "max_turns", "user", "trials"]
    static let knownUserKeys: Set<String> = ["script", "model", "instructions", "stop"]
    static let knownLineKeys: Set<String> = ["when", "say", "repeat"]
    static let knownConditionKeys: Set<String> = ["contains", "matches"]
    /// A conversation longer than this is a mistake (or a benchmark that should say so).
    static let turnLimit = 100

    /// Reads a case's `scenario`. Every problem is reported at the case's location, naming the key.
    static func parse(_ json: JSONValue, caseID id: String, location: SourceLocation, diagnostics: inout DiagnosticsEngine) -> Scenario? {
        guard case .object(let fields) = json else {
            diagnostics.error(location, "case '\(id)': 'scenario' must be an object with opening, max_turns and user")
            return nil
        }
        var ok = true
        func fail(_ message: String, hint: String? = nil) {
            diagnostics.error(location, "case '\(id)': \(message)", hint: hint)
            ok = false
        }
        func unknown(_ keys: [String], known: Set<String>, in place: String) {
            for key in keys.sorted() where !known.contains(key) {
                let hint =
                    Suggestions.closest(to: key, in: known).map { "did you mean '\($0)'?" } ?? "known keys: \(known.sorted().joined(separator: ", "))"
                fail("unknown key '\(key)' in \(place)", hint: hint)
            }
        }
        unknown(Array(fields.keys), known: knownKeys, in: "'scenario'")
        func text(_ key: String) -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            case let other?:
                fail("'scenario.\(key)' must be text, found \(other.typeName)")
                return nil
            }
        }
        let goal = text("goal")
        let persona = text("persona")
        let opening = text("opening") ?? ""
        if opening.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            fail("'scenario' has no 'opening'", hint: "the opening is the customer's first message")
        }
        var maxTurns = 0
        switch fields["max_turns"] {
        case nil, .null?:
            fail("'scenario' has no 'max_turns'", hint: "say how many customer turns the conversation may take, e.g. max_turns: 8")
        case let value?:
            if let number = value.doubleValue, number.rounded() == number, number >= 1, number <= Double(turnLimit) {
                maxTurns = Int(number)
            } else {
                fail("'scenario.max_turns' must be a whole number from 1 to \(turnLimit), found \(value.compactJSON.prefix(40))")
            }
        }
        var trials: Int?
        if let value = fields["trials"], value != .null {
            if let number = value.doubleValue, number.rounded() == number, number >= 1, number <= 100 {
                trials = Int(number)
            } else {
                fail(
                    "'scenario.trials' must be a whole number from 1 to 100, found \(value.compactJSON.prefix(40))",
                    hint: "trials: 3 holds three independent conversations")
            }
        }
        guard let userJSON = fields["user"], userJSON != .null else {
            fail(
                "'scenario' has no 'user'",
                hint: "say how the customer is played: user: {script: [{say: ...}]} or user: {model: ..., instructions: ...}")
            return nil
        }
        guard case .object(let userFields) = userJSON else {
            fail("'scenario.user' must be an object with a script or instructions")
            return nil
        }
        unknown(Array(userFields.keys), known: knownUserKeys, in: "'scenario.user'")
        let user: ScenarioUser
        if let scriptJSON = userFields["script"], scriptJSON != .null {
            if userFields["instructions"] != nil || userFields["model"] != nil {
                fail("'scenario.user' has both a script and a model", hint: "a customer is scripted or simulated, not both")
            }
            guard case .array(let entries) = scriptJSON, !entries.isEmpty else {
                fail("'scenario.user.script' must be a non-empty list of {say, when} lines")
                return nil
            }
            var lines: [ScriptLine] = []
            for (position, entry) in entries.enumerated() {
                let place = "script line \(position + 1)"
                guard case .object(let lineFields) = entry else {
                    fail("\(place) must be an object with 'say'")
                    continue
                }
                unknown(Array(lineFields.keys), known: knownLineKeys, in: place)
                guard let say = lineFields["say"]?.stringValue, !say.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    fail("\(place) has no 'say'", hint: "each line is what the customer says, e.g. say: \"It's A-10023\"")
                    continue
                }
                var line = ScriptLine(say: say)
                switch lineFields["repeat"] {
                case .bool(let value)?: line.repeats = value
                case nil, .null?: break
                default: fail("\(place): 'repeat' must be true or false")
                }
                switch lineFields["when"] {
                case nil, .null?: break
                case .object(let conditionFields)?:
                    unknown(Array(conditionFields.keys), known: knownConditionKeys, in: "\(place) 'when'")
                    var condition = ScriptCondition()
                    switch conditionFields["contains"] {
                    case .string(let value)?: condition.contains = [value]
                    case .array(let values)? where values.allSatisfy({ $0.stringValue?.isEmpty == false }) && !values.isEmpty:
                        condition.contains = values.compactMap(\.stringValue)
                    case nil, .null?: break
                    default: fail("\(place): 'when.contains' must be text or a list of texts")
                    }
                    if let pattern = conditionFields["matches"], pattern != .null {
                        if let text = pattern.stringValue, (try? Regex(text)) != nil {
                            condition.matches = text
                        } else {
                            fail("\(place): 'when.matches' is not a valid regular expression")
                        }
                    }
                    if condition.contains.isEmpty && condition.matches == nil {
                        fail("\(place): 'when' needs 'contains' or 'matches'")
                    }
                    line.when = condition
                default: fail("\(place): 'when' must be an object such as {contains: \"order number\"}")
                }
                lines.append(line)
            }
            if let endless = lines.firstIndex(where: { $0.when == nil && $0.repeats }) {
                fail(
                    "script line \(endless + 1) repeats on every turn: the script never ends within max_turns",
                    hint: "give the line a 'when' so it only answers certain agent turns, or drop 'repeat'")
            }
            let unconditional = lines.filter { $0.when == nil }.count
            if maxTurns > 0, 1 + unconditional > maxTurns {
                fail(
                    "the script has \(unconditional) unconditional line\(unconditional == 1 ? "" : "s") after the opening, "
                        + "so it cannot end within max_turns \(maxTurns)",
                    hint: "raise max_turns to at least \(1 + unconditional) or shorten the script")
            }
            user = .script(lines)
        } else {
            guard let instructions = userFields["instructions"]?.stringValue,
                !instructions.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else {
                fail(
                    "'scenario.user' has neither a script nor instructions",
                    hint: "a scripted customer needs script: [...]; a simulated one needs instructions (and the pipeline's simulator)")
                return nil
            }
            var modelUser = ModelUser(instructions: instructions)
            switch userFields["model"] {
            case .string(let model)? where !model.isEmpty: modelUser.model = model
            case nil, .null?: break
            default: fail("'scenario.user.model' must be a model name")
            }
            switch userFields["stop"] {
            case .string(let stop)? where !stop.trimmingCharacters(in: .whitespaces).isEmpty: modelUser.stop = stop
            case nil, .null?: break
            default: fail("'scenario.user.stop' must be a non-empty marker such as \"###DONE###\"")
            }
            user = .model(modelUser)
        }
        var scenario = Scenario(goal: goal, persona: persona, opening: opening, maxTurns: maxTurns, user: user)
        scenario.trials = trials
        return ok ? scenario : nil
    }
}
