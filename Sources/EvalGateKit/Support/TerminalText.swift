/// Makes untrusted text (agent answers, server bodies) safe to print on a terminal or in a log:
/// control characters and escape sequences are shown, not executed.
public enum TerminalText {
    public static func sanitize(_ text: String, limit: Int? = nil) -> String {
        var output = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if let limit, count >= limit {
                output += "…"
                break
            }
            switch scalar.value {
            case 0x0A: output += "⏎"
            case 0x09: output += " "
            case 0x00..<0x20, 0x7F, 0x80..<0xA0: output += "\\u{\(String(scalar.value, radix: 16))}"
            case 0x202A...0x202E, 0x2066...0x2069: output += "\\u{\(String(scalar.value, radix: 16))}"  // bidi overrides
            default: output.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return output
    }
}
