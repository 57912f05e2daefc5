import Foundation

/// The JSON result of a run (schema `evalgate.run/v1`, see docs/results-schema.json): the run record's
/// fields, then every case in run order. Written by streaming, so its size does not cost memory.
public enum ResultFile {
    public static func write(_ record: RunRecord, cases: some Sequence<Data>, to path: String) throws {
        let temporary = path + ".partial"
        // Whether it was created shows in the next line: no handle, no file.
        _ = FileManager.default.createFile(atPath: temporary, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        var head = try JSONCoding.encoder().encode(record)
        head.removeLast()  // the closing brace; the cases follow
        head.append(contentsOf: Array(",\"cases\":[".utf8))
        try handle.write(contentsOf: head)
        var first = true
        var buffer = Data()
        for raw in cases {
            if !first { buffer.append(0x2C) }
            first = false
            buffer.append(raw)
            if buffer.count > 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(contentsOf: Array("]}\n".utf8))
        try handle.write(contentsOf: buffer)
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// The whole result document in memory, for re-rendering a recorded run.
    public static func encode(_ record: RunRecord, cases: [CaseResult]) throws -> Data {
        let encoder = JSONCoding.encoder()
        var data = try encoder.encode(record)
        data.removeLast()
        data.append(contentsOf: Array(",\"cases\":".utf8))
        data.append(try encoder.encode(cases))
        data.append(contentsOf: Array("}\n".utf8))
        return data
    }

    struct Cases: Decodable { var cases: [CaseResult] }

    /// Reads a result file back (for `baseline.from: file` and re-rendering reports).
    public static func read(path: String) throws -> (record: RunRecord, cases: [CaseResult]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONCoding.decoder()
        return (try decoder.decode(RunRecord.self, from: data), try decoder.decode(Cases.self, from: data).cases)
    }

    /// Writes small JSON documents atomically.
    public static func writeJSON<T: Encodable>(_ value: T, to path: String, pretty: Bool = true) throws {
        let data = try JSONCoding.encoder(pretty: pretty).encode(value)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
