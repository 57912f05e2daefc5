import Foundation

/// Where a run's traces go over OTLP/HTTP: `--otlp-endpoint`, else the standard OpenTelemetry
/// variables.
///
/// As the OpenTelemetry exporter specification says, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is the
/// traces URL as it is, while `OTEL_EXPORTER_OTLP_ENDPOINT` (and the flag, which takes the same
/// kind of value) is a base URL to which `v1/traces` is appended — unless it already ends in
/// `/v1/traces`. `OTEL_SDK_DISABLED=true` turns tracing off unless the flag asks for it.
public struct OTLPEndpoint: Sendable, Equatable {
    /// The URL spans are POSTed to.
    public var tracesURL: String
    /// Where it came from, for messages: `--otlp-endpoint` or the variable's name.
    public var source: String

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The endpoint to export to, or `nil` when tracing is off.
    public static func resolve(flag: String?, environment: [String: String]) throws(Invalid) -> OTLPEndpoint? {
        if let flag { return try OTLPEndpoint(base: flag, source: "--otlp-endpoint") }
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return nil }
        if let traces = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !traces.isEmpty {
            return try OTLPEndpoint(url: traces, source: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        }
        if let base = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !base.isEmpty {
            return try OTLPEndpoint(base: base, source: "OTEL_EXPORTER_OTLP_ENDPOINT")
        }
        return nil
    }

    /// A base URL: `v1/traces` is appended to its path.
    init(base: String, source: String) throws(Invalid) {
        let components = try Self.check(base, source: source)
        var path = components.path
        if !path.hasSuffix("/v1/traces") { path = (path.hasSuffix("/") ? path : path + "/") + "v1/traces" }
        var url = components
        url.path = path
        self.init(tracesURL: url.string ?? base, source: source)
    }

    /// A full traces URL, used as it is.
    init(url: String, source: String) throws(Invalid) {
        _ = try Self.check(url, source: source)
        self.init(tracesURL: url, source: source)
    }

    init(tracesURL: String, source: String) {
        self.tracesURL = tracesURL
        self.source = source
    }

    static func check(_ text: String, source: String) throws(Invalid) -> URLComponents {
        // The value itself is never echoed whole: it may carry credentials.
        let shown = Redactor.none(text)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw Invalid(description: "\(source) '\(shown)' is not a URL; give the collector's OTLP/HTTP address, e.g. http://127.0.0.1:4318")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Invalid(
                description:
                    "\(source) '\(shown)' uses '\(scheme)': evalgate exports OTLP over HTTP (protobuf), so the URL must be http:// or https:// (e.g. http://127.0.0.1:4318; gRPC's port 4317 will not answer)"
            )
        }
        guard let host = components.host, !host.isEmpty else {
            throw Invalid(description: "\(source) '\(shown)' has no host; e.g. http://127.0.0.1:4318")
        }
        guard components.query == nil, components.fragment == nil else {
            throw Invalid(description: "\(source) '\(shown)' has a query or fragment; give the collector's address only")
        }
        return components
    }

    /// The URL for messages: credentials in it masked.
    public var shown: String { Redactor.none(tracesURL) }
}
