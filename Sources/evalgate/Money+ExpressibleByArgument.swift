import ArgumentParser
import EvalGateKit
import Foundation

/// `--max-cost 0.05` is read as the decimal typed, like the costs it is compared with, not via `Double`.
extension Money: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(exactly: argument.trimmingCharacters(in: .whitespaces))
    }
}
