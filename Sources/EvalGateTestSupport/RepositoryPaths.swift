import Foundation

/// Paths of the repository the tests run in: the shipped pipelines, datasets and built binaries.
public enum RepositoryPaths {
    /// The repository root, found from this source file's location.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static var pipelines: String { (root as NSString).appendingPathComponent("pipelines") }
    public static var goldenDatasets: String { (root as NSString).appendingPathComponent("golden-datasets") }
    public static var docs: String { (root as NSString).appendingPathComponent("docs") }

    public static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    /// The folder holding the built products of the build the tests belong to.
    public static let productsFolder: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: Bundle.main.bundlePath),
            URL(fileURLWithPath: Bundle.main.bundlePath).deletingLastPathComponent(),
        ]
        for candidate in candidates {
            var url = candidate
            for _ in 0..<4 {
                if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("evalgate").path) { return url.path }
                url.deleteLastPathComponent()
            }
        }
        return (root as NSString).appendingPathComponent(".build/debug")
    }()

    /// A built executable of this package (`evalgate`, `evalgate-reference-agent`).
    public static func executable(_ name: String) -> String {
        (productsFolder as NSString).appendingPathComponent(name)
    }
}
