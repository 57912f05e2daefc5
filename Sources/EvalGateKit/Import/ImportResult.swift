import Foundation

/// What an importer produced: the files to write (a pipeline per agent and its golden dataset),
/// and every place where the source could not be converted exactly, with why.
public struct ImportResult: Sendable {
    public struct File: Sendable, Equatable {
        /// Relative to the output folder (`pipelines/NAME.yaml`, `golden-datasets/NAME/cases.jsonl`).
        public var path: String
        public var contents: String

        public init(path: String, contents: String) {
            self.path = path
            self.contents = contents
        }
    }

    public var files: [File]
    /// The pipeline files among `files`.
    public var pipelines: [String]
    /// Cases written per dataset file.
    public var caseCounts: [String: Int]
    /// Skipped or approximated parts of the source, located in it; never errors (a result exists).
    public var diagnostics: [Diagnostic]
    /// Environment variables the pipelines read (`${OPENAI_API_KEY}`); they must be set to run.
    public var variables: [String]

    public init(
        files: [File] = [], pipelines: [String] = [], caseCounts: [String: Int] = [:], diagnostics: [Diagnostic] = [], variables: [String] = []
    ) {
        self.files = files
        self.pipelines = pipelines
        self.caseCounts = caseCounts
        self.diagnostics = diagnostics
        self.variables = variables
    }

    public func file(_ path: String) -> File? { files.first { $0.path == path } }
}

/// Why imported files could not be written.
public enum ImportError: Error, LocalizedError, Equatable, Sendable {
    /// Files that exist already; nothing was written. `--force` replaces them.
    case wouldOverwrite([String])
    case cannotWrite(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .wouldOverwrite(let paths):
            return "would overwrite \(paths.joined(separator: ", ")); nothing was written (use --force to replace them)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

/// Writes an import's files into a folder (all or none when one already exists) and validates the
/// pipelines written, as `evalgate validate` would.
public enum ImportWriter {
    /// Writes every file under `directory`. Without `force`, nothing is written when any file exists.
    /// Returns the absolute paths written.
    @discardableResult
    public static func write(_ result: ImportResult, to directory: String, force: Bool) throws(ImportError) -> [String] {
        let targets = result.files.map { (file: $0, path: (directory as NSString).appendingPathComponent($0.path)) }
        if !force {
            let existing = targets.filter { FileManager.default.fileExists(atPath: $0.path) }.map(\.path)
            if !existing.isEmpty { throw .wouldOverwrite(existing) }
        }
        var written: [String] = []
        for target in targets {
            let folder = (target.path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(target.file.contents.utf8).write(to: URL(fileURLWithPath: target.path), options: .atomic)
            } catch {
                throw .cannotWrite(path: target.path, reason: error.localizedDescription)
            }
            written.append(target.path)
        }
        return written
    }

    /// A stand-in that keeps a URL built from the variable a URL (`${AZURE_OPENAI_API_HOST}`, `${API_BASE_URL}`).
    static func placeholder(for name: String) -> String {
        if name.hasSuffix("HOST") { return "unset.invalid" }
        if name.contains("URL") || name.contains("BASE") { return "https://unset.invalid" }
        return "unset"
    }

    /// Validates the written pipelines. Variables the import introduced but the environment lacks
    /// get a placeholder: they are secrets to set before a run, not a fault of the conversion.
    public static func validate(
        _ result: ImportResult, in directory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [PipelineValidator.Report] {
        var variables = environment
        for name in result.variables where variables[name] == nil { variables[name] = placeholder(for: name) }
        let validator = PipelineValidator(loader: PipelineLoader(variables: variables))
        return result.pipelines.map { validator.validate(path: (directory as NSString).appendingPathComponent($0)) }
    }
}
