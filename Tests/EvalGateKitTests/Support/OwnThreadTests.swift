import Foundation
import Testing

@testable import EvalGateKit

@Suite("Work on its own thread")
struct OwnThreadTests {
    struct Failure: Error, Equatable {}

    @Test func returnsWhatTheWorkReturnsAndRethrowsWhatItThrows() async throws {
        #expect(try await onOwnThread { (1...100).reduce(0, +) } == 5050)
        await #expect(throws: Failure.self) { try await onOwnThread { throw Failure() } }
    }

    @Test func theThreadHasRoomToRecurse() async throws {
        @Sendable func depth(_ level: Int) -> Int { level == 0 ? 0 : 1 + depth(level - 1) }
        // 20,000 frames: more than a default 512 KiB secondary-thread stack holds.
        #expect(try await onOwnThread { depth(20_000) } == 20_000)
    }
}
