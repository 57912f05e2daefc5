import CYaml
import Foundation
import Yams

/// Limits that keep hostile YAML (alias bombs, absurd nesting, huge files) bounded in time and memory.
public struct YAMLLimits: Sendable {
    public var maxBytes: Int
    public var maxDepth: Int
    /// Nodes the document may expand to, aliases counted at their full size.
    public var maxNodes: Int

    public init(maxBytes: Int, maxDepth: Int = 64, maxNodes: Int = 1_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    public static let pipeline = YAMLLimits(maxBytes: 8 << 20, maxDepth: 64, maxNodes: 200_000)
    public static let dataset = YAMLLimits(maxBytes: 256 << 20, maxDepth: 64, maxNodes: 20_000_000)
}

/// Reads a YAML file into a Yams `Node` tree with marks, or diagnostics saying exactly where it is broken.
public enum YAMLDocument {
    /// Loads one YAML document. Returns `nil` for an empty document.
    public static func load(path: String, displayPath: String, limits: YAMLLimits) throws(InvalidInputError) -> Node? {
        let data = try TextFile.read(path: path, displayPath: displayPath, maxBytes: limits.maxBytes)
        return try parse(data, displayPath: displayPath, limits: limits)
    }

    public static func parse(_ data: Data, displayPath: String, limits: YAMLLimits) throws(InvalidInputError) -> Node? {
        let text = try TextFile.decodeUTF8(data, displayPath: displayPath)
        if text.allSatisfy({ $0.isWhitespace }) { return nil }
        try prescan(data, displayPath: displayPath, limits: limits)
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InvalidInputError(describe(error, displayPath: displayPath))
        } catch {
            throw InvalidInputError(SourceLocation(file: displayPath), "cannot parse YAML: \(error)")
        }
    }

    static func describe(_ error: YamlError, displayPath: String) -> [Diagnostic] {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return [Diagnostic(.error, SourceLocation(file: displayPath, line: mark.line, column: mark.column), "invalid YAML: \(problem)")]
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return [
                Diagnostic(
                    .error, SourceLocation(file: displayPath, line: context.mark.line, column: context.mark.column),
                    "duplicate key \(keys) in the same mapping", hint: "a later key would silently replace an earlier one; keep one")
            ]
        default:
            return [Diagnostic(.error, SourceLocation(file: displayPath), "invalid YAML: \(error)")]
        }
    }

    /// Walks libyaml's event stream once, without building nodes, to reject documents that are
    /// too deep or that expand to too many nodes through aliases, before anything recursive runs.
    static func prescan(_ data: Data, displayPath: String, limits: YAMLLimits) throws(InvalidInputError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw InvalidInputError(SourceLocation(file: displayPath), "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = [UInt8](data)
        var failure: Diagnostic?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Nodes the document expands to so far, each alias counted at the size of what it names.
            var expanded = 0
            var openCollections: [(anchor: String?, expandedAtStart: Int)] = []
            var anchorSizes: [String: Int] = [:]
            var documents = 0
            func location(_ mark: yaml_mark_t) -> SourceLocation {
                SourceLocation(file: displayPath, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            }
            while failure == nil {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
                    if problem.contains("nesting level") {
                        failure = Diagnostic(
                            .error, location(parser.problem_mark), "nesting deeper than \(limits.maxDepth) levels",
                            hint: "evalgate files are shallow; this looks like generated or hostile input")
                        break
                    }
                    var message = "invalid YAML: \(problem)"
                    if let context = parser.context.map({ String(cString: $0) }) { message += " \(context)" }
                    failure = Diagnostic(.error, location(parser.problem_mark), message)
                    break
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        failure = Diagnostic(
                            .error, location(event.start_mark), "more than one YAML document in the file",
                            hint: "remove the '---' separator; each file holds one document")
                    }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor =
                        event.type == YAML_SEQUENCE_START_EVENT
                        ? event.data.sequence_start.anchor.map { String(cString: $0) }
                        : event.data.mapping_start.anchor.map { String(cString: $0) }
                    openCollections.append((anchor, expanded))
                    expanded += 1
                    if openCollections.count > limits.maxDepth {
                        failure = Diagnostic(
                            .error, location(event.start_mark), "nesting deeper than \(limits.maxDepth) levels",
                            hint: "evalgate files are shallow; this looks like generated or hostile input")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    let open = openCollections.removeLast()
                    if let anchor = open.anchor { anchorSizes[anchor] = expanded - open.expandedAtStart }
                case YAML_SCALAR_EVENT:
                    if let anchor = event.data.scalar.anchor.map({ String(cString: $0) }) { anchorSizes[anchor] = 1 }
                    expanded += 1
                case YAML_ALIAS_EVENT:
                    let anchor = event.data.alias.anchor.map { String(cString: $0) } ?? ""
                    expanded = min(expanded + (anchorSizes[anchor] ?? 1), Int.max / 2)
                default:
                    break
                }
                if failure == nil, expanded > limits.maxNodes {
                    failure = Diagnostic(
                        .error, location(event.start_mark), "document expands to more than \(limits.maxNodes) nodes",
                        hint: "aliases ('*name') are expanded where they are used; a few nested aliases can explode (a 'billion laughs' document)")
                }
            }
        }
        if let failure { throw InvalidInputError([failure]) }
    }
}

/// Reading user files safely: size caps, binary detection, UTF-8 validation with a location.
public enum TextFile {
    public static func read(path: String, displayPath: String, maxBytes: Int) throws(InvalidInputError) -> Data {
        let location = SourceLocation(file: displayPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InvalidInputError(location, "no such file", hint: "paths are resolved against the folder of the file that names them")
        }
        if isDirectory.boolValue { throw InvalidInputError(location, "is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InvalidInputError(location, "cannot open the file (permission denied?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw InvalidInputError(location, "cannot read the file: \(error.localizedDescription)")
        }
        if data.count > maxBytes {
            throw InvalidInputError(
                location, "file is larger than \(maxBytes / (1 << 20)) MiB", hint: "split it, or use a JSON Lines dataset, which is streamed")
        }
        return data
    }

    /// Decodes UTF-8, rejecting binary content and invalid bytes with the line and column of the first one.
    public static func decodeUTF8(_ data: Data, displayPath: String, lineOffset: Int = 0) throws(InvalidInputError) -> String {
        if let problem = UTF8Check.firstProblem(in: data) {
            var location = SourceLocation(file: displayPath, line: problem.line + lineOffset, column: problem.column)
            if lineOffset > 0 { location.line = problem.line + lineOffset - 1 }
            switch problem.kind {
            case .nul:
                throw InvalidInputError(location, "file contains NUL bytes: it looks binary, not text", hint: "pipelines and datasets are UTF-8 text")
            case .invalid:
                throw InvalidInputError(location, "invalid UTF-8 byte sequence", hint: "save the file as UTF-8")
            }
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }
}

/// A UTF-8 validator that says where the first bad byte is.
enum UTF8Check {
    enum Kind { case invalid, nul }
    struct Problem {
        var kind: Kind
        var line: Int
        var column: Int
    }

    static func firstProblem(in data: Data) -> Problem? {
        data.withUnsafeBytes { raw -> Problem? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            var line = 1
            var column = 1
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if byte == 0 { return Problem(kind: .nul, line: line, column: column) }
                    if byte == 0x0A {
                        line += 1
                        column = 1
                    } else {
                        column += 1
                    }
                    index += 1
                    continue
                }
                let length: Int
                var minimum: UInt32
                switch byte {
                case 0xC2...0xDF:
                    length = 2
                    minimum = 0x80
                case 0xE0...0xEF:
                    length = 3
                    minimum = 0x800
                case 0xF0...0xF4:
                    length = 4
                    minimum = 0x10000
                default: return Problem(kind: .invalid, line: line, column: column)
                }
                guard index + length <= count else { return Problem(kind: .invalid, line: line, column: column) }
                var scalar = UInt32(byte) & (0xFF >> (length + 1))
                for offset in 1..<length {
                    let next = bytes[index + offset]
                    guard next & 0xC0 == 0x80 else { return Problem(kind: .invalid, line: line, column: column) }
                    scalar = scalar << 6 | UInt32(next & 0x3F)
                }
                if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                    return Problem(kind: .invalid, line: line, column: column)
                }
                minimum = 0
                index += length
                column += 1
            }
            return nil
        }
    }
}
