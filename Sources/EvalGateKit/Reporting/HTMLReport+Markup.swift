import Foundation

extension HTMLReport {
    /// Markup that may go into the page as it is: literals written in the report's own source, numbers,
    /// and text that went through ``escape(_:multiline:)``.
    ///
    /// A `String` cannot be interpolated into `Markup`, so untrusted text (answers, inputs, case ids,
    /// tags, reasons) has exactly one way into the page, and that way escapes it.
    struct Markup: Sendable, Equatable, ExpressibleByStringInterpolation {
        private(set) var text: String

        init() { text = "" }

        init(stringLiteral value: String) { text = value }

        init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

        struct StringInterpolation: StringInterpolationProtocol {
            var text = ""

            init(literalCapacity: Int, interpolationCount: Int) {
                text.reserveCapacity(literalCapacity + interpolationCount * 16)
            }

            mutating func appendLiteral(_ literal: String) { text += literal }

            mutating func appendInterpolation(_ markup: Markup) { text += markup.text }

            mutating func appendInterpolation(_ parts: [Markup]) {
                for part in parts { text += part.text }
            }

            mutating func appendInterpolation(_ number: Int) { text += String(number) }

            /// Coordinates and lengths: at most two decimals, and never `nan` in an attribute.
            mutating func appendInterpolation(_ number: Double) { text += Markup.coordinate(number) }
        }

        static func + (lhs: Markup, rhs: Markup) -> Markup {
            var result = lhs
            result += rhs
            return result
        }

        static func += (lhs: inout Markup, rhs: Markup) { lhs.text += rhs.text }

        var isEmpty: Bool { text.isEmpty }

        static func coordinate(_ value: Double) -> String {
            guard value.isFinite else { return "0" }
            let rounded = (value * 100).rounded() / 100
            if rounded == rounded.rounded() { return String(Int(rounded)) }
            return String(format: "%.2f", rounded)
        }

        /// Escapes untrusted text for element content and quoted attribute values alike.
        ///
        /// `& < > " '` become character references, so the text can neither open a tag nor leave an
        /// attribute. Control characters and bidirectional overrides are shown as `\u{…}` instead of
        /// acting on the page (a right-to-left override could make `exe.txt` read as `txt.exe`).
        /// With `multiline`, line feeds and tabs stay (for `<pre>`); otherwise a line feed shows as ⏎.
        static func escape(_ raw: String, multiline: Bool = false) -> Markup {
            var output = ""
            output.reserveCapacity(raw.utf8.count)
            for scalar in raw.unicodeScalars {
                switch scalar.value {
                case 0x26: output += "&amp;"
                case 0x3C: output += "&lt;"
                case 0x3E: output += "&gt;"
                case 0x22: output += "&quot;"
                case 0x27: output += "&#39;"
                case 0x0A where multiline, 0x09 where multiline: output.unicodeScalars.append(scalar)
                case 0x0D: continue
                case 0x0A: output += "⏎"
                case 0x09: output += " "
                case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0xFFF9...0xFFFB:
                    output += "\\u{\(String(scalar.value, radix: 16))}"
                default: output.unicodeScalars.append(scalar)
                }
            }
            var markup = Markup()
            markup.text = output
            return markup
        }
    }
}

extension Array where Element == HTMLReport.Markup {
    func joined(separator: HTMLReport.Markup = "") -> HTMLReport.Markup {
        var result = HTMLReport.Markup()
        for (index, part) in enumerated() {
            if index > 0 { result += separator }
            result += part
        }
        return result
    }
}
