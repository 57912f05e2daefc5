/// `${VAR}` and `${VAR:-default}` substitution from the process's variables, applied to every string a user writes.
public struct Interpolation: Sendable {
    /// The variables `${VAR}` reads: the process environment, or what a test gives.
    public var variables: [String: String]

    public init(variables: [String: String]) {
        self.variables = variables
    }

    public enum Failure: Error, Equatable, Sendable {
        case missingVariable(String)
        case unterminated
        case invalidName(String)
    }

    public struct Result: Sendable, Equatable {
        public var text: String
        /// Values substituted from variables whose names mark them as secrets.
        public var secrets: [String]
    }

    /// Variable names that hold credentials: their values are redacted everywhere evalgate writes.
    public static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.hasSuffix("_KEY") || upper.hasSuffix("_TOKEN") || upper.hasSuffix("_SECRET") || upper.contains("PASSWORD")
            || upper == "KEY" || upper == "TOKEN" || upper == "SECRET"
    }

    /// Substitutes every `${...}`; `$${` writes a literal `${`.
    public func apply(_ text: String) throws(Failure) -> Result {
        guard text.contains("${") else { return Result(text: text, secrets: []) }
        var output = ""
        var secrets: [String] = []
        var rest = text[...]
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let afterDollar = rest.index(after: dollar)
            if rest[afterDollar...].hasPrefix("${") {
                output += "${"
                rest = rest[rest.index(afterDollar, offsetBy: 2)...]
                continue
            }
            guard rest[afterDollar...].hasPrefix("{") else {
                output += "$"
                rest = rest[afterDollar...]
                continue
            }
            let bodyStart = rest.index(after: afterDollar)
            guard let close = rest[bodyStart...].firstIndex(of: "}") else { throw .unterminated }
            let body = rest[bodyStart..<close]
            let name: Substring
            let fallback: Substring?
            if let separator = body.range(of: ":-") {
                name = body[..<separator.lowerBound]
                fallback = body[separator.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.first!.isNumber else {
                throw .invalidName(String(name))
            }
            let value: String
            if let found = variables[String(name)], !found.isEmpty {
                value = found
                if Self.isSecretName(String(name)) { secrets.append(found) }
            } else if let fallback {
                value = String(fallback)
            } else {
                throw .missingVariable(String(name))
            }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return Result(text: output, secrets: secrets)
    }
}
