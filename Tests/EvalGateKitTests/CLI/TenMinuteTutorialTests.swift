import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The README's "Gate your own agent in ten minutes", run as written: its shell block is read from
/// README.md, so the two cannot drift. Each line runs in one bash process, in order; a line whose
/// comment says `# exit N` must end with status N.
///
/// Two things differ from a reader's terminal, both outside the block's text: the reference agent's
/// port 8080 becomes a free port (8080 may be taken on a test machine), and the folder the block runs
/// in is a temporary one holding a link to this repository's `golden-datasets/`.
enum Tutorial {
    static let heading = "## Gate your own agent in ten minutes"

    /// The first ```sh block of the README's tutorial section.
    static func block() throws -> String {
        let readme = try String(contentsOfFile: RepositoryPaths.path("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: heading + "\n").dropFirst().first?.components(separatedBy: "\n## ").first)
        return try #require(CIRecipes.shellBlocks(markdown: section).first, "the tutorial has no ```sh block")
    }

    /// The block's lines, continuation lines joined, blank and comment-only lines dropped.
    static func lines(_ block: String) -> [String] {
        block.replacingOccurrences(of: "\\\n", with: " ").components(separatedBy: "\n")
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
    }

    /// The status a line's `# exit N` comment promises.
    static func expectedStatus(_ line: String) -> Int32? {
        guard let range = line.range(of: #"#\s*exit (\d+)"#, options: .regularExpression) else { return nil }
        return Int32(line[range].split(separator: " ").last!)
    }

    static func freePort() throws -> Int {
        #if os(Linux)
            let stream = Int32(SOCK_STREAM.rawValue)
        #else
            let stream = SOCK_STREAM
        #endif
        let socketFD = socket(AF_INET, stream, 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@Suite("README: gate your own agent in ten minutes")
struct TenMinuteTutorialTests {
    @Test func theBlockCoversTheWholeJourney() throws {
        let lines = Tutorial.lines(try Tutorial.block())
        // The subcommand of each evalgate line (after any VAR=value assignments).
        let subcommands = lines.compactMap { line -> String? in
            let words = CIRecipes.shellWords(line).drop { $0.range(of: "^[A-Z_]+=", options: .regularExpression) != nil }
            return words.first == "evalgate" ? words.dropFirst().first : nil
        }
        #expect(subcommands == ["init", "validate", "run", "deploy", "run"], "\(subcommands)")
        #expect(lines.filter { Tutorial.expectedStatus($0) != nil }.count >= 5)
    }

    @Test func theBlockRunsAsWritten() async throws {
        let block = try Tutorial.block()
        let port = try Tutorial.freePort()
        let lines = Tutorial.lines(block.replacingOccurrences(of: "8080", with: "\(port)"))
        let folder = TemporaryDirectory(prefix: "evalgate-tutorial")
        try FileManager.default.createSymbolicLink(atPath: folder.file("golden-datasets"), withDestinationPath: RepositoryPaths.goldenDatasets)
        let steps = folder.file("steps.log")
        // Every line, then its status into the log; background agents are stopped however the script ends.
        var script = ["trap 'kill $(jobs -p) 2>/dev/null' EXIT"]
        for (index, line) in lines.enumerated() {
            script += [line, "echo \"\(index) $?\" >> '\(steps)'"]
        }
        let scriptPath = folder.write("tutorial.sh", script.joined(separator: "\n") + "\n")

        var bash = CommandLineTool(workingDirectory: folder.path)
        bash.executable = "/bin/bash"
        bash.environment["PATH"] = RepositoryPaths.productsFolder + ":" + (bash.environment["PATH"] ?? "/usr/bin:/bin")
        for variable in ["EVALGATE_HOME", "EVALGATE_HISTORY", "AGENT_VERSION", "AGENT_URL", "AGENT_API_KEY"] {
            bash.environment.removeValue(forKey: variable)
        }
        let output = try await bash.runDetached([scriptPath], timeout: 300)
        let log = "\(output.stdout)\n\(output.stderr)"
        #expect(!output.timedOut, "\(log)")

        let statuses = Dictionary(
            uniqueKeysWithValues: try String(contentsOfFile: steps, encoding: .utf8).split(separator: "\n").map { entry -> (Int, Int32) in
                let parts = entry.split(separator: " ")
                return (Int(parts[0])!, Int32(parts[1])!)
            })
        #expect(statuses.count == lines.count, "every line ran: \(statuses)\n\(log)")
        for (index, line) in lines.enumerated() {
            guard let expected = Tutorial.expectedStatus(line) else { continue }
            #expect(statuses[index] == expected, "`\(line)` ended with \(statuses[index].map(String.init) ?? "nothing")\n\(log)")
        }
        // What the comments promise, in the output.
        #expect(output.stdout.contains("pipelines/refund-bot.yaml: valid, 10 cases"), "\(log)")
        #expect(output.stdout.contains("Promote refund-bot 1.0.0"), "\(log)")
        #expect(output.stdout.contains("Block refund-bot 1.1.0"), "\(log)")
        let recommendation = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: folder.file("my-agent/recommendation.json"))))
        #expect(recommendation["action"] == "block")
        #expect(recommendation["targetVersion"] == "1.0.0")
    }
}
