import Foundation

/// The append-only record of finished cases, in completion order, flushed in small batches so a
/// killed run loses at most the cases in flight and the last unflushed batch. Secrets are redacted
/// before anything reaches the disk.
public final class RunJournal {
    public let path: String
    let handle: FileHandle
    let redactor: Redactor
    let decoder = JSONCoding.decoder()
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
        try append(result, record: Self.record(of: result, redactor: redactor))
    }

    /// Appends a record made by `record(of:redactor:)`, which the runner calls in the case's own
    /// task: encoding is most of a journal's cost, and this way it runs on every core instead of
    /// in the one task that feeds the agent.
    func append(_ result: CaseResult, record data: Data) throws {
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

    /// The journal line of one case: its JSON, with secrets redacted.
    static func record(of result: CaseResult, redactor: Redactor) throws -> Data {
        var data = try result.journalJSON()
        // `@` is the cheap test for URL credentials (`https://user:token@host`).
        if !redactor.secrets.isEmpty || data.withUnsafeBytes({ $0.contains(UInt8(ascii: "@")) }) {
            data = Data(redactor(String(decoding: data, as: UTF8.self)).utf8)
        }
        return data
    }

    /// Shared by all cases' tasks: `JSONEncoder` keeps no state between `encode` calls.
    static let recordEncoder = JSONCoding.encoder()

    /// Reads one recorded case back.
    public func read(_ id: String) throws -> CaseResult? {
        guard let record = records[id] else { return nil }
        return try decoder.decode(CaseResult.self, from: try bytes(at: record.offset, length: record.length))
    }

    /// The raw JSON of one recorded case, for copying into result files without re-encoding.
    public func rawRecord(_ id: String) throws -> Data? {
        guard let record = records[id] else { return nil }
        return try bytes(at: record.offset, length: record.length)
    }

    /// A record's bytes, read with `pread` so the append position is left alone.
    func bytes(at offset: UInt64, length: Int) throws -> Data {
        try flush()
        var data = Data(count: length)
        let descriptor = handle.fileDescriptor
        var done = 0
        try data.withUnsafeMutableBytes { buffer in
            while done < length {
                let count = pread(descriptor, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    throw CocoaError(
                        .fileReadUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(.init(rawValue: errno) ?? .EIO)])
                }
                done += count
            }
        }
        return data
    }

    /// Case ids in run order (by their index in the selection).
    public var orderedIDs: [String] {
        records.sorted { $0.value.index < $1.value.index }.map(\.key)
    }

    /// Every recorded case, in run order, read lazily from disk.
    public func orderedResults() -> AnySequence<CaseResult> {
        let ordered = records.values.sorted { $0.index < $1.index }
        return AnySequence(
            ordered.lazy.compactMap { record in
                (try? self.bytes(at: record.offset, length: record.length)).flatMap { try? self.decoder.decode(CaseResult.self, from: $0) }
            })
    }

    public func sync() throws {
        try flush()
        try handle.synchronize()
    }
}
