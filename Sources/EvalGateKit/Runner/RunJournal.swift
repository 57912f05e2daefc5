import Foundation
import Synchronization

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
    /// A journal written by `evalgate merge` (`init(mergeInto:)`) keeps no map by id (about 80 bytes
    /// a case at 1,000,000 cases): its records in the order written, 16 bytes each, sorted by the
    /// case's index once complete (`sortByIndex`). The merge checks ids itself.
    let keyed: Bool
    var entries: [Entry] = []
    var size: UInt64

    struct Entry {
        var offset: UInt64
        var length: UInt32
        var index: Int32
    }

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
        keyed = true
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

    /// A new, empty journal for the merged run of `evalgate merge`, replacing anything at `path`:
    /// records are appended as documents (`appendDocument`), indexed by position, not by id.
    public init(mergeInto path: String, redactor: Redactor, capacity: Int) throws {
        self.path = path
        self.redactor = redactor
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        self.handle = handle
        keyed = false
        size = 0
        entries.reserveCapacity(capacity)
    }

    deinit { try? handle.close() }

    public func contains(_ id: String) -> Bool {
        precondition(keyed, "a merged run's journal is not looked up by id")
        return records[id] != nil
    }

    public var count: Int { keyed ? records.count : entries.count }

    /// Appends a case document as it stands (a shard's stored record, whitespace already removed),
    /// redacted like every record; for a journal made by `init(mergeInto:)`. Returns its number.
    @discardableResult
    func appendDocument(_ document: Data, index: Int) throws -> Int {
        precondition(!keyed, "documents are appended to a merged run's journal only")
        var data = document
        if !redactor.secrets.isEmpty || data.withUnsafeBytes({ $0.contains(UInt8(ascii: "@")) }) {
            data = Data(redactor(String(decoding: data, as: UTF8.self)).utf8)
        }
        guard let length = UInt32(exactly: data.count), let position = Int32(exactly: index) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "a case record is too large"])
        }
        entries.append(Entry(offset: size + UInt64(pending.count), length: length, index: position))
        pending.append(data)
        pending.append(0x0A)
        pendingCount += 1
        if pending.count >= 1 << 20 { try flush() }
        return entries.count - 1
    }

    /// Puts a merged journal's records in run order (by case index) and returns the first index
    /// that appears twice, if any.
    func sortByIndex() -> Int? {
        entries.sort { $0.index < $1.index }
        for position in entries.indices.dropFirst() where entries[position].index == entries[position - 1].index {
            return Int(entries[position].index)
        }
        return nil
    }

    /// A merged journal's records (after `sortByIndex`), in run order: (case index, raw document).
    func entryDocuments() -> some Sequence<(index: Int, document: Data)> {
        entries.lazy.map { entry in (Int(entry.index), (try? self.bytes(at: entry.offset, length: Int(entry.length))) ?? Data()) }
    }

    /// The raw document of the merged journal's record number `number` (in `entries` order).
    func document(number: Int) throws -> Data {
        try bytes(at: entries[number].offset, length: Int(entries[number].length))
    }

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

    /// Reads one recorded case back by its index and id: what reports read. A merged journal
    /// (sorted) finds it by index.
    public func read(index: Int, id: String) throws -> CaseResult? {
        if keyed { return try read(id) }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if Int(entries[middle].index) < index { low = middle + 1 } else { high = middle }
        }
        guard low < entries.count, Int(entries[low].index) == index else { return nil }
        let result = try decoder.decode(CaseResult.self, from: try bytes(at: entries[low].offset, length: Int(entries[low].length)))
        return result.id == id ? result : nil
    }

    /// Every record's raw JSON in run order, for the history and the result file (nothing re-encoded).
    ///
    /// A record that cannot be read back is not silently left out: it is noted in `unreadable`,
    /// whose `check()` the caller runs once the sequence has been consumed (the history inside its
    /// transaction, so an incomplete run is never recorded).
    public func orderedRecords(unreadable: UnreadableRecords = UnreadableRecords()) -> AnySequence<Data> {
        let path = self.path
        func read(offset: UInt64, length: Int) -> Data? {
            do {
                return try self.bytes(at: offset, length: length)
            } catch {
                unreadable.note(error, journal: path)
                return nil
            }
        }
        if keyed {
            let ordered = records.values.sorted { $0.index < $1.index }
            return AnySequence(ordered.lazy.compactMap { read(offset: $0.offset, length: $0.length) })
        }
        return AnySequence(entries.lazy.compactMap { read(offset: $0.offset, length: Int($0.length)) })
    }

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
        precondition(keyed, "a merged run's journal is read in order with orderedRecords()")
        return records.sorted { $0.value.index < $1.value.index }.map(\.key)
    }

    /// Every recorded case, in run order, read lazily from disk.
    public func orderedResults() -> AnySequence<CaseResult> {
        if !keyed {
            return AnySequence(
                entries.lazy.compactMap { entry in
                    (try? self.bytes(at: entry.offset, length: Int(entry.length))).flatMap { try? self.decoder.decode(CaseResult.self, from: $0) }
                })
        }
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

/// Journal records that could not be read back while a run was recorded: the recording fails
/// (`check()`) instead of storing or writing a run with cases missing.
public final class UnreadableRecords: Sendable {
    private let state = Mutex<(count: Int, first: String?)>((0, nil))

    public init() {}

    func note(_ error: any Error, journal: String) {
        state.withLock { state in
            state.count += 1
            if state.first == nil { state.first = "\(journal): \(error)" }
        }
    }

    public var count: Int { state.withLock { $0.count } }

    /// Throws when any record could not be read.
    public func check() throws {
        let (count, first) = state.withLock { ($0.count, $0.first) }
        guard count > 0 else { return }
        throw Failure(
            description:
                "\(count) case record\(count == 1 ? "" : "s") of the run's journal could not be read back (\(first ?? "")); nothing incomplete is recorded"
        )
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
