/// A request body the reference agent cannot read; answered with `400`.
struct WireFormatError: Error, Equatable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

/// An error body in OpenAI's shape: `{"error": {"message", "type", "code"}}`.
struct WireError: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        var message: String
        var type: String
        var code: String?
    }

    var error: Detail

    init(message: String, type: String, code: String? = nil) {
        self.error = Detail(message: message, type: type, code: code)
    }
}
