import Foundation
import Yams

#if canImport(Glibc)
    import Glibc
#endif

/// One file an importer reads, so every problem can point at `file:line:column`.
struct ImportSource {
    /// As the user named it (printed in diagnostics).
    var displayPath: String
    var absolutePath: String

    var folder: String { (absolutePath as NSString).deletingLastPathComponent }
    var displayFolder: String { (displayPath as NSString).deletingLastPathComponent }

    init(displayPath: String, absolutePath: String) {
        self.displayPath = displayPath
        self.absolutePath = absolutePath
    }

    init(path: String) {
        self.init(displayPath: path, absolutePath: PipelineLoader.absolute(path))
    }

    /// A file named by this one, relative to its folder (and displayed that way).
    func relative(_ path: String) -> ImportSource {
        let absolute = PipelineLoader.resolve(path, against: folder)
        let display = (path as NSString).isAbsolutePath || displayFolder.isEmpty ? path : (displayFolder as NSString).appendingPathComponent(path)
        return ImportSource(displayPath: display, absolutePath: absolute)
    }

    func location(_ node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: displayPath) }
        return SourceLocation(file: displayPath, line: mark.line, column: mark.column)
    }

    func location(line: Int) -> SourceLocation { SourceLocation(file: displayPath, line: line) }

    var extensionName: String { (absolutePath as NSString).pathExtension.lowercased() }

    func json(_ node: Node) -> JSONValue { YAMLReader(file: displayPath, interpolation: nil).json(node) }

    func readText(maxBytes: Int = 64 << 20) throws(InvalidInputError) -> String {
        try TextFile.decodeUTF8(try TextFile.read(path: absolutePath, displayPath: displayPath, maxBytes: maxBytes), displayPath: displayPath)
    }

    func readYAML() throws(InvalidInputError) -> Node? {
        try YAMLDocument.load(path: absolutePath, displayPath: displayPath, limits: .dataset)
    }

    /// Expands `*` and `?` in the last path component (`tests/*.yaml`), sorted; other paths as they are.
    func expandingGlob() -> [ImportSource] {
        let name = (absolutePath as NSString).lastPathComponent
        guard name.contains("*") || name.contains("?") else { return [self] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { fnmatch(name, $0, 0) == 0 }.sorted().map { match in
            ImportSource(
                displayPath: ((displayPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(match),
                absolutePath: (folder as NSString).appendingPathComponent(match))
        }
    }
}

extension Node {
    /// The value under `key` of a mapping.
    func member(_ key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        for (keyNode, value) in mapping where keyNode.string == key { return value }
        return nil
    }

    /// A mapping's entries in file order, with their key nodes (for locations).
    var members: [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = self else { return [] }
        return mapping.compactMap { pair in pair.key.string.map { ($0, pair.key, pair.value) } }
    }

    var items: [Node]? {
        guard case .sequence(let sequence) = self else { return nil }
        return Array(sequence)
    }

    var scalarText: String? {
        guard case .scalar(let scalar) = self else { return nil }
        return scalar.string
    }
}
