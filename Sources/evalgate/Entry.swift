import Dispatch
import Foundation
import NIOCore
import NIOPosix

/// The process entry point.
///
/// Before anything asynchronous runs, NIO's event loops become Swift Concurrency's global
/// executor: a case's task then runs on the thread that does its connection's I/O, instead of
/// hopping between Swift's pool and the event loop (two thread wake-ups a request, which on two
/// cores cost about a millisecond of latency per case: the latency-2k benchmark's wall/ideal went
/// from 1.25 to 1.10 with it; docs/benchmarks.md).
///
/// The price is a rule: nothing blocks the calling thread in async code, because that thread is an
/// event loop. Blocking work runs elsewhere: validation, result files and reports on a thread of
/// their own (`onOwnThread`), the history on GRDB's queues (`RunHistory` is async), child
/// processes polled on their own threads.
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
