import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program (never a shell) in its own process group, feeds it stdin, reads stdout and stderr
/// with caps, and kills the whole group when the deadline passes or the task is cancelled.
/// The blocking poll loop runs on its own thread so it never occupies Swift's cooperative pool.
enum ChildProcess {
    struct Output: Sendable {
        var exitCode: Int32?
        var signal: Int32?
        var stdout: Data
        var stderr: Data
        var stderrTruncated: Bool
    }

    enum Failure: Error, Sendable {
        case launch(String)
        case timedOut(stderr: Data)
        case stdoutTooLarge(Int)
        case cancelled
    }

    final class CancelFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc has `posix_spawn_file_actions_addchdir_np` (2.29+) but its header hides it from Swift.
    static let addChdirFunction: AddChdir? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    static func run(
        argv: [String], variables: [String: String], workingDirectory: String?, stdin: Data, timeout: Double,
        maxStdout: Int, maxStderr: Int
    ) async -> Result<Output, Failure> {
        let flag = CancelFlag()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(
                        returning: runBlocking(
                            argv: argv, variables: variables, workingDirectory: workingDirectory, stdin: stdin,
                            timeout: timeout, maxStdout: maxStdout, maxStderr: maxStderr, cancel: flag))
                }
                thread.stackSize = 512 * 1024
                thread.start()
            }
        } onCancel: {
            flag.set()
        }
    }

    static func runBlocking(
        argv: [String], variables: [String: String], workingDirectory: String?, stdin: Data, timeout: Double,
        maxStdout: Int, maxStderr: Int, cancel: CancelFlag
    ) -> Result<Output, Failure> {
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0 else { return .failure(.launch("cannot create pipes: \(String(cString: strerror(errno)))")) }
        guard pipe(&outPipe) == 0 else {
            close(inPipe[0])
            close(inPipe[1])
            return .failure(.launch("cannot create pipes"))
        }
        guard pipe(&errPipe) == 0 else {
            [inPipe[0], inPipe[1], outPipe[0], outPipe[1]].forEach { _ = close($0) }
            return .failure(.launch("cannot create pipes"))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [inPipe[0], inPipe[1], outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        if let workingDirectory {
            guard let addChdir = addChdirFunction else {
                return .failure(.launch("this C library cannot set a working directory for a spawned process"))
            }
            _ = addChdir(&actions, workingDirectory)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let arguments = argv.map { strdup($0) } + [nil]
        let environmentStrings = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            environmentStrings.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, arguments, environmentStrings)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            return .failure(.launch("cannot start '\(argv[0])': \(String(cString: strerror(spawned)))"))
        }
        let input = inPipe[1]
        let output = outPipe[0]
        let errors = errPipe[0]
        for fd in [input, output, errors] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        let deadline = Date().addingTimeInterval(timeout)
        var stdout = Data()
        var stderr = Data()
        var stderrTruncated = false
        var written = 0
        var inputOpen = true
        var outputOpen = true
        var errorsOpen = true
        if stdin.isEmpty {
            close(input)
            inputOpen = false
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        func killGroup() {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        func closeAll() {
            if inputOpen { close(input) }
            if outputOpen { close(output) }
            if errorsOpen { close(errors) }
        }
        while outputOpen || errorsOpen {
            if cancel.isSet {
                closeAll()
                killGroup()
                return .failure(.cancelled)
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                closeAll()
                killGroup()
                return .failure(.timedOut(stderr: stderr))
            }
            var fds: [pollfd] = []
            if inputOpen { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if outputOpen { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if errorsOpen { fds.append(pollfd(fd: errors, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining, 0.05) * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == input {
                    if entry.revents & Int16(POLLOUT) != 0 {
                        let count = stdin.withUnsafeBytes { raw in
                            write(input, raw.baseAddress!.advanced(by: written), min(raw.count - written, 65536))
                        }
                        if count > 0 { written += count }
                        if written >= stdin.count || (count < 0 && errno != EAGAIN) {
                            close(input)
                            inputOpen = false
                        }
                    } else {
                        close(input)
                        inputOpen = false  // the child closed its stdin
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == output {
                        stdout.append(contentsOf: buffer[0..<count])
                        if stdout.count > maxStdout {
                            closeAll()
                            killGroup()
                            return .failure(.stdoutTooLarge(maxStdout))
                        }
                    } else {
                        let room = maxStderr - stderr.count
                        if room > 0 { stderr.append(contentsOf: buffer[0..<min(count, room)]) }
                        if count > room { stderrTruncated = true }
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(entry.fd)
                    if entry.fd == output { outputOpen = false } else { errorsOpen = false }
                }
            }
        }
        if inputOpen {
            close(input)
            inputOpen = false
        }
        // Output is closed; wait for the exit within what is left of the deadline.
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { break }
            if cancel.isSet {
                killGroup()
                return .failure(.cancelled)
            }
            if deadline.timeIntervalSinceNow <= 0 {
                killGroup()
                return .failure(.timedOut(stderr: stderr))
            }
            usleep(2000)
        }
        kill(-pid, SIGKILL)  // leftovers of the group (background children) go with the run
        let exited = status & 0x7F == 0
        return .success(
            Output(
                exitCode: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F, stdout: stdout, stderr: stderr,
                stderrTruncated: stderrTruncated))
    }
}
