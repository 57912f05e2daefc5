import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// `evalgate serve` as a user starts it: the address it prints, a port in use, a users file with
/// a bad line, the warning for a non-loopback address, `--hash-password`.
@Suite("evalgate serve command", .serialized)
struct ServeCommandTests {
    /// Starts `evalgate serve` and waits for its "evalgate serve: URL" line (or its exit).
    final class ServeProcess: @unchecked Sendable {
        let process = Process()
        let output: String
        let errors: String

        init(_ arguments: [String], in folder: TemporaryDirectory) throws {
            output = folder.file("serve-\(UUID().uuidString.prefix(6)).out")
            errors = folder.file("serve-\(UUID().uuidString.prefix(6)).err")
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            _ = FileManager.default.createFile(atPath: errors, contents: nil)
            process.executableURL = URL(fileURLWithPath: RepositoryPaths.executable("evalgate"))
            process.arguments = ["serve"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        var stdout: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "" }

        /// The URL it printed, or nil when it exited first or took longer than `timeout`.
        func url(timeout: Double = 30) async -> String? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let match = stdout.firstMatch(of: /evalgate serve: (http:\/\/[^ ]+)\//) { return String(match.1) }
                if !process.isRunning { return nil }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }

        func waitForExit(timeout: Double = 30) async -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(100)) }
            return process.isRunning ? nil : process.terminationStatus
        }

        func stop() async {
            if process.isRunning { process.terminate() }
            _ = await waitForExit()
        }
    }

    @Test func aPortInUseIsAClearErrorAndTheFirstServerKeepsServing() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve-cli")
        let store = try await ServeFixtures.portfolioStore(in: folder)
        _ = store
        let first = try ServeProcess(["--history", folder.file("history.sqlite"), "--port", "0"], in: folder)
        let url = try #require(await first.url(), "first server did not start: \(first.stderr)")
        #expect(first.stderr.contains("read-only"))
        let port = try #require(url.split(separator: ":").last.map(String.init))
        let second = try ServeProcess(["--history", folder.file("history.sqlite"), "--port", port], in: folder)
        let status = await second.waitForExit()
        #expect(status == ExitStatus.cannotRun.rawValue, "second server: \(second.stdout) \(second.stderr)")
        #expect(second.stderr.contains("error: cannot serve on 127.0.0.1:\(port)"), "\(second.stderr)")
        #expect(second.stderr.contains("--port"))
        let client = DashboardClient(base: url)
        let reply = try await client.get("/")
        #expect(reply.status == 200)
        #expect(reply.text.contains("support-bot"))
        await client.shutdown()
        await first.stop()
    }

    @Test func badCredentialsFilesStopTheServerBeforeItListens() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve-cli")
        folder.write("users.txt", "ana reviewer not-a-hash\n")
        let server = try ServeProcess(["--history", folder.file("h.sqlite"), "--port", "0", "--users-file", "users.txt"], in: folder)
        #expect(await server.waitForExit() == ExitStatus.invalidInput.rawValue)
        #expect(server.stderr.contains("users.txt:1:1: error: the password of 'ana' is not a bcrypt hash"), "\(server.stderr)")
        await server.stop()
    }

    @Test func aNonLoopbackAddressWarnsAboutTLS() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve-cli")
        let server = try ServeProcess(["--history", folder.file("h.sqlite"), "--host", "0.0.0.0", "--port", "0"], in: folder)
        let url = await server.url()
        #expect(url != nil, "\(server.stderr)")
        #expect(server.stderr.contains("without TLS"), "\(server.stderr)")
        #expect(server.stderr.contains("reverse proxy"))
        await server.stop()
    }

    @Test func hashPasswordPrintsABcryptHashThatSignsIn() async throws {
        let tool = CommandLineTool()
        let output = try await tool.runDetached(["serve", "--hash-password"], stdin: "s3cret pass\n")
        #expect(output.status == 0, "\(output.stderr)")
        let hash = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let users = try ServeCredentials.parse("ana reviewer \(hash)", path: "u", kind: .users)
        #expect(await users.authenticate(name: "ana", secret: "s3cret pass") != nil)
    }
}
