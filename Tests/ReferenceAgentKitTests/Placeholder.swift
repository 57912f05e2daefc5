import Testing
@testable import ReferenceAgentKit
@Test func placeholder() { #expect(Bool(true)) }
