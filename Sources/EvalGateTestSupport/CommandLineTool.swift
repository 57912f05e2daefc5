import Foundation

/// Runs a built executable the way a user or CI would, and captures what it printed and its exit code.
public struct CommandLineTool: Sendable {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Killed because it ran past its time limit.
        public var timedOut: Bool
    }

    public var executable: String
    public var workingDirectory: String?
    public var environment: [String: String]

    public init(_ name: String = "evalgate", workingDirectory: String? = nil, environment: [String: String] = [:]) {
        executable = RepositoryPaths.executable(name)
        self.workingDirectory = workingDirectory
        var base = ProcessInfo.processInfo.environment
        // Tests must not inherit CI annotations or a job summary from the machine running them.
        for key in ["GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "NO_COLOR"] { base.removeValue(forKey: key) }
        self.environment = base.merging(environment) { _, new in new }
    }

    /// Like `run`, but waits on a thread of its own: async tests that also serve an in-process agent
    /// must not tie up one of the few threads of Swift's cooperative pool while the tool runs.
    public func runDetached(_ arguments: [String], stdin: String? = nil, timeout: Double = 120) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try self.run(arguments, stdin: stdin, timeout: timeout) }) }.start()
        }
    }

    /// Runs with `arguments`, feeding `stdin`, killing the process after `timeout` seconds.
    public func run(_ arguments: [String], stdin: String? = nil, timeout: Double = 120) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("evalgate-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                usleep(200_000)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "", timedOut: timedOut)
    }
}
