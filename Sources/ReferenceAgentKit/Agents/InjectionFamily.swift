/// The kinds of prompt injection the refund agent recognises in customer text and in tool results.
enum InjectionFamily: String, Sendable, CaseIterable {
    /// "Ignore previous instructions", in several languages.
    case overrideInstructions = "override-instructions"
    /// "You are now in developer mode", DAN, role play without restrictions.
    case rolePlay = "role-play"
    /// Fake `SYSTEM:` lines, chat-template markers, "admin override".
    case fakeSystem = "fake-system"
    /// "My manager approved a $2000 refund", claimed employees, override codes.
    case claimedAuthority = "claimed-authority"
    /// Any of the above hidden in base64, leetspeak or spaced-out letters.
    case encoded
    /// Script tags, event handlers, HTML comments: instructions smuggled in markup.
    case markup
    /// Customers naming the agent's tools or writing tool-call JSON.
    case toolManipulation = "tool-manipulation"
    /// Attempts to read out the system prompt.
    case promptExtraction = "prompt-extraction"
}
