import Dispatch
import Foundation
import NIOCore
import NIOPosix

/// The process entry point.
///
/// Before anything asynchronous runs, NIO's event loops become Swift Concurrency's global
/// executor: a case's task then runs on the thread that does its connection's I/O, instead of
/// hopping between Swift's pool and the event loop (two thread wake-ups a request, which on two
/// cores cost about a millisecond of latency per case). Blocking work stays off the loops: child
/// processes are polled on their own threads, and what runs between cases is short.
@main
enum Entry {
    static func main() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        Task {
            await EvalGateCommand.main()
            exit(0)
        }
        dispatchMain()
    }
}
