import Dispatch
import Foundation
import NIOCore
import NIOPosix

/// The process entry point: NIO's event loops become Swift Concurrency's global executor before
/// anything asynchronous runs, so a request's handler runs on its connection's thread instead of
/// hopping to Swift's pool and back. The agent is the benchmarks' measuring instrument: each hop
/// was latency it added to what it was configured to answer in.
@main
enum Entry {
    static func main() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        Task {
            await ReferenceAgentCommand.main()
            exit(0)
        }
        dispatchMain()
    }
}
