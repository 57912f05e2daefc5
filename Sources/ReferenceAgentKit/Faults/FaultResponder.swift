import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// Turns a planned fault into what the client sees on the wire.
enum FaultResponder {
    /// Faults decided before the agent runs: error statuses, hangs, resets.
    static func respondBeforeAnswer(_ fault: ReferenceAgentFault, context: AgentRequestContext) async throws -> Response? {
        switch fault {
        case .internalServerError:
            return errorResponse(
                .internalServerError, WireError(message: "Injected fault: internal server error.", type: "server_error"))
        case .serviceUnavailable:
            return errorResponse(
                .serviceUnavailable,
                WireError(message: "Injected fault: the agent is overloaded, try again later.", type: "server_error"))
        case .rateLimited:
            var response = errorResponse(
                .tooManyRequests,
                WireError(
                    message: "Injected fault: rate limit reached, retry after 1 second.", type: "rate_limit_error",
                    code: "rate_limit_exceeded"))
            response.headers[.retryAfter] = "1"
            return response
        case .hang:
            // Released when the server shuts down, so that stopping never waits an hour.
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .seconds(3600))
            }
            throw CancellationError()
        case .reset:
            // SO_LINGER with a zero timeout turns close() into a TCP RST: the client sees "connection reset by peer".
            if let provider = context.channel as? any SocketOptionProvider {
                try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            try? await context.channel.close()
            // Nothing reaches the client: the connection is gone before Hummingbird writes this.
            return Response(status: .internalServerError)
        case .malformed, .truncated, .slowDrip, .huge:
            return nil
        }
    }

    /// Faults applied to the agent's real answer.
    static func respond(_ fault: ReferenceAgentFault, answer body: ByteBuffer, context: AgentRequestContext) -> Response {
        switch fault {
        case .malformed:
            var broken = body.getSlice(at: body.readerIndex, length: max(1, body.readableBytes / 3)) ?? ByteBuffer()
            broken.writeString("<<<upstream proxy error>>> {\"partial\": tru")
            return Response(status: .ok, headers: jsonHeaders, body: ResponseBody(byteBuffer: broken))
        case .truncated:
            let sent = body.getSlice(at: body.readerIndex, length: body.readableBytes / 2) ?? ByteBuffer()
            let channel = context.channel
            var headers = jsonHeaders
            headers[.contentLength] = String(body.readableBytes)
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(contentLength: body.readableBytes) { writer in
                    try await writer.write(sent)
                    // Give the half body time to leave, then hang up without finishing the message.
                    try? await Task.sleep(for: .milliseconds(20))
                    try? await channel.close()
                })
        case .slowDrip:
            let bytes = body
            return Response(
                status: .ok, headers: jsonHeaders,
                body: ResponseBody(contentLength: bytes.readableBytes) { writer in
                    var remaining = bytes
                    while remaining.readableBytes > 0 {
                        if Task.isShuttingDownGracefully { return }
                        let chunk = remaining.readSlice(length: min(slowDripChunk, remaining.readableBytes))!
                        try await writer.write(chunk)
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await writer.finish(nil)
                })
        case .huge:
            return hugeResponse()
        case .internalServerError, .serviceUnavailable, .rateLimited, .hang, .reset:
            // Decided before the answer; not reached.
            return Response(status: .internalServerError)
        }
    }

    /// Bytes written every 100 ms by `slow-drip`: a 400-byte answer takes about 2.5 s.
    static let slowDripChunk = 16

    /// The size of the `huge` body.
    static let hugeSize = 50 * 1024 * 1024

    private static let hugeChunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)

    /// A valid chat completion whose answer is 50 MiB of `x`, streamed in 64 KiB chunks.
    private static func hugeResponse() -> Response {
        let prefix = ByteBuffer(
            string: #"{"id":"chatcmpl-huge","object":"chat.completion","created":0,"model":"huge","choices":[{"index":0,"#
                + #""finish_reason":"stop","message":{"role":"assistant","content":""#)
        let suffix = ByteBuffer(string: #""}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}"#)
        let filler = hugeSize - prefix.readableBytes - suffix.readableBytes
        return Response(
            status: .ok, headers: jsonHeaders,
            body: ResponseBody(contentLength: hugeSize) { writer in
                try await writer.write(prefix)
                var left = filler
                while left > 0 {
                    let size = min(left, hugeChunk.readableBytes)
                    try await writer.write(hugeChunk.getSlice(at: 0, length: size)!)
                    left -= size
                }
                try await writer.write(suffix)
                try await writer.finish(nil)
            })
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    static func errorResponse(_ status: HTTPResponse.Status, _ error: WireError) -> Response {
        jsonResponse(status, error)
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let data = (try? JSONCoding.encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: jsonHeaders, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
