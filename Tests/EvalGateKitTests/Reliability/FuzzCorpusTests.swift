import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Replays the committed fuzzing corpus (including every crash ever found, once fixed) through the
/// parsers: each input must come back with diagnostics or a result, never a crash.
@Suite("Fuzzing corpus regression")
struct FuzzCorpusTests {
    @Test(arguments: InputFuzzing.Target.allCases)
    func corpusReplaysCleanly(_ target: InputFuzzing.Target) throws {
        let folder = RepositoryPaths.path("Tests/Fuzz/Corpus/\(target.rawValue)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count >= 3)
        var diagnostics = 0
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(file)))
            let start = Date()
            diagnostics += InputFuzzing.run(target, data).diagnostics
            #expect(Date().timeIntervalSince(start) < 10, "\(file) took too long")
        }
        #expect(diagnostics > 0, "the corpus holds broken inputs; they must produce diagnostics")
    }
}
