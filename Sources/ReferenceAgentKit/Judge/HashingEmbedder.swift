/// Deterministic text embeddings for `POST /v1/embeddings`: a bag of words hashed into 128 dimensions
/// and L2-normalised, so texts sharing words have a high cosine similarity and unrelated texts a low one.
enum HashingEmbedder {
    static let dimensions = 128

    static func embedding(of text: String) -> [Double] {
        var vector = [Double](repeating: 0, count: dimensions)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let hash = UInt64(StableHash.hex(of: String(word), length: 16), radix: 16) ?? 0
            vector[Int(hash % UInt64(dimensions))] += 1
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return vector }
        return vector.map { $0 / norm }
    }

    /// The OpenAI embeddings response for `inputs`.
    static func response(model: String, inputs: [String]) -> JSON {
        let tokens = inputs.reduce(0) { $0 + max(1, $1.split(separator: " ").count) }
        return [
            "object": "list",
            "model": .string(model),
            "data": .array(
                inputs.enumerated().map { index, text in
                    ["object": "embedding", "index": .number(Double(index)), "embedding": .array(embedding(of: text).map { .number($0) })]
                }),
            "usage": ["prompt_tokens": .number(Double(tokens)), "total_tokens": .number(Double(tokens))],
        ]
    }
}
