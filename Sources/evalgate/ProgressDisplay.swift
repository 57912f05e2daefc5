import EvalGateKit
import Foundation
import UnixSignals

/// Shows a run's progress: one line rewritten in place on a terminal; plain periodic lines in CI logs.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPlainLine = Date.distantPast
    private var drewLine = false

    init(quiet: Bool) {
        self.quiet = quiet
    }

    func update(_ progress: RunProgress) {
        guard !quiet else { return }
        lock.withLock {
            let rate = progress.passRate.map { Format.percent($0) } ?? "–"
            let eta = progress.eta.map { " · ETA \(Self.clock($0))" } ?? ""
            let text =
                "[\(progress.done)/\(progress.total)] pass \(rate) · \(progress.failed) failed · \(progress.errors) errors · \(Self.clock(progress.elapsed))\(eta)"
            if isTerminal {
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
                drewLine = true
            } else if Date().timeIntervalSince(lastPlainLine) >= 10 || progress.done == progress.total {
                lastPlainLine = Date()
                FileHandle.standardError.write(Data("progress: \(text)\n".utf8))
            }
        }
    }

    func finish() {
        lock.withLock {
            if drewLine { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            drewLine = false
        }
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
    }
}

/// Ctrl-C and SIGTERM: the first cancels the run (cases in flight are cut off, finished ones kept,
/// the verdict is inconclusive and `--resume` continues); a second exits at once with 130.
/// Signals arrive through swift-service-lifecycle's `UnixSignalsSequence`, an async sequence.
enum Interruption {
    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await operation() }
        let watcher = Task {
            var received = 0
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                received += 1
                guard received == 1 else { _exit(130) }
                FileHandle.standardError.write(
                    Data("\nstopping: cancelling cases in flight, keeping finished ones (signal again to exit at once)\n".utf8))
                task.cancel()
            }
        }
        defer { watcher.cancel() }
        return try await task.value
    }
}
