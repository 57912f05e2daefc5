import Foundation

/// Entry points for fuzzing the input parsers: each takes arbitrary bytes and must return
/// (with diagnostics or a result), never crash or hang. Used by the libFuzzer target
/// (`scripts/fuzz`) and by the corpus regression tests.
public enum InputFuzzing {
    public enum Target: String, CaseIterable, Sendable {
        case pipeline, jsonl, csv, yaml

        var fileName: String {
            switch self {
            case .pipeline: return "pipeline.yaml"
            case .jsonl: return "cases.jsonl"
            case .csv: return "cases.csv"
            case .yaml: return "cases.yaml"
            }
        }
    }

    /// A scratch folder per process, holding the one file being parsed.
    static let folder: String = {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("evalgate-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Parses `data` as the target's input; returns how many diagnostics and cases came out.
    @discardableResult
    public static func run(_ target: Target, _ data: Data) -> (diagnostics: Int, cases: Int) {
        let path = (folder as NSString).appendingPathComponent(target.fileName)
        FileManager.default.createFile(atPath: path, contents: data)
        switch target {
        case .pipeline:
            do {
                let pipeline = try PipelineLoader(variables: ["FUZZ": "1"]).load(path: path)
                return (pipeline.diagnostics.count, pipeline.definition.datasets.count)
            } catch {
                precondition(!error.diagnostics.isEmpty, "a rejected pipeline must say why")
                return (error.diagnostics.count, 0)
            }
        case .jsonl, .csv, .yaml:
            let reader = DatasetReader(
                reference: DatasetReference(path: target.fileName, resolvedPath: path), displayPath: target.fileName,
                options: DatasetReader.Options(maxLineBytes: 1 << 20))
            let (cases, diagnostics) = reader.readAll()
            for goldenCase in cases {
                for spec in goldenCase.scorers { _ = ScorerRegistry.validate(spec, expected: goldenCase.expected) }
            }
            return (diagnostics.count, cases.count)
        }
    }
}
