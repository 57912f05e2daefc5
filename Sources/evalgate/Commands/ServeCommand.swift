import ArgumentParser
import EvalGateKit
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a dashboard over the history (portfolio, agents, runs, review queue) and /metrics for Prometheus.",
        discussion: """
            Read-only for anyone who can reach it; signing in (--token-file or --users-file, lines NAME ROLE SECRET with roles viewer, \
            reviewer, approver) allows labelling queued cases and approving runs. Binds to 127.0.0.1 unless --host says otherwise; \
            put a TLS-terminating reverse proxy in front of any other address (docs/serve.md). Stops on Ctrl-C or SIGTERM.
            """
    )

    @OptionGroup var store: HistoryOptions

    @Option(help: "Address to listen on (default 127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Token file: lines NAME ROLE TOKEN (tokens of 16 characters or more).")
    var tokenFile: String?

    @Option(help: "Users file: lines NAME ROLE BCRYPT-HASH (see --hash-password).")
    var usersFile: String?

    @Flag(help: "Mark cookies Secure (set this behind a TLS-terminating proxy).")
    var secureCookies = false

    @Flag(help: "Read a password from standard input, print its bcrypt hash for a users file, and exit.")
    var hashPassword = false

    func validate() throws {
        if tokenFile != nil && usersFile != nil { throw ValidationError("give --token-file or --users-file, not both") }
        if !(0...65_535).contains(port) { throw ValidationError("--port must be from 0 to 65535, found \(port)") }
    }

    func run() async throws {
        if hashPassword {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                printError("error: no password on standard input")
                throw ExitStatus.invalidInput.code
            }
            print(ServeCredentials.hash(password: password))
            return
        }
        var credentials = ServeCredentials.none
        do {
            if let tokenFile { credentials = try ServeCredentials.load(path: tokenFile, kind: .tokens) }
            if let usersFile { credentials = try ServeCredentials.load(path: usersFile, kind: .users) }
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitStatus.invalidInput.code
        }
        let location = HistoryLocation(store.settings.historyPath)
        let history = DashboardHistory(location: location)
        do {
            _ = try await history.history()
        } catch {
            // Keep serving: pages say what is wrong, and the history is opened again on the next request.
            printError("warning: \(error.message); serving anyway, pages will show this error until the history can be opened")
        }
        if !DashboardServer.isLoopback(host) {
            printError(
                "warning: listening on \(host), reachable from other machines, without TLS: passwords, tokens and session cookies would cross the network in clear text. Put a TLS-terminating reverse proxy in front (docs/serve.md) and pass --secure-cookies."
            )
        }
        if credentials.isEmpty { printError("note: no --token-file or --users-file: the dashboard is read-only") }
        let configuration = DashboardServer.Configuration(
            history: history, host: host, port: port, credentials: credentials, secureCookies: secureCookies)
        let host = self.host
        do {
            try await DashboardServer.run(configuration) { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                FileHandle.standardOutput.write(Data("evalgate serve: http://\(shown):\(port)/ (history \(location))\n".utf8))
            }
        } catch {
            printError("error: cannot serve on \(host):\(port): \(error)")
            printError("hint: is another process using the port? Pick another with --port, or --port 0 for any free one")
            throw ExitStatus.cannotRun.code
        }
    }
}
