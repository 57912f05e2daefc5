import Foundation
import Yams

/// Reads the cases of one golden dataset file, streaming where the format allows (JSON Lines, CSV),
/// so a dataset of any size is read in bounded memory. Problems are reported with file and line.
public struct DatasetReader: Sendable {
    public struct Options: Sendable {
        /// A JSONL line or CSV record longer than this is an error, not a memory spike.
        public var maxLineBytes: Int

        public init(maxLineBytes: Int = 16 << 20) {
            self.maxLineBytes = maxLineBytes
        }
    }

    public enum Item: Sendable {
        case goldenCase(GoldenCase)
        case diagnostic(Diagnostic)
    }

    public var reference: DatasetReference
    /// How the file is named in messages: the path as written, relative to the working folder.
    public var displayPath: String
    public var options: Options

    public init(reference: DatasetReference, displayPath: String? = nil, options: Options = Options()) {
        self.reference = reference
        self.displayPath = displayPath ?? DatasetReader.displayPath(for: reference.resolvedPath)
        self.options = options
    }

    /// A path relative to the working folder when the file is below it, else absolute.
    public static func displayPath(for absolute: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if absolute.hasPrefix(cwd + "/") { return String(absolute.dropFirst(cwd.count + 1)) }
        return absolute
    }

    var defaults: GoldenCase.Defaults {
        let stem = ((reference.resolvedPath as NSString).lastPathComponent as NSString).deletingPathExtension
        return GoldenCase.Defaults(dataset: reference.path, tags: reference.tags, critical: reference.critical, fallbackIDPrefix: stem)
    }

    /// Calls `body` for every case and every problem, in file order. Return `false` to stop early.
    public func forEach(_ body: (Item) throws -> Bool) rethrows {
        let iterator = makeIterator()
        while let item = iterator.next() {
            guard try body(item) else { return }
        }
    }

    /// An iterator over cases and problems that reads the file lazily, for callers that must
    /// `await` between cases (the runner).
    public func makeIterator() -> DatasetIterator {
        DatasetIterator(reader: self)
    }

    /// All cases and all problems, for validation and small datasets.
    public func readAll() -> (cases: [GoldenCase], diagnostics: [Diagnostic]) {
        var cases: [GoldenCase] = []
        var diagnostics: [Diagnostic] = []
        forEach { item in
            switch item {
            case .goldenCase(let goldenCase): cases.append(goldenCase)
            case .diagnostic(let diagnostic): diagnostics.append(diagnostic)
            }
            return true
        }
        return (cases, diagnostics)
    }

}
