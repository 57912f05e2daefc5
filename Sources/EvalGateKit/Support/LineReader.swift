import Foundation

/// Reads a file line by line in fixed-size chunks, so memory stays bounded whatever the file's size.
/// A line longer than `maxLineBytes` is skipped to its end and reported instead of buffered.
public struct LineReader: ~Copyable {
    public enum Line {
        case text(Data, number: Int)
        case tooLong(number: Int, bytes: Int)
    }

    private let handle: FileHandle
    private let maxLineBytes: Int
    private var buffer = Data()
    private var bufferStart = 0
    private var lineNumber = 0
    private var atEnd = false
    private static let chunkSize = 256 * 1024

    public init(path: String, maxLineBytes: Int) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        self.handle = handle
        self.maxLineBytes = maxLineBytes
    }

    deinit { try? handle.close() }

    /// The next line without its terminator (`\n` or `\r\n`), or `nil` at the end of the file.
    public mutating func next() -> Line? {
        var skipped = 0
        while true {
            if let newline = newlineIndex() {
                lineNumber += 1
                defer {
                    bufferStart = newline + 1
                    compact()
                }
                if skipped > 0 { return .tooLong(number: lineNumber, bytes: skipped + newline - bufferStart) }
                var end = newline
                if end > bufferStart, buffer[end - 1] == 0x0D { end -= 1 }
                return .text(buffer.subdata(in: bufferStart..<end), number: lineNumber)
            }
            let pending = buffer.count - bufferStart
            if pending > maxLineBytes || skipped > 0 {
                // Drop what we have of the over-long line and keep scanning for its end.
                skipped += pending
                buffer.removeAll(keepingCapacity: true)
                bufferStart = 0
            }
            if atEnd {
                guard buffer.count > bufferStart || skipped > 0 else { return nil }
                lineNumber += 1
                defer {
                    buffer.removeAll()
                    bufferStart = 0
                }
                if skipped > 0 { return .tooLong(number: lineNumber, bytes: skipped) }
                var end = buffer.count
                if end > bufferStart, buffer[end - 1] == 0x0D { end -= 1 }
                return .text(buffer.subdata(in: bufferStart..<end), number: lineNumber)
            }
            let chunk = (try? handle.read(upToCount: Self.chunkSize)) ?? nil
            if let chunk, !chunk.isEmpty { buffer.append(chunk) } else { atEnd = true }
        }
    }

    /// Index in `buffer` of the first `\n` at or after `bufferStart`: `memchr`, where the
    /// collection search checked exclusivity byte by byte (a tenth of validating a dataset).
    private func newlineIndex() -> Int? {
        let start = bufferStart - buffer.startIndex
        return buffer.withUnsafeBytes { raw -> Int? in
            guard start < raw.count, let base = raw.baseAddress, let found = memchr(base + start, 0x0A, raw.count - start) else { return nil }
            return buffer.startIndex + base.distance(to: UnsafeRawPointer(found))
        }
    }

    private mutating func compact() {
        if bufferStart > Self.chunkSize {
            buffer.removeSubrange(0..<bufferStart)
            bufferStart = 0
        }
    }
}
