import Foundation

/// Rule-based prompt-injection detection: what a well-behaved model would notice, made deterministic.
enum PromptInjectionDetector {
    static func families(in text: String) -> Set<InjectionFamily> {
        let cleaned = stripInvisible(text)
        var found = plainFamilies(original: cleaned, index: TextIndex(cleaned))
        if found.isEmpty {
            // The obfuscation passes cost as much as the plain one; most messages show no sign of needing them.
            let signs = ObfuscationSigns(cleaned)
            var hidden: Set<InjectionFamily> = []
            if signs.leetspeak {
                hidden = plainFamilies(original: "", index: TextIndex(undoLeetspeak(cleaned.lowercased())))
            }
            for decoded in decodedBase64Segments(cleaned) {
                hidden.formUnion(plainFamilies(original: decoded, index: TextIndex(decoded)))
            }
            var squashed = false
            if signs.spacedLetters {
                let letters = String(String.UnicodeScalarView(cleaned.unicodeScalars.filter(TextScanner.isLetter)))
                squashed = TextIndex(letters).containsAny(squashedPhrases)
            }
            if !hidden.isEmpty || squashed {
                found = hidden.union([.encoded])
            }
        }
        return found
    }

    /// Cheap hints that a message may hide words: digits or symbols inside words ("r3fund"), or runs of
    /// single letters ("i g n o r e", "I.G.N.O.R.E").
    struct ObfuscationSigns {
        var leetspeak = false
        var spacedLetters = false

        init(_ text: String) {
            // A sliding window of three scalars for leetspeak, and a count of one-letter words in a row.
            var before: Unicode.Scalar = " "
            var middle: Unicode.Scalar = " "
            var wordLength = 0
            var oneLetterWords = 0
            for scalar in text.unicodeScalars {
                if !leetspeak, PromptInjectionDetector.leetScalars.contains(middle) {
                    let left = TextScanner.isLetter(before)
                    let right = TextScanner.isLetter(scalar)
                    let leftOK = left || PromptInjectionDetector.leetScalars.contains(before)
                    let rightOK = right || PromptInjectionDetector.leetScalars.contains(scalar)
                    leetspeak = leftOK && rightOK && (left || right)
                }
                if TextScanner.isLetter(scalar) {
                    wordLength += 1
                } else {
                    if wordLength == 1 {
                        oneLetterWords += 1
                        if oneLetterWords >= 5 { spacedLetters = true }
                    } else if wordLength > 1 {
                        oneLetterWords = 0
                    }
                    wordLength = 0
                }
                before = middle
                middle = scalar
            }
        }
    }

    static let leetScalars: Set<Unicode.Scalar> = ["0", "1", "3", "4", "5", "7", "@", "$", "!", "|", "+"]

    private static func plainFamilies(original: String, index: TextIndex) -> Set<InjectionFamily> {
        var found: Set<InjectionFamily> = []
        if overridesInstructions(index) { found.insert(.overrideInstructions) }
        if index.containsAnyWords(rolePlayPhrases) { found.insert(.rolePlay) }
        if hasFakeSystemMarker(original: original, index: index) { found.insert(.fakeSystem) }
        if index.containsAnyWords(authorityPhrases) { found.insert(.claimedAuthority) }
        if index.containsAny(markupMarkers) { found.insert(.markup) }
        if index.containsAny(toolMarkers) { found.insert(.toolManipulation) }
        if index.containsAnyWords(extractionPhrases) { found.insert(.promptExtraction) }
        return found
    }

    // MARK: Override instructions

    private static let overrideVerbs: [Pattern] = [
        "ignore", "disregard", "forget", "override", "bypass", "ignora", "ignoriere", "ignorieren", "ignorez",
        "ignorer", "vergiss", "olvida", "olvídate", "ignorar", "oublie", "oubliez", "esquece",
    ]
    private static let overrideTargets: [Pattern] = [
        "instruction", "rules", "policy", "policies", "guideline", "prompt", "restriction", "limit", "anweisung",
        "instrucci", "règle", "regla", "istruzion", "instruç", "richtlinie", "consigne", "directive", "regeln",
    ]

    /// An override verb followed closely by what it overrides: "ignore all previous instructions",
    /// "ignoriere alle vorherigen Anweisungen". A verb alone ("the courier ignored me") is fine.
    private static func overridesInstructions(_ index: TextIndex) -> Bool {
        for verb in overrideVerbs {
            var from = 0
            while let position = TextIndex.find(verb.wordBytes, in: index.words, from: from) {
                from = position + verb.wordBytes.count - 1
                let window = Array(index.words[from..<min(index.words.count, from + 70)])
                if overrideTargets.contains(where: { TextIndex.find($0.bytes, in: window) != nil }) { return true }
            }
        }
        return index.containsAny(["new instructions:", "updated instructions:"])
    }

    // MARK: Role play

    private static let rolePlayPhrases: [Pattern] = [
        "developer mode", "dev mode", "debug mode", "god mode", "dan mode", "maintenance mode", "admin mode",
        "you are now", "you're now", "from now on you are", "jailbreak", "jailbroken", "pretend you are", "pretend to be",
        "act as dan", "act as an unrestricted", "roleplay as", "role-play as", "no restrictions", "without restrictions",
        "without any restrictions", "unrestricted ai", "do anything now", "modo desarrollador", "entwicklermodus",
        "mode développeur", "modo sviluppatore",
    ]

    // MARK: Fake system messages

    private static let systemLineStarts: [[UInt8]] = [
        "system:", "system message:", "system prompt:", "system override", "system notice:", "system update:",
        "[system", "<system", "(system", "assistant:", "[assistant", "[admin", "admin:", "### instruction", "[inst]",
    ].map { Array($0.utf8) }
    private static let systemAnywhere: [Pattern] = [
        "<|im_start|>", "<|system|>", "<<sys>>", "admin override", "[system]", "<system>",
    ]
    private static let lineLead: Set<UInt8> = Set(" \t#>*-\"'`".utf8)

    /// `SYSTEM:` in capitals anywhere, a system-looking line start, or chat-template markers.
    private static func hasFakeSystemMarker(original: String, index: TextIndex) -> Bool {
        if original.contains("SYSTEM:") || original.contains("SYSTEM OVERRIDE") { return true }
        if index.containsAny(systemAnywhere) { return true }
        let bytes = index.lowered
        var lineStart = 0
        while lineStart < bytes.count {
            var cursor = lineStart
            while cursor < bytes.count, lineLead.contains(bytes[cursor]) { cursor += 1 }
            for marker in systemLineStarts where bytes.count - cursor >= marker.count {
                if bytes[cursor..<(cursor + marker.count)].elementsEqual(marker) { return true }
            }
            guard let newline = bytes[cursor...].firstIndex(of: 10) else { break }
            lineStart = newline + 1
        }
        return false
    }

    // MARK: Claimed authority

    private static let authorityPhrases: [Pattern] = [
        "manager approved", "manager has approved", "manager already approved", "manager said it's ok",
        "manager said it is ok", "supervisor approved", "supervisor has approved", "supervisor authorized",
        "approved by my manager", "approved by your manager", "approved by the manager", "approved by your supervisor",
        "approved by management", "your manager said", "your supervisor said", "i am your manager", "i'm your manager",
        "i am a manager", "i'm a manager at", "i am your supervisor", "authorized by your", "authorised by your",
        "authorized by management", "authorized by my manager", "pre-approved", "preapproved", "override code",
        "authorization code", "authorisation code", "ceo approved", "as an acme employee", "i work at acme",
        "i work for acme", "internal employee", "legal has approved", "legal department approved", "gerente aprobó",
        "mi gerente", "vorgesetzte hat", "chef a approuvé", "mon responsable a approuvé",
    ]

    // MARK: Markup, tools, prompt extraction

    private static let markupMarkers: [Pattern] = [
        "<script", "</script", "onerror=", "onerror =", "onload=", "onmouseover=", "onclick=", "onfocus=", "javascript:",
        "<iframe", "<!--", "<svg", "<img", "{{", "${", "drop table", "union select",
    ]
    private static let toolMarkers: [Pattern] = [
        "issue_refund", "lookup_order", "escalate_to_human", "\"tool_calls\"", "function_call", "\"function\":",
        "tool call", "call the refund function", "call the refund tool", "invoke the refund",
    ]
    private static let extractionPhrases: [Pattern] = [
        "system prompt", "initial prompt", "reveal your instructions", "print your instructions",
        "show me your instructions", "show your instructions", "repeat your instructions", "output your instructions",
        "repeat the text above", "repeat everything above", "what were you told", "hidden instructions",
        "your configuration", "your internal rules",
    ]

    // MARK: Obfuscation

    /// Phrases searched in the letters-only text, catching "i g n o r e  p r e v i o u s" and "I.G.N.O.R.E".
    private static let squashedPhrases: [Pattern] = [
        "ignorepreviousinstructions", "ignoreallpreviousinstructions", "ignoreallinstructions", "ignoreyourinstructions",
        "ignoretherefundpolicy", "disregardallpreviousinstructions", "developermode", "systemoverride",
    ]

    private static let invisible: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD]

    private static func stripInvisible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { invisible.contains($0.value) }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !invisible.contains($0.value) }))
    }

    private static let leet: [Character: Character] = [
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l", "+": "t",
    ]

    private static func undoLeetspeak(_ lowered: String) -> String {
        String(lowered.map { leet[$0] ?? $0 })
    }

    /// Base64 runs of 16 or more characters that decode to mostly printable text.
    static func decodedBase64Segments(_ text: String) -> [String] {
        var segments: [String] = []
        let bytes = Array(text.utf8)
        var start = 0
        func isBase64(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte == 0x2B
                || byte == 0x2F || byte == 0x3D
        }
        while start < bytes.count {
            guard isBase64(bytes[start]) else {
                start += 1
                continue
            }
            var end = start
            while end < bytes.count, isBase64(bytes[end]) { end += 1 }
            defer { start = end }
            guard end - start >= 16 else { continue }
            var run = String(decoding: bytes[start..<end], as: UTF8.self)
            while run.utf8.count % 4 != 0 { run.append("=") }
            guard let data = Data(base64Encoded: run), !data.isEmpty else { continue }
            let printable = data.filter { ($0 >= 32 && $0 < 127) || $0 == 10 }.count
            guard Double(printable) / Double(data.count) > 0.9 else { continue }
            segments.append(String(decoding: data, as: UTF8.self))
        }
        return segments
    }
}
