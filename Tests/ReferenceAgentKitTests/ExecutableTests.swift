import EvalGateTestSupport
import Foundation
import Testing

/// End to end: the built `evalgate-reference-agent` binary, as scripts and the `command` endpoint run it.
@Suite("evalgate-reference-agent executable", .enabled(if: ReferenceAgentHarness.executableURL != nil))
struct ExecutableTests {
    @Test func servesUntilSIGTERMAndAnnouncesItsPort() async throws {
        let executable = try #require(ReferenceAgentHarness.executableURL)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reference-agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let portFile = folder.appendingPathComponent("port")

        let process = Process()
        process.executableURL = executable
        process.arguments = ["--port", "0", "--port-file", portFile.path, "--latency-ms", "1"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        for _ in 0..<100 where port == nil {
            try await Task.sleep(for: .milliseconds(100))
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let boundPort = try #require(port)
        let health = try await TestHTTP.get("http://127.0.0.1:\(boundPort)/healthz")
        #expect(health.text == "ok")

        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed == "evalgate-reference-agent listening on http://127.0.0.1:\(boundPort)\n")
    }

    @Test(arguments: [("", true), ("garbage", false), ("crash", false)])
    func stdioModeAndItsFaults(fault: String, answersJSON: Bool) throws {
        let executable = try #require(ReferenceAgentHarness.executableURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--stdio", "--agent", "kb-agent"]
        var environment = ProcessInfo.processInfo.environment
        environment["REFERENCE_AGENT_FAULT"] = fault
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(#"{"id": "q", "input": "When is payday?"}"#.utf8))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let answer = (try? JSONSerialization.jsonObject(with: printed)) as? [String: Any]
        #expect((answer != nil) == answersJSON)
        #expect((process.terminationStatus == 0) == (fault != "crash"))
    }
}
