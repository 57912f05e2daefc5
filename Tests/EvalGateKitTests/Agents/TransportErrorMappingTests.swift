import AsyncHTTPClient
import EvalGateTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ReferenceAgentKit
import Testing

@testable import EvalGateKit

/// Transport failures become agent errors by their type and value, and real failures on loopback
/// land in the right kind.
@Suite("Transport errors")
struct TransportErrorMappingTests {
    static let table: [(any Error & Sendable, AgentError.Kind)] = [
        (HTTPClientError.deadlineExceeded, .timeout),
        (HTTPClientError.readTimeout, .timeout),
        (HTTPClientError.writeTimeout, .timeout),
        (HTTPClientError.connectTimeout, .timeout),
        (HTTPClientError.tlsHandshakeTimeout, .timeout),
        (HTTPClientError.getConnectionFromPoolTimeout, .timeout),
        (HTTPClientError.remoteConnectionClosed, .connection),
        (HTTPClientError.uncleanShutdown, .malformedResponse),
        (HTTPClientError.cancelled, .cancelled),
        (HTTPClientError.invalidURL, .clientError),
        (HTTPClientError.emptyHost, .clientError),
        (HTTPClientError.alreadyShutdown, .connection),
        (IOError(errnoCode: ECONNREFUSED, reason: "connect"), .connection),
        (IOError(errnoCode: ECONNRESET, reason: "read"), .connection),
        (IOError(errnoCode: ETIMEDOUT, reason: "connect"), .timeout),
        (IOError(errnoCode: EACCES, reason: "socket"), .connection),
        (ChannelError.connectTimeout(.seconds(1)), .timeout),
        (ChannelError.eof, .connection),
        (ChannelError.ioOnClosedChannel, .connection),
        (HTTPParserError.invalidEOFState, .malformedResponse),
        (HTTPParserError.invalidHeaderToken, .malformedResponse),
        (NIOSSLError.uncleanShutdown, .malformedResponse),
        (NIOSSLError.handshakeFailed(.sslError([])), .connection),
        (NIOTooManyBytesError(maxBytes: 16), .responseTooLarge),
        (CancellationError(), .cancelled),
        (AgentError(.rateLimited, "kept as it is"), .rateLimited),
        (URLError(.badServerResponse), .connection),
    ]

    @Test(arguments: 0..<table.count)
    func constructedErrorsMapToTheirKind(_ index: Int) {
        let (error, kind) = Self.table[index]
        let mapped = TransportErrorMapping.agentError(for: error, timeout: 2)
        #expect(mapped.kind == kind, "\(error) → \(mapped)")
        #expect(!mapped.message.isEmpty)
    }

    @Test func messagesSayWhatHappened() {
        #expect(TransportErrorMapping.agentError(for: HTTPClientError.deadlineExceeded, timeout: 2.5).message == "no complete answer within 2.5 s")
        #expect(
            TransportErrorMapping.agentError(for: IOError(errnoCode: ECONNREFUSED, reason: "connect"), timeout: 1).message == "connection refused")
        #expect(
            TransportErrorMapping.agentError(for: IOError(errnoCode: ECONNRESET, reason: "read"), timeout: 1).message
                == "connection reset by the server")
        #expect(TransportErrorMapping.agentError(for: HTTPParserError.invalidEOFState, timeout: 1).message.contains("truncated"))
        // Not recognised: a connection error (retried) that carries the description.
        let unknown = TransportErrorMapping.agentError(for: URLError(.badServerResponse), timeout: 1)
        #expect(unknown.kind == .connection)
        #expect(unknown.message.contains("URLError") || unknown.message.contains("-1011"))
        #expect(unknown.isRetryable)
    }

    // MARK: - Real failures on loopback

    static let chatBody = Data(#"{"model": "kb-agent", "messages": [{"role": "user", "content": "How many vacation days do I get?"}]}"#.utf8)

    func send(_ url: String, fault: String? = nil, timeout: Double = 5) async -> AgentError? {
        let transport = HTTPTransport(maxConcurrency: 1, maxResponseBytes: 1 << 20)
        var headers: [String: String] = [:]
        if let fault { headers[ReferenceAgentFault.headerName] = fault }
        do {
            _ = try await transport.send(url: url, method: "POST", headers: headers, body: Self.chatBody, timeout: timeout)
            await transport.shutdown()
            return nil
        } catch {
            await transport.shutdown()
            return error
        }
    }

    @Test func aClosedPortIsARefusedConnection() async throws {
        // A port that was just listening and is closed now: nothing else on 127.0.0.1 takes it so fast.
        let agent = try await ReferenceAgentHarness.start()
        let url = agent.chatCompletionsURL
        await agent.stop()
        let error = try #require(await send(url))
        #expect(error.kind == .connection)
        #expect(error.message.hasPrefix("connection refused"), "\(error)")
        #expect(error.isRetryable)
    }

    @Test func aHangingAgentIsATimeout() async throws {
        try await withReferenceAgent { agent in
            let start = ContinuousClock.now
            let error = try #require(await send(agent.chatCompletionsURL, fault: "hang", timeout: 0.5))
            #expect(error.kind == .timeout, "\(error)")
            #expect(error.message == "no complete answer within 0.5 s")
            #expect(ContinuousClock.now - start < .seconds(20))
        }
    }

    @Test func aSlowDripPastTheDeadlineIsATimeout() async throws {
        try await withReferenceAgent { agent in
            // The head comes at once; the body takes seconds: only the deadline over the whole body ends it.
            let error = try #require(await send(agent.chatCompletionsURL, fault: "slow-drip", timeout: 0.5))
            #expect(error.kind == .timeout, "\(error)")
        }
    }

    @Test func aResetIsAConnectionErrorAndATruncatedBodyMalformed() async throws {
        try await withReferenceAgent { agent in
            let reset = try #require(await send(agent.chatCompletionsURL, fault: "reset"))
            #expect(reset.kind == .connection, "\(reset)")
            #expect(["connection reset by the server", "the server closed the connection before answering"].contains(reset.message), "\(reset)")
            #expect(reset.isRetryable)
            let truncated = try #require(await send(agent.chatCompletionsURL, fault: "truncated"))
            #expect(truncated.kind == .malformedResponse, "\(truncated)")
        }
    }
}
