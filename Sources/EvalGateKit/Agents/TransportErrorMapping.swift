import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What a failed HTTP request means for the run: the one place where the errors of AsyncHTTPClient,
/// NIO and NIOSSL become `AgentError` kinds.
///
/// Matched by type and value, never by the text of `String(describing:)`, which the libraries are
/// free to reword. Whatever is not recognised is a connection error carrying its description, so
/// that a new failure mode is retried and shows what happened.
enum TransportErrorMapping {
    static func agentError(for error: any Error, timeout: Double) -> AgentError {
        switch error {
        case let error as AgentError: return error
        case is CancellationError: return AgentError(.cancelled, "request cancelled")
        case is NIOTooManyBytesError: return AgentError(.responseTooLarge, "response body is over the cap")
        case let error as HTTPClientError: return agentError(for: error, timeout: timeout)
        case let error as NIOConnectionError: return agentError(for: error, timeout: timeout)
        case let error as IOError: return agentError(for: error, timeout: timeout)
        case let error as ChannelError: return agentError(for: error, timeout: timeout)
        case let error as HTTPParserError: return agentError(for: error)
        case let error as NIOSSLError: return agentError(for: error)
        case let error as NIOSSLExtraError: return AgentError(.connection, "TLS: \(error)")
        default: return unknown(error)
        }
    }

    static func timedOut(_ timeout: Double) -> AgentError {
        AgentError(.timeout, "no complete answer within \(JSONValue.format(number: timeout)) s")
    }

    static let truncated = AgentError(.malformedResponse, "the response ended before its declared length (truncated body)")

    static func unknown(_ error: any Error) -> AgentError {
        AgentError(.connection, String(String(describing: error).prefix(300)))
    }

    static func agentError(for error: HTTPClientError, timeout: Double) -> AgentError {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout,
            .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
            return timedOut(timeout)
        case .remoteConnectionClosed:
            return AgentError(.connection, "the server closed the connection before answering")
        case .uncleanShutdown:
            return truncated
        case .httpEndReceivedAfterHeadWith1xx:
            return AgentError(.malformedResponse, "the server ended the response after an informational (1xx) head")
        case .cancelled, .requestStreamCancelled:
            return AgentError(.cancelled, "request cancelled")
        // The request itself cannot be sent: asking again will not help.
        case .invalidURL, .emptyHost, .emptyScheme:
            return AgentError(.clientError, "the request URL is not valid (\(error))")
        default:
            return unknown(error)
        }
    }

    /// Every address of the host failed; the first failure says why (they are nearly always alike).
    static func agentError(for error: NIOConnectionError, timeout: Double) -> AgentError {
        if let failure = error.connectionErrors.first {
            var mapped = agentError(for: failure.error, timeout: timeout)
            if mapped.kind == .connection { mapped.message += " (\(error.host):\(error.port))" }
            return mapped
        }
        if error.dnsAError != nil || error.dnsAAAAError != nil {
            return AgentError(.connection, "cannot resolve host '\(error.host)'")
        }
        return unknown(error)
    }

    static func agentError(for error: IOError, timeout: Double) -> AgentError {
        switch error.errnoCode {
        case ECONNREFUSED: return AgentError(.connection, "connection refused")
        case ECONNRESET, EPIPE: return AgentError(.connection, "connection reset by the server")
        case ETIMEDOUT: return timedOut(timeout)
        case ENETUNREACH, EHOSTUNREACH: return AgentError(.connection, "the host is unreachable")
        default: return unknown(error)
        }
    }

    static func agentError(for error: ChannelError, timeout: Double) -> AgentError {
        switch error {
        case .connectTimeout: return timedOut(timeout)
        case .eof, .ioOnClosedChannel, .alreadyClosed, .inputClosed, .outputClosed:
            return AgentError(.connection, "the server closed the connection before answering")
        default: return unknown(error)
        }
    }

    static func agentError(for error: HTTPParserError) -> AgentError {
        switch error {
        case .invalidEOFState, .closedConnection: return truncated
        default: return AgentError(.malformedResponse, "the response is not valid HTTP: \(error)")
        }
    }

    static func agentError(for error: NIOSSLError) -> AgentError {
        switch error {
        // The peer hung up without closing TLS: the body may be cut short.
        case .uncleanShutdown: return truncated
        case .handshakeFailed: return AgentError(.connection, "TLS handshake failed: \(error)")
        default: return AgentError(.connection, "TLS: \(error)")
        }
    }
}
