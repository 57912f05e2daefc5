import Foundation
import Yams

extension PromptfooConversion {
    struct DefaultTest {
        var vars: [String: JSONValue] = [:]
        var asserts: [(JSONValue, SourceLocation)] = []
        var threshold: Double?
        /// The model of `options.provider` when it is an OpenAI grader (`openai:gpt-4o-mini`).
        var graderModel: String?
    }

    static let testKeys: Set<String> = ["description", "vars", "assert", "options", "threshold", "metadata"]

    // MARK: Prompts

    func loadPrompts(_ node: Node?, root: Node) -> [Prompt] {
        guard let node else {
            diagnostics.note(
                source.location(root), "the config has no 'prompts'; each case's input is the var 'prompt'",
                hint: "promptfoo needs prompts; evalgate uses {{prompt}} as the template")
            return [Prompt(label: "prompt", text: "{{prompt}}", location: source.location(root))]
        }
        var prompts: [Prompt] = []
        switch node {
        case .scalar:
            prompts += prompt(from: node.scalarText ?? "", label: nil, node: node)
        case .sequence(let list):
            for item in list {
                if let text = item.scalarText {
                    prompts += prompt(from: text, label: nil, node: item)
                } else if let raw = (item.member("raw") ?? item.member("id"))?.scalarText {
                    prompts += prompt(from: raw, label: item.member("label")?.scalarText, node: item)
                } else {
                    diagnostics.warning(source.location(item), "prompt skipped: expected a string, file:// path, or {raw|id, label}")
                }
            }
        case .mapping:
            // The older form: `prompts: {file://a.txt: label}`.
            for (key, keyNode, value) in node.members { prompts += prompt(from: key, label: value.scalarText, node: keyNode) }
        case .alias:
            break
        }
        if prompts.isEmpty {
            diagnostics.error(source.location(node), "no prompt could be converted; no files written")
        }
        var labels = ImportText.UniqueNames()
        return prompts.map { prompt in
            var prompt = prompt
            prompt.label = labels.claim(prompt.label)
            return prompt
        }
    }

    func prompt(from text: String, label: String?, node: Node) -> [Prompt] {
        let location = source.location(node)
        guard text.hasPrefix("file://") else {
            var prompt = inlinePrompt(text, label: label ?? String(text.prefix(40)), location: location)
            prompt.named = label != nil
            return [prompt]
        }
        let path = String(text.dropFirst("file://".count))
        let pathOnly = path.split(separator: ":").first.map(String.init) ?? path
        let file = source.relative(pathOnly)
        if ["py", "js", "ts", "mjs", "cjs"].contains(file.extensionName) {
            diagnostics.warning(
                location, "prompt '\(text)' skipped: prompt functions are code evalgate does not run",
                hint: "render the prompt to text and import again")
            return []
        }
        var prompts: [Prompt] = []
        let files = file.expandingGlob()
        if files.isEmpty { diagnostics.warning(location, "prompt '\(text)' skipped: no file matches") }
        for file in files {
            let name = label ?? ((file.displayPath as NSString).lastPathComponent as NSString).deletingPathExtension
            do {
                let contents = try file.readText()
                switch file.extensionName {
                case "json":
                    prompts.append(inlinePrompt(contents, label: name, location: location))
                case "jsonl":
                    for (index, line) in contents.split(separator: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                        prompts.append(inlinePrompt(String(line), label: "\(name)-\(index + 1)", location: file.location(line: index + 1)))
                    }
                case "yaml", "yml":
                    let json = try file.readYAML().map(file.json) ?? .null
                    if let text = json.stringValue {
                        prompts.append(Prompt(label: name, text: text, location: location))
                    } else {
                        prompts.append(inlinePrompt(json.compactJSON, label: name, location: location))
                    }
                default:
                    // A text file holds several prompts separated by a line of `---`.
                    let parts = contents.components(separatedBy: "\n---\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
                    for (index, part) in parts.enumerated() {
                        prompts.append(Prompt(label: parts.count == 1 ? name : "\(name)-\(index + 1)", text: part, location: location))
                    }
                }
            } catch {
                diagnostics.warning(location, "prompt '\(text)' skipped: \(error.diagnostics.first?.message ?? "cannot read it")")
            }
        }
        return prompts.map { prompt in
            var prompt = prompt
            prompt.named = true
            return prompt
        }
    }

    /// A prompt written as a JSON list of `{role, content}` is a chat prompt; anything else is text.
    func inlinePrompt(_ text: String, label: String, location: SourceLocation) -> Prompt {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("["), let json = try? JSONValue(parsing: trimmed), let list = json.arrayValue, !list.isEmpty {
            let messages = list.compactMap { item -> (role: String, content: String)? in
                guard let role = item["role"]?.stringValue, let content = item["content"] else { return nil }
                return (role, ImportText.text(of: content))
            }
            if messages.count == list.count { return Prompt(label: label, messages: messages, location: location) }
        }
        return Prompt(label: label, text: text, location: location)
    }

    // MARK: Tests

    func readDefaultTest(_ node: Node) -> DefaultTest {
        var defaults = DefaultTest()
        if let path = node.scalarText {
            diagnostics.warning(source.location(node), "defaultTest '\(path)' not converted: write defaultTest inline")
            return defaults
        }
        let parsed = test(from: node, in: source, index: 0)
        defaults.vars = parsed.vars
        defaults.asserts = parsed.asserts
        defaults.threshold = parsed.threshold
        if let provider = node.member("options")?.member("provider") {
            let id = provider.scalarText ?? provider.member("id")?.scalarText ?? ""
            let parts = id.split(separator: ":").map(String.init)
            if parts.first == "openai", parts.count >= 2, !["embedding", "embeddings"].contains(parts[1]) {
                defaults.graderModel =
                    parts.count >= 3 && parts[1] == "chat" ? parts[2...].joined(separator: ":") : parts[1...].joined(separator: ":")
            } else {
                diagnostics.warning(
                    source.location(provider), "grading provider '\(id)' not converted; the judge is OpenAI \(ImportedPipeline.defaultJudgeModel)",
                    hint: "set judge.url and judge.model in the pipeline to grade with another model")
            }
        }
        return defaults
    }

    func loadTests(_ node: Node) -> [Test] {
        if let text = node.scalarText { return loadTestFile(text, at: node) }
        guard let list = node.items else {
            diagnostics.warning(source.location(node), "'tests' skipped: expected a list of tests or a file:// path")
            return []
        }
        var tests: [Test] = []
        for item in list {
            if let text = item.scalarText {
                tests += loadTestFile(text, at: item)
            } else {
                tests.append(test(from: item, in: source, index: tests.count))
            }
        }
        return tests
    }

    func loadTestFile(_ reference: String, at node: Node) -> [Test] {
        let location = source.location(node)
        guard reference.hasPrefix("file://") else {
            diagnostics.warning(
                location, "tests '\(reference)' skipped: evalgate reads tests inline or from file:// YAML, JSON, JSONL or CSV",
                hint: reference.hasPrefix("https://docs.google.com") ? "download the sheet as CSV and import that" : nil)
            return []
        }
        let files = source.relative(String(reference.dropFirst("file://".count))).expandingGlob()
        if files.isEmpty { diagnostics.warning(location, "tests '\(reference)' skipped: no file matches") }
        var tests: [Test] = []
        for file in files {
            do {
                switch file.extensionName {
                case "csv":
                    tests += try csvTests(file)
                case "jsonl":
                    let text = try file.readText()
                    for (index, line) in text.components(separatedBy: "\n").enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                        do {
                            tests.append(test(from: try JSONValue(parsing: line), at: file.location(line: index + 1)))
                        } catch {
                            diagnostics.warning(file.location(line: index + 1), "test skipped: not JSON (\(error))")
                        }
                    }
                case "yaml", "yml", "json":
                    guard let root = try file.readYAML() else { continue }
                    for item in root.items ?? [root] { tests.append(test(from: item, in: file, index: tests.count)) }
                default:
                    diagnostics.warning(location, "tests '\(file.displayPath)' skipped: evalgate reads YAML, JSON, JSONL and CSV test files")
                }
            } catch {
                let found = (error as? InvalidInputError)?.diagnostics ?? [Diagnostic(.warning, location, "\(error)")]
                for diagnostic in found {
                    diagnostics.warning(diagnostic.location, "tests skipped: \(diagnostic.message)")
                }
            }
        }
        return tests
    }

    /// A test written in YAML or JSON, each assertion located at its own node.
    func test(from node: Node, in file: ImportSource, index: Int) -> Test {
        guard case .mapping = node else {
            diagnostics.warning(file.location(node), "test skipped: expected a mapping with vars and assert")
            return Test(location: file.location(node))
        }
        var fields: [String: JSONValue] = [:]
        var asserts: [(JSONValue, SourceLocation)] = []
        for (key, keyNode, value) in node.members {
            if key == "assert" {
                if let items = value.items {
                    asserts = items.map { (file.json($0), file.location($0)) }
                } else {
                    diagnostics.warning(file.location(value), "'assert' skipped: expected a list")
                }
            } else if !Self.testKeys.contains(key) {
                reportTestKey(key, at: file.location(keyNode))
            } else {
                fields[key] = file.json(value)
            }
        }
        return makeTest(fields, asserts: asserts, location: file.location(node), folder: file)
    }

    /// A test read from JSONL: every assertion is located at its line.
    func test(from json: JSONValue, at location: SourceLocation) -> Test {
        guard case .object(let object) = json else {
            diagnostics.warning(location, "test skipped: expected an object with vars and assert")
            return Test(location: location)
        }
        var fields: [String: JSONValue] = [:]
        for (key, value) in object.sorted(by: { $0.key < $1.key }) where key != "assert" {
            if Self.testKeys.contains(key) { fields[key] = value } else { reportTestKey(key, at: location) }
        }
        let asserts = (object["assert"]?.arrayValue ?? []).map { ($0, location) }
        return makeTest(fields, asserts: asserts, location: location, folder: source)
    }

    func reportTestKey(_ key: String, at location: SourceLocation) {
        switch key {
        case "provider", "providers", "prompts":
            diagnostics.warning(location, "the test's '\(key)' filter not converted: the case runs for every provider and prompt")
        case "providerOutput":
            diagnostics.warning(location, "'providerOutput' not converted: evalgate always asks the agent")
        default:
            diagnostics.warning(location, "test key '\(key)' not converted")
        }
    }

    func makeTest(_ fields: [String: JSONValue], asserts: [(JSONValue, SourceLocation)], location: SourceLocation, folder: ImportSource) -> Test {
        var test = Test(location: location)
        test.description = fields["description"]?.stringValue
        test.asserts = asserts
        if let vars = fields["vars"] {
            if case .object(let object) = vars {
                test.vars = object.mapValues { loadVarFile($0, at: location) }
            } else {
                diagnostics.warning(location, "the test's 'vars' not converted: expected a mapping")
            }
        }
        if case .object(let metadata)? = fields["metadata"] { test.metadata = metadata }
        let threshold = fields["threshold"] ?? fields["options"]?["threshold"]
        if let threshold, threshold != .null {
            if let value = threshold.doubleValue, (0...1).contains(value) {
                test.threshold = value
            } else {
                diagnostics.warning(
                    location, "the test's threshold \(threshold.compactJSON) not converted: evalgate's case threshold is between 0 and 1")
            }
        }
        if case .object(let options)? = fields["options"] {
            for key in options.keys.sorted() where key != "threshold" && key != "provider" {
                switch key {
                case "transform", "postprocess":
                    diagnostics.warning(location, "options.\(key) not converted: scorers see the agent's answer untransformed")
                case "prefix", "suffix":
                    diagnostics.warning(location, "options.\(key) not converted: add it to the prompt")
                default:
                    diagnostics.note(location, "options.\(key) not converted")
                }
            }
        }
        return test
    }

    /// A var written `file://notes.txt` is the file's text, as promptfoo reads it.
    func loadVarFile(_ value: JSONValue, at location: SourceLocation) -> JSONValue {
        guard case .string(let text) = value, text.hasPrefix("file://") else { return value }
        let file = source.relative(String(text.dropFirst("file://".count)))
        if ["py", "js", "ts", "mjs", "cjs"].contains(file.extensionName) {
            diagnostics.warning(location, "var '\(text)' left as written: evalgate does not run var loaders")
            return value
        }
        do {
            return .string(try file.readText(maxBytes: 4 << 20))
        } catch {
            diagnostics.warning(location, "var '\(text)' left as written: \(error.diagnostics.first?.message ?? "cannot read it")")
            return value
        }
    }

    // MARK: CSV

    /// promptfoo's CSV tests: a column per var, `__expected` (and `__expected1`, ...) holding an
    /// assertion in its short form (`contains: Paris`, `grade: ...`), `__description`,
    /// `__threshold`, `__metric` and `__metadata:KEY`.
    func csvTests(_ file: ImportSource) throws -> [Test] {
        var reader = try CSVReader(path: file.absolutePath, maxRecordBytes: 16 << 20)
        guard let header = reader.next() else { return [] }
        guard case .success(let columns) = header.content else {
            diagnostics.warning(file.location(line: header.line), "CSV tests skipped: unreadable header")
            return []
        }
        var tests: [Test] = []
        while let record = reader.next() {
            let location = file.location(line: record.line)
            guard case .success(let values) = record.content else {
                if case .failure(let failure) = record.content { diagnostics.warning(location, "CSV row skipped: \(failure.message)") }
                continue
            }
            if values.count == 1 && values[0].isEmpty { continue }
            var test = Test(location: location)
            var metric: String?
            var assertions: [JSONValue] = []
            for (index, column) in columns.enumerated() {
                let cell = index < values.count ? values[index] : ""
                let name = column.trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("__expected") {
                    if !cell.trimmingCharacters(in: .whitespaces).isEmpty { assertions.append(Self.assertion(fromShortForm: cell)) }
                } else if name == "__description" {
                    test.description = cell.isEmpty ? nil : cell
                } else if name == "__threshold" {
                    if let value = Double(cell.trimmingCharacters(in: .whitespaces)), (0...1).contains(value) { test.threshold = value }
                } else if name == "__metric" {
                    metric = cell.isEmpty ? nil : cell
                } else if name.hasPrefix("__metadata:") {
                    test.metadata[String(name.dropFirst("__metadata:".count))] = .string(cell)
                } else if name.hasPrefix("__") {
                    if !cell.isEmpty { diagnostics.warning(location, "CSV column '\(name)' not converted") }
                } else {
                    test.vars[name] = loadVarFile(.string(cell), at: location)
                }
            }
            test.asserts = assertions.map { assertion in
                var assertion = assertion
                if let metric, case .object(var fields) = assertion {
                    fields["metric"] = .string(metric)
                    assertion = .object(fields)
                }
                return (assertion, location)
            }
            tests.append(test)
        }
        return tests
    }

    /// promptfoo's short form of an assertion: `contains: Paris`, `not-icontains:x`, `similar(0.9): ...`,
    /// `grade: ...` (an llm-rubric), `is-json`; any other text is an exact `equals`.
    static func assertion(fromShortForm text: String) -> JSONValue {
        let pattern = #"^(not-)?([a-z][a-z0-9-]*)(?:\(([0-9.]+)\))?(?::\s?([\s\S]*))?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return ["type": "equals", "value": .string(text)] }
        func group(_ index: Int) -> String? {
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        var type = group(2) ?? ""
        let aliases = ["grade": "llm-rubric", "fn": "javascript", "eval": "javascript"]
        type = aliases[type] ?? type
        let hasValue = match.range(at: 4).location != NSNotFound
        guard PromptfooConversion.assertionTypes.contains(type),
            hasValue || Self.valuelessTypes.contains(type) || match.range(at: 3).location != NSNotFound
        else {
            return ["type": "equals", "value": .string(text)]
        }
        var fields: [String: JSONValue] = ["type": .string((group(1) ?? "") + type)]
        if let value = group(4) { fields["value"] = .string(value) }
        if let threshold = group(3).flatMap(Double.init) { fields["threshold"] = .number(threshold) }
        return .object(fields)
    }

    static let valuelessTypes: Set<String> = [
        "is-json", "contains-json", "is-refusal", "is-xml", "contains-xml", "is-sql", "contains-sql", "is-html", "contains-html",
    ]
}
