import Foundation
import Yams

/// Yields a dataset's cases and problems one at a time: JSON Lines and CSV are streamed from disk,
/// YAML (which cannot be streamed) is parsed once, within the dataset size limit.
public final class DatasetIterator: IteratorProtocol {
    let reader: DatasetReader
    let displayPath: String
    let defaults: GoldenCase.Defaults
    private var lines: LineReader?
    private var csv: CSVReader?
    private var csvHeader: [String]?
    private var yamlEntries: [Node] = []
    private var yamlReader: YAMLReader?
    private var yamlPosition = 0
    private var queue: [DatasetReader.Item] = []
    private var started = false
    private var finished = false
    private var sawCase = false

    init(reader: DatasetReader) {
        self.reader = reader
        self.displayPath = reader.displayPath
        self.defaults = reader.defaults
    }

    public func next() -> DatasetReader.Item? {
        while queue.isEmpty && !finished {
            if !started {
                started = true
                start()
            } else {
                advance()
            }
        }
        if queue.isEmpty { return nil }
        return queue.removeFirst()
    }

    private func emit(_ diagnostic: Diagnostic) { queue.append(.diagnostic(diagnostic)) }

    private func emit(_ json: JSONValue, at location: SourceLocation) {
        var diagnostics = DiagnosticsEngine()
        let parsed = GoldenCase.parse(json, location: location, defaults: defaults, diagnostics: &diagnostics)
        for diagnostic in diagnostics.diagnostics { emit(diagnostic) }
        if let parsed {
            sawCase = true
            queue.append(.goldenCase(parsed))
        }
    }

    private func finish() {
        finished = true
        lines = nil
        csv = nil
        yamlEntries = []
    }

    private func start() {
        let reference = reader.reference
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: reference.resolvedPath, isDirectory: &isDirectory), !isDirectory.boolValue else {
            emit(
                Diagnostic(
                    .error, reference.location, "dataset '\(reference.path)' not found (resolved to \(reference.resolvedPath))",
                    hint: "dataset paths are relative to the pipeline file's folder"))
            return finish()
        }
        switch reference.format {
        case .jsonl?:
            lines = try? LineReader(path: reference.resolvedPath, maxLineBytes: reader.options.maxLineBytes)
            if lines == nil {
                emit(Diagnostic(.error, SourceLocation(file: displayPath), "cannot open the dataset"))
                finish()
            }
        case .csv?:
            csv = try? CSVReader(path: reference.resolvedPath, maxRecordBytes: reader.options.maxLineBytes)
            if csv == nil {
                emit(Diagnostic(.error, SourceLocation(file: displayPath), "cannot open the dataset"))
                finish()
            }
        case .yaml?:
            startYAML()
        case nil:
            emit(Diagnostic(.error, SourceLocation(file: displayPath), "unknown dataset format", hint: "use .jsonl, .yaml or .csv"))
            finish()
        }
    }

    private func advance() {
        if lines != nil { return advanceJSONLines() }
        if csv != nil { return advanceCSV() }
        if yamlReader != nil { return advanceYAML() }
        finish()
    }

    private func noCasesWarning() {
        if !sawCase { emit(Diagnostic(.warning, SourceLocation(file: displayPath), "the dataset has no cases")) }
    }

    // MARK: JSON Lines

    private func advanceJSONLines() {
        guard let line = lines!.next() else {
            noCasesWarning()
            return finish()
        }
        let maxBytes = reader.options.maxLineBytes
        switch line {
        case .tooLong(let number, let bytes):
            emit(
                Diagnostic(
                    .error, SourceLocation(file: displayPath, line: number, column: 1),
                    "line is \(bytes / (1 << 20)) MiB, over the \(maxBytes / (1 << 20)) MiB limit for one case",
                    hint: "a case this large is almost certainly a mistake; split or trim it"))
        case .text(let data, let number):
            let location = SourceLocation(file: displayPath, line: number, column: 1)
            if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            if let problem = UTF8Check.firstProblem(in: data) {
                let kind = problem.kind == .nul ? "a NUL byte (binary content)" : "invalid UTF-8"
                emit(
                    Diagnostic(
                        .error, SourceLocation(file: displayPath, line: number, column: problem.column), "line contains \(kind)",
                        hint: "datasets are UTF-8 text, one JSON object per line"))
                return
            }
            do {
                emit(try JSONValue(parsing: data), at: location)
            } catch {
                let message = (error as? JSONValue.ParseError)?.message ?? "\(error)"
                emit(Diagnostic(.error, location, "invalid JSON: \(message)", hint: "JSON Lines: one complete JSON object per line"))
            }
        }
    }

    // MARK: CSV

    private func advanceCSV() {
        guard let record = csv!.next() else {
            noCasesWarning()
            return finish()
        }
        let location = SourceLocation(file: displayPath, line: record.line, column: 1)
        let fields: [String]
        switch record.content {
        case .failure(let failure):
            return emit(Diagnostic(.error, location, failure.message))
        case .success(let values):
            fields = values
        }
        if fields.count == 1 && fields[0].isEmpty { return }
        guard let columns = csvHeader else {
            csvHeader = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if !csvHeader!.contains("input") {
                emit(
                    Diagnostic(
                        .error, location, "the CSV header has no 'input' column",
                        hint: "columns: id, input, expected, tags (separated by ';'), critical, threshold; others become metadata"))
                finish()
            }
            return
        }
        if fields.count != columns.count {
            return emit(Diagnostic(.error, location, "row has \(fields.count) fields, the header has \(columns.count)"))
        }
        var object: [String: JSONValue] = [:]
        var metadata: [String: JSONValue] = [:]
        for (column, value) in zip(columns, fields) {
            switch column {
            case "id", "expected": if !value.isEmpty { object[column] = .string(value) }
            case "input": object["input"] = .string(value)
            case "tags": object["tags"] = .string(value)
            case "critical": object["critical"] = .bool(["true", "yes", "1"].contains(value.lowercased()))
            case "threshold": if let number = Double(value) { object["threshold"] = .number(number) }
            default: metadata[column] = .string(value)
            }
        }
        if !metadata.isEmpty { object["metadata"] = .object(metadata) }
        emit(.object(object), at: location)
    }

    // MARK: YAML

    private func startYAML() {
        let node: Node?
        do {
            node = try YAMLDocument.load(path: reader.reference.resolvedPath, displayPath: displayPath, limits: .dataset)
        } catch {
            error.diagnostics.forEach(emit)
            return finish()
        }
        let yaml = YAMLReader(file: displayPath, interpolation: nil)
        guard let node else {
            noCasesWarning()
            return finish()
        }
        switch node {
        case .sequence(let sequence):
            yamlEntries = Array(sequence)
        case .mapping:
            if let cases = node["cases"], case .sequence(let sequence) = cases {
                yamlEntries = Array(sequence)
            } else {
                emit(Diagnostic(.error, yaml.location(node), "a YAML dataset is a list of cases (or a mapping with a 'cases' list)"))
                return finish()
            }
        default:
            emit(Diagnostic(.error, yaml.location(node), "a YAML dataset is a list of cases"))
            return finish()
        }
        yamlReader = yaml
    }

    private func advanceYAML() {
        guard yamlPosition < yamlEntries.count, let yaml = yamlReader else {
            noCasesWarning()
            yamlReader = nil
            return finish()
        }
        let entry = yamlEntries[yamlPosition]
        yamlPosition += 1
        emit(yaml.json(entry), at: yaml.location(entry))
    }
}
