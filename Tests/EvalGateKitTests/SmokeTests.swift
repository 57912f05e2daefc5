import Testing
@testable import EvalGateKit
@Test func smoke() { #expect(EvalGate.version == "0.1.0") }
