import Foundation

/// A streaming RFC 4180 reader (quoted fields may span lines) that knows each record's line number.
/// Hand-written rather than a dependency: the CSV packages available do not report line numbers,
/// which every dataset diagnostic needs.
struct CSVReader: ~Copyable {
    struct Record {
        var line: Int
        var content: Result<[String], Failure>
    }

    struct Failure: Error { var message: String }

    private var lines: LineReader
    private let maxRecordBytes: Int

    init(path: String, maxRecordBytes: Int) throws {
        lines = try LineReader(path: path, maxLineBytes: maxRecordBytes)
        self.maxRecordBytes = maxRecordBytes
    }

    mutating func next() -> Record? {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var startLine: Int?
        var recordBytes = 0
        while let line = lines.next() {
            let data: Data
            switch line {
            case .tooLong(let number, _):
                return Record(line: number, content: .failure(Failure(message: "record is longer than \(maxRecordBytes / (1 << 20)) MiB")))
            case .text(let text, let number):
                if startLine == nil { startLine = number }
                data = text
            }
            recordBytes += data.count
            if recordBytes > maxRecordBytes {
                return Record(line: startLine!, content: .failure(Failure(message: "record is longer than \(maxRecordBytes / (1 << 20)) MiB")))
            }
            if let problem = UTF8Check.firstProblem(in: data) {
                let kind = problem.kind == .nul ? "a NUL byte (binary content)" : "invalid UTF-8"
                return Record(line: startLine!, content: .failure(Failure(message: "record contains \(kind)")))
            }
            var index = data.startIndex
            while index < data.endIndex {
                let byte = data[index]
                if inQuotes {
                    if byte == UInt8(ascii: "\"") {
                        let next = data.index(after: index)
                        if next < data.endIndex, data[next] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index = next
                        } else {
                            inQuotes = false
                        }
                    } else {
                        field.append(byte)
                    }
                } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                    inQuotes = true
                } else if byte == UInt8(ascii: ",") {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                } else {
                    field.append(byte)
                }
                index = data.index(after: index)
            }
            if inQuotes {
                field.append(0x0A)
                continue
            }
            fields.append(String(decoding: field, as: UTF8.self))
            return Record(line: startLine!, content: .success(fields))
        }
        if inQuotes, let startLine {
            return Record(line: startLine, content: .failure(Failure(message: "unterminated quoted field")))
        }
        return nil
    }
}
