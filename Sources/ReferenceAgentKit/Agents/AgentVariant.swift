/// How a release candidate behaves: as the good release, or with the regressions the demo gates on.
enum AgentVariant: Sendable, Equatable {
    case good
    case regressed
}
