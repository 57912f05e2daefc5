import Foundation

/// A shard's result file (`evalgate run --shard … --output FILE`, schema `evalgate.run/v1`) read
/// without holding it: a 1,000,000-case run's shards are gigabytes of JSON, and `evalgate merge`
/// must not load them (docs/benchmarks.md).
///
/// Two passes over the bytes, 1 MiB at a time. `head` reads the run record (every member but
/// `cases`) and counts the cases, checking that the document is complete: a truncated or cut file
/// is an error with its line and column before a single case is merged. `forEachCase` then hands
/// over each case's document as it stands in the file, whitespace outside strings removed, so the
/// merge copies it to its journal without decoding and re-encoding it.
///
/// Hand-written: Foundation's `JSONDecoder` and `JSONSerialization` take the whole document, and
/// no package in the mirror reads JSON incrementally. The scanner only delimits values (strings
/// with their escapes, nesting, numbers and literals); the run record and every case are still
/// decoded by `JSONDecoder`, which checks them in full.
public enum ShardResultFile {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var column: Int
        public var message: String

        public var description: String { "\(path):\(line):\(column): \(message)" }
    }

    /// The run record and the number of cases.
    public static func head(path: String) throws -> (record: RunRecord, cases: Int) {
        var scanner = try ByteScanner(path: path)
        var members: [UInt8]? = []
        try scanner.document(head: &members, nil)
        let count = scanner.caseCount
        guard var head = members, !head.isEmpty else { throw scanner.failure("the document has no members: not a result file") }
        head.insert(UInt8(ascii: "{"), at: 0)
        head.append(UInt8(ascii: "}"))
        do {
            return (try JSONCoding.decoder().decode(RunRecord.self, from: Data(head)), count)
        } catch {
            throw Failure(path: path, line: 1, column: 1, message: "not an evalgate run result: \(error)")
        }
    }

    /// Each case's document in file order.
    public static func forEachCase(path: String, _ body: (Data) throws -> Void) throws {
        var scanner = try ByteScanner(path: path)
        var ignored: [UInt8]? = nil
        try withoutActuallyEscaping(body) { body in try scanner.document(head: &ignored, body) }
    }

    struct ByteScanner {
        let path: String
        let handle: FileHandle
        var buffer: [UInt8] = []
        var position = 0
        var atEnd = false
        var line = 1
        var column = 1
        var sawCases = false
        var caseCount = 0

        init(path: String) throws {
            self.path = path
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw Failure(path: path, line: 0, column: 0, message: "cannot open the file")
            }
            self.handle = handle
        }

        func failure(_ message: String) -> Failure {
            Failure(path: path, line: line, column: column, message: message)
        }

        func missingSeparator(_ byte: UInt8) -> Failure {
            failure("expected ',' or a closing bracket before '\(Self.shown(byte))': not JSON")
        }

        /// The next byte, without consuming it; nil at the end of the file.
        mutating func peek() throws -> UInt8? {
            if position == buffer.count {
                guard !atEnd else { return nil }
                let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                if chunk.isEmpty {
                    atEnd = true
                    try? handle.close()
                    return nil
                }
                buffer = Array(chunk)
                position = 0
            }
            return buffer[position]
        }

        mutating func advance(_ byte: UInt8) {
            position += 1
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }

        static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

        /// The next byte that is not whitespace (not consumed); the end of the file is an error.
        mutating func nonWhitespace(_ expecting: @autoclosure () -> String) throws -> UInt8 {
            while let byte = try peek() {
                if !Self.isWhitespace(byte) { return byte }
                advance(byte)
            }
            throw failure("the file ends early (expected \(expecting())): it is truncated")
        }

        mutating func expect(_ expected: UInt8, _ what: String) throws {
            let byte = try nonWhitespace(what)
            guard byte == expected else { throw failure("expected \(what), found '\(Self.shown(byte))'") }
            advance(byte)
        }

        static func shown(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : String(format: "\\x%02x", byte)
        }

        /// A string from its opening quote to its closing one, appended as it stands.
        mutating func string(into out: inout [UInt8]?) throws {
            let open = try nonWhitespace("a string")
            guard open == UInt8(ascii: "\"") else { throw failure("expected a string, found '\(Self.shown(open))'") }
            advance(open)
            out?.append(open)
            var escaped = false
            while true {
                guard let byte = try peek() else { throw failure("the file ends inside a string: it is truncated") }
                guard byte >= 0x20 else { throw failure("a control character (\(Self.shown(byte))) inside a string: not JSON") }
                advance(byte)
                out?.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    return
                }
            }
        }

        /// One value (object, array, string, number or literal), appended without whitespace
        /// outside its strings. The value ends where its brackets close, or before the `,`, `}` or
        /// `]` after a number or literal.
        mutating func value(into out: inout [UInt8]?) throws {
            var depth = 0
            var started = false
            // A string, number, literal or closing bracket was just read: only `,`, `:` or a closing
            // bracket may follow (`[1 2]` must not become `[12]` once whitespace is gone).
            var afterValue = false
            while true {
                let byte = try nonWhitespace("a value")
                switch byte {
                case UInt8(ascii: "\""):
                    guard !afterValue else { throw missingSeparator(byte) }
                    try string(into: &out)
                    started = true
                    afterValue = true
                    if depth == 0 { return }
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard !afterValue else { throw missingSeparator(byte) }
                    advance(byte)
                    out?.append(byte)
                    depth += 1
                    started = true
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 {
                        guard started else { throw failure("expected a value, found '\(Self.shown(byte))'") }
                        return
                    }
                    advance(byte)
                    out?.append(byte)
                    depth -= 1
                    afterValue = true
                    if depth == 0 { return }
                case UInt8(ascii: ","):
                    if depth == 0 {
                        guard started else { throw failure("expected a value, found ','") }
                        return
                    }
                    advance(byte)
                    out?.append(byte)
                    afterValue = false
                case UInt8(ascii: ":"):
                    guard depth > 0 else { throw failure("expected a value, found ':'") }
                    advance(byte)
                    out?.append(byte)
                    afterValue = false
                default:
                    guard !afterValue else { throw missingSeparator(byte) }
                    // A number or literal: its characters up to the next delimiter.
                    guard
                        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "E")
                    else { throw failure("unexpected '\(Self.shown(byte))': not JSON") }
                    advance(byte)
                    out?.append(byte)
                    started = true
                    while let next = try peek(), !Self.isWhitespace(next), next != UInt8(ascii: ","), next != UInt8(ascii: "}"),
                        next != UInt8(ascii: "]"), next != UInt8(ascii: ":")
                    {
                        advance(next)
                        out?.append(next)
                    }
                    afterValue = true
                    if depth == 0 { return }
                }
            }
        }

        /// The whole document: members other than `cases` appended to `head` as `"key":value,…`
        /// (when it is not nil), each case handed to `body`, and nothing after the closing brace.
        mutating func document(head: inout [UInt8]?, _ body: ((Data) throws -> Void)?) throws {
            try expect(UInt8(ascii: "{"), "'{' (a result file is a JSON object)")
            var first = true
            while true {
                let byte = try nonWhitespace("a member or '}'")
                if byte == UInt8(ascii: "}") {
                    advance(byte)
                    break
                }
                if !first { try expect(UInt8(ascii: ","), "',' or '}'") }
                first = false
                var key: [UInt8]? = []
                try string(into: &key)
                try expect(UInt8(ascii: ":"), "':'")
                if key! == Array("\"cases\"".utf8) {
                    guard !sawCases else { throw failure("'cases' appears twice") }
                    sawCases = true
                    try cases(body)
                } else {
                    if head?.isEmpty == false { head?.append(UInt8(ascii: ",")) }
                    head?.append(contentsOf: key!)
                    head?.append(UInt8(ascii: ":"))
                    try value(into: &head)
                }
            }
            while let byte = try peek() {
                guard Self.isWhitespace(byte) else { throw failure("'\(Self.shown(byte))' after the end of the document") }
                advance(byte)
            }
            guard sawCases else { throw failure("the document has no 'cases': not a result file") }
        }

        mutating func cases(_ body: ((Data) throws -> Void)?) throws {
            try expect(UInt8(ascii: "["), "'[' (the cases are an array)")
            if try nonWhitespace("a case or ']'") == UInt8(ascii: "]") {
                advance(UInt8(ascii: "]"))
                return
            }
            // Counted only (no body): nothing is copied.
            var element: [UInt8]? = body == nil ? nil : []
            element?.reserveCapacity(4096)
            while true {
                let byte = try nonWhitespace("a case")
                guard byte == UInt8(ascii: "{") else { throw failure("expected a case (a JSON object), found '\(Self.shown(byte))'") }
                element?.removeAll(keepingCapacity: true)
                try value(into: &element)
                caseCount += 1
                if let body, let element { try body(Data(element)) }
                let next = try nonWhitespace("',' or ']'")
                advance(next)
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else { throw failure("expected ',' or ']' after a case, found '\(Self.shown(next))'") }
            }
        }
    }
}
