import EvalGateKit
import Foundation

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
            let text = "[\(progress.done)/\(progress.total)] pass \(rate) · \(progress.failed) failed · \(progress.errors) errors · \(Self.clock(progress.elapsed))\(eta)"
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

/// Ctrl-C and SIGTERM stop a run cleanly: in-flight cases are cancelled, finished ones are kept and
/// recorded, and the run can be resumed. A second signal exits at once.
enum Interruption {
    nonisolated(unsafe) static var signals: Int32 = 0

    static func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        signal(SIGINT) { _ in Interruption.received() }
        signal(SIGTERM) { _ in Interruption.received() }
        let task = Task { try await operation() }
        let watcher = Task {
            while !Task.isCancelled {
                if Interruption.signals > 0 {
                    FileHandle.standardError.write(Data("\nstopping: cancelling cases in flight, keeping finished ones (signal again to exit at once)\n".utf8))
                    task.cancel()
                    return
                }
                try? await Task.sleep(nanoseconds: 50_000_000)
            }
        }
        defer { watcher.cancel() }
        return try await task.value
    }

    static func received() {
        signals += 1
        if signals > 1 { _exit(130) }
    }
}
