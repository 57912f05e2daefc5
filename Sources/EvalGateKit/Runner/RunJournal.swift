import Foundation

/// The append-only record of finished cases, in completion order, flushed in small batches so a
/// killed run loses at most the cases in flight and the last unflushed batch. Secrets are redacted
/// before anything reaches the disk.
public final class RunJournal {
    public let path: String
    let handle: FileHandle
    let redactor: Redactor
    let encoder = JSONCoding.encoder()
    var pending = Data()
    var pendingCount = 0
    var lastFlush = Date()
    /// Byte offset and length of each case's record, by case id, for writing results in order.
    public private(set) var records: [String: (offset: UInt64, length: Int, index: Int)] = [:]
    var size: UInt64

    public static let batchSize = 16

    public init(path: String, redactor: Redactor) throws {
        self.path = path
        self.redactor = redactor
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        self.handle = handle
        // Index what an earlier (interrupted) run wrote; drop a torn last line.
        var offset: UInt64 = 0
        var validEnd: UInt64 = 0
        var lines = try LineReader(path: path, maxLineBytes: 256 << 20)
        var index: [String: (UInt64, Int, Int)] = [:]
        let decoder = JSONCoding.decoder()
        while let line = lines.next() {
            guard case .text(let data, _) = line else { break }
            let length = data.count
            if let result = try? decoder.decode(CaseResult.self, from: data) {
                index[result.id] = (offset, length, result.index)
                validEnd = offset + UInt64(length) + 1
            } else {
                break
            }
            offset += UInt64(length) + 1
        }
        records = index.mapValues { (offset: $0.0, length: $0.1, index: $0.2) }
        try handle.truncate(atOffset: validEnd)
        try handle.seekToEnd()
        size = validEnd
    }

    deinit { try? handle.close() }

    public func contains(_ id: String) -> Bool { records[id] != nil }

    public var count: Int { records.count }

    public func append(_ result: CaseResult) throws {
        var data = try encoder.encode(result)
        if !redactor.secrets.isEmpty || data.contains(UInt8(ascii: "@")) {
            data = Data(redactor(String(decoding: data, as: UTF8.self)).utf8)
        }
        records[result.id] = (size + UInt64(pending.count), data.count, result.index)
        pending.append(data)
        pending.append(0x0A)
        pendingCount += 1
        if pendingCount >= Self.batchSize || Date().timeIntervalSince(lastFlush) > 0.2 { try flush() }
    }

    public func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        size += UInt64(pending.count)
        pending.removeAll(keepingCapacity: true)
        pendingCount = 0
        lastFlush = Date()
    }

    /// Reads one recorded case back.
    public func read(_ id: String) throws -> CaseResult? {
        guard let record = records[id] else { return nil }
        try flush()
        try handle.seek(toOffset: record.offset)
        let data = try handle.read(upToCount: record.length) ?? Data()
        try handle.seekToEnd()
        return try JSONCoding.decoder().decode(CaseResult.self, from: data)
    }

    /// The raw JSON of one recorded case, for copying into result files without re-encoding.
    public func rawRecord(_ id: String) throws -> Data? {
        guard let record = records[id] else { return nil }
        try flush()
        try handle.seek(toOffset: record.offset)
        defer { _ = try? handle.seekToEnd() }
        return try handle.read(upToCount: record.length)
    }

    /// Case ids in run order (by their index in the selection).
    public var orderedIDs: [String] {
        records.sorted { $0.value.index < $1.value.index }.map(\.key)
    }

    /// Every recorded case, in run order, read lazily from disk.
    public func orderedResults() -> AnySequence<CaseResult> {
        let ids = orderedIDs
        return AnySequence(ids.lazy.compactMap { try? self.read($0) })
    }

    public func sync() throws {
        try flush()
        try handle.synchronize()
    }
}
