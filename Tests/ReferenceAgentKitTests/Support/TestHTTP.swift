import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What a test saw of one HTTP exchange.
struct HTTPReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestHTTPError.notAnObject(text)
        }
        return object
    }
}

enum TestHTTPError: Error {
    case notAnObject(String)
}

/// A small client over AsyncHTTPClient's shared client: every call has a deadline and a capped body.
enum TestHTTP {
    static func post(
        _ url: String, json: [String: Any], headers: [String: String] = [:], timeout: Duration = .seconds(10),
        maximumBody: Int = 1 << 20
    ) async throws -> HTTPReply {
        let data = try JSONSerialization.data(withJSONObject: json)
        return try await send(url, method: .POST, body: data, headers: headers, timeout: timeout, maximumBody: maximumBody)
    }

    static func get(_ url: String, timeout: Duration = .seconds(10)) async throws -> HTTPReply {
        try await send(url, method: .GET, body: nil, headers: [:], timeout: timeout, maximumBody: 1 << 20)
    }

    static func send(
        _ url: String, method: HTTPMethod, body: Data?, headers: [String: String], timeout: Duration, maximumBody: Int
    ) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(milliseconds))
        let buffer = try await response.body.collect(upTo: maximumBody)
        return HTTPReply(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
    }
}
