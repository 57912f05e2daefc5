import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A browser-like HTTP client for the dashboard tests: keeps cookies, does not follow redirects
/// (so a test sees the 303 and its `Set-Cookie`), every call has a deadline.
final class DashboardClient: @unchecked Sendable {
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var text: String

        func header(_ name: String) -> String? { headers.first(name: name) }

        /// The CSRF token of the first form on the page.
        var csrf: String? {
            guard let match = text.firstMatch(of: /name="csrf" value="([^"]+)"/) else { return nil }
            return String(match.1)
        }
    }

    let base: String
    private(set) var cookies: [String: String] = [:]
    private let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    init(base: String) {
        self.base = base
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(path, method: .GET, body: nil, headers: headers)
    }

    func post(_ path: String, form: [String: String], headers: [String: String] = [:]) async throws -> Reply {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.sorted { $0.key < $1.key }.map {
            "\($0.key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
        return try await send(path, method: .POST, body: body, headers: ["Content-Type": "application/x-www-form-urlencoded"].merging(headers) { $1 })
    }

    func send(_ path: String, method: HTTPMethod, body: String?, headers: [String: String]) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 32 << 20)
        for line in response.headers["Set-Cookie"] {
            let pair = line.split(separator: ";").first.map(String.init) ?? ""
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || line.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    /// Signs in through the form, as a browser would: fetch it (CSRF cookie and field), post it.
    func signIn(user: String, secret: String) async throws -> Reply {
        let page = try await get("/login")
        return try await post("/login", form: ["csrf": page.csrf ?? "", "user": user, "secret": secret, "next": "/"])
    }
}
