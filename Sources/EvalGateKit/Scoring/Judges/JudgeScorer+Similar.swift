import Foundation

extension JudgeScorer {
    /// `similar`: cosine similarity of the answer's and the reference's embeddings.
    func similarity(answer: String, reference: String, threshold: Double) async throws(AgentError) -> (passed: Bool, score: Double, reason: String) {
        guard let model = definition.embeddings else {
            throw AgentError(.judgeFailed, "similar needs an embeddings model (judge.embeddings)")
        }
        let vectors = try await embeddings([answer, reference], model: model)
        let cosine = Self.cosine(vectors[0], vectors[1])
        let score = max(0, min(1, cosine))
        let passed = score + CaseScoring.epsilon >= threshold
        let shown = JSONValue.format(number: (cosine * 1000).rounded() / 1000)
        return (passed, score, "cosine similarity \(shown) \(passed ? "≥" : "<") \(JSONValue.format(number: threshold)) (\(model.model))")
    }

    /// The embedding of each text, from the cache or one request for those not cached.
    func embeddings(_ texts: [String], model: JudgeDefinition.Model) async throws(AgentError) -> [[Double]] {
        var vectors: [[Double]?] = texts.map { _ in nil }
        let keys = texts.map { JudgeCache.key(["embedding", model.model, $0]) }
        if let cache {
            for (index, key) in keys.enumerated() {
                vectors[index] = cache.read(key)?["embedding"]?.arrayValue?.compactMap(\.doubleValue)
                if vectors[index]?.isEmpty == true { vectors[index] = nil }
            }
        }
        let missing = vectors.indices.filter { vectors[$0] == nil }
        if !missing.isEmpty {
            let fetched = try await requestEmbeddings(missing.map { texts[$0] }, model: model)
            for (offset, index) in missing.enumerated() {
                vectors[index] = fetched[offset]
                if let cache { cache.write(keys[index], ["model": .string(model.model), "embedding": .array(fetched[offset].map { .number($0) })]) }
            }
        }
        let result = vectors.compactMap { $0 }
        guard result.count == texts.count, Set(result.map(\.count)).count == 1 else {
            throw AgentError(.judgeFailed, "embeddings model \(model.model) returned vectors of different lengths")
        }
        return result
    }

    func requestEmbeddings(_ texts: [String], model: JudgeDefinition.Model) async throws(AgentError) -> [[Double]] {
        let body: JSONValue = ["model": .string(model.model), "input": .array(texts.map { .string($0) })]
        var lastError = AgentError(.judgeFailed, "embeddings model \(model.model) was not asked")
        for _ in 0...max(0, definition.retries) {
            do throws(AgentError) {
                let response = try await transport.send(
                    url: model.url, method: "POST", headers: model.headers, body: body.jsonData, timeout: definition.timeout)
                if let error = response.statusError() { throw error }
                guard let vectors = Self.embeddingVectors(response.body, count: texts.count) else {
                    throw AgentError(.judgeFailed, "the response is not an embeddings list of \(texts.count) vectors: \(response.bodySnippet)")
                }
                return vectors
            } catch {
                lastError = AgentError(
                    error.kind, "embeddings model \(model.model): \(error.message)", status: error.status, retryAfter: error.retryAfter)
                if !error.isRetryable { throw lastError }
            }
        }
        throw lastError
    }

    /// `{"data": [{"embedding": [...], "index": 0}, ...]}`, ordered by `index`.
    static func embeddingVectors(_ body: Data, count: Int) -> [[Double]]? {
        guard let data = (try? JSONValue(parsing: body))?["data"]?.arrayValue, data.count == count else { return nil }
        var vectors: [[Double]?] = Array(repeating: nil, count: count)
        for (position, item) in data.enumerated() {
            let index = item["index"]?.doubleValue.map { Int($0) } ?? position
            guard vectors.indices.contains(index), let values = item["embedding"]?.arrayValue, !values.isEmpty else { return nil }
            let numbers = values.compactMap(\.doubleValue)
            guard numbers.count == values.count, numbers.allSatisfy(\.isFinite) else { return nil }
            vectors[index] = numbers
        }
        let result = vectors.compactMap { $0 }
        return result.count == count ? result : nil
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var dot = 0.0
        var normA = 0.0
        var normB = 0.0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        guard normA > 0, normB > 0 else { return 0 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }
}
