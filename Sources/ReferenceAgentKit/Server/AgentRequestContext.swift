import Hummingbird
import NIOCore

/// The request context of the reference agent: Hummingbird's basics plus the connection, which the
/// `reset` and `truncated` faults close by hand.
struct AgentRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.channel = source.channel
    }
}
