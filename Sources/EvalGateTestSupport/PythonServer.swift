import Foundation

/// A Python server from `scripts/` (an independent implementation a test checks evalgate against:
/// the official A2A SDK's agent, the OTLP receiver), started on a free loopback port.
///
/// The script is run as `python3 SCRIPT ARGUMENTS --port 0 --port-file FILE` and must write the port
/// it listens on to FILE. Its output goes to `log`.
public struct PythonServer: Sendable {
    public let process: Process
    public let folder: TemporaryDirectory
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var log: String { (try? String(contentsOfFile: folder.file("server.log"), encoding: .utf8)) ?? "" }

    /// Starts `script` (relative to the repository) and waits up to 30 s for its port. A missing
    /// Python module is a failed requirement naming `installedBy`.
    public static func start(_ script: String, arguments: [String] = [], installedBy: String = "scripts/bootstrap") async throws -> PythonServer {
        let folder = TemporaryDirectory(prefix: "evalgate-python-server")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RepositoryPaths.path(script)] + arguments + ["--port", "0", "--port-file", folder.file("port")]
        let log = folder.write("server.log", "")
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        var port: Int?
        for _ in 0..<300 where port == nil && process.isRunning {
            port = (try? String(contentsOfFile: folder.file("port"), encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            if port == nil { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if text.contains("No module named") {
                throw Failure(description: "\(script) needs a Python package that \(installedBy) installs: \(text)")
            }
            throw Failure(description: "\(script) did not start within 30 s: \(text)")
        }
        return PythonServer(process: process, folder: folder, port: port)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func stop() {
        // SIGKILL: a child of the test process inherits its blocked signals, SIGTERM among them.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
