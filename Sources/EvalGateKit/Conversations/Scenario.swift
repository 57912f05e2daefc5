/// A case that is a conversation rather than one exchange: who the customer is, how they open, and
/// how they go on after each agent turn.
public struct Scenario: Sendable, Equatable, Codable {
    /// What the customer wants; shown in reports, and given to a simulated user as its goal.
    public var goal: String?
    /// Who the customer is (tone, language, patience); given to a simulated user.
    public var persona: String?
    /// The customer's first message.
    public var opening: String
    /// User turns at most, the opening included; the conversation ends after the agent answers the last.
    public var maxTurns: Int
    public var user: ScenarioUser
    /// Independent conversations to hold (`trials`); `nil` leaves it to the case or the pipeline.
    public var trials: Int?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case goal, persona, opening, maxTurns, user, trials
    }

    public init(goal: String? = nil, persona: String? = nil, opening: String, maxTurns: Int, user: ScenarioUser) {
        self.goal = goal
        self.persona = persona
        self.opening = opening
        self.maxTurns = maxTurns
        self.user = user
    }
}

/// How the customer of a scenario is played.
public enum ScenarioUser: Sendable, Equatable, Codable {
    /// Scripted turns, each said at most once (unless it repeats), chosen by what the agent last said.
    case script([ScriptLine])
    /// A language model plays the customer through the pipeline's `simulator`.
    case model(ModelUser)

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case script, model
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let lines = try container.decodeIfPresent([ScriptLine].self, forKey: .script) {
            self = .script(lines)
        } else {
            self = .model(try container.decode(ModelUser.self, forKey: .model))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .script(let lines): try container.encode(lines, forKey: .script)
        case .model(let user): try container.encode(user, forKey: .model)
        }
    }
}

/// One line a scripted customer may say.
public struct ScriptLine: Sendable, Equatable, Codable {
    /// When the line applies; `nil` applies to any agent turn.
    public var when: ScriptCondition?
    public var say: String
    /// May be said again whenever it applies (a customer who keeps refusing); otherwise said once.
    public var repeats: Bool

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case when, say, repeats
    }

    public init(when: ScriptCondition? = nil, say: String, repeats: Bool = false) {
        self.when = when
        self.say = say
        self.repeats = repeats
    }
}

/// What the agent's last turn must say for a script line to apply.
public struct ScriptCondition: Sendable, Equatable, Codable {
    /// Any of these, ignoring case.
    public var contains: [String]
    /// A regular expression the turn must match.
    public var matches: String?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case contains, matches
    }

    public init(contains: [String] = [], matches: String? = nil) {
        self.contains = contains
        self.matches = matches
    }

    public func holds(for agentText: String) -> Bool {
        if !contains.isEmpty {
            let lowered = agentText.lowercased()
            guard contains.contains(where: { lowered.contains($0.lowercased()) }) else { return false }
        }
        if let matches {
            guard let regex = try? Regex(matches).ignoresCase(), (try? regex.firstMatch(in: agentText)) != nil else { return false }
        }
        return true
    }
}

/// A customer played by a language model.
public struct ModelUser: Sendable, Equatable, Codable {
    /// Overrides the pipeline simulator's model.
    public var model: String?
    public var instructions: String
    /// The marker the simulated user writes to end the conversation.
    public var stop: String

    public static let defaultStop = "###DONE###"

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case model, instructions, stop
    }

    public init(model: String? = nil, instructions: String, stop: String = ModelUser.defaultStop) {
        self.model = model
        self.instructions = instructions
        self.stop = stop
    }
}
