import Foundation

extension ShardMerge {
    /// The cases of the shards on their way into the merged run's journal, checked as they come,
    /// in memory that does not grow with their documents: a bit per selected case (which
    /// positions of the run are taken) and the 8-byte hash of each case's id (for an id given
    /// twice), beside the journal's 16 bytes a case.
    struct Merging {
        let count: Int
        let runSelectedCases: Int
        let journal: RunJournal
        var taken: [UInt64]
        var idHashes: [UInt64] = []
        var cases = 0

        init(count: Int, runSelectedCases: Int, journal: RunJournal) {
            self.count = count
            self.runSelectedCases = runSelectedCases
            self.journal = journal
            taken = Array(repeating: 0, count: (runSelectedCases + 63) / 64)
            idHashes.reserveCapacity(runSelectedCases)
        }

        struct Identity: Decodable {
            var id: String
            var index: Int
        }

        /// A case document's id and position in the run, read straight from its bytes when it is
        /// as evalgate writes it, else decoded.
        static func identity(of document: Data) throws -> Identity {
            if let scanned = CaseResultRow.Columns.scan(document) { return Identity(id: scanned.columns.id, index: scanned.columns.index) }
            return try JSONCoding.decoder().decode(Identity.self, from: document)
        }

        mutating func add(_ document: Data, of part: Part) throws {
            let shardName = "shard \(part.shard.index)/\(count) (\(part.origin))"
            let identity: Identity
            do {
                identity = try Self.identity(of: document)
            } catch {
                throw Failure.invalid("case \(cases + 1) of \(shardName) is not a case result: \(error)")
            }
            let (id, index) = (identity.id, identity.index)
            let hash = Shard.hash(of: id)
            let belongs = Shard.index(ofHash: hash, count: count)
            guard belongs == part.shard.index else {
                throw Failure.invalid(
                    "case '\(id)' of \(shardName) belongs to shard \(belongs)/\(count): the shards were not cut by one partition")
            }
            guard index >= 0, index < runSelectedCases else {
                throw Failure.invalid(
                    "case '\(id)' of \(shardName) is at position \(index) of a run of \(runSelectedCases) selected cases: the shard's cases do not fit its record"
                )
            }
            let (word, bit) = (index / 64, UInt64(1) << UInt64(index % 64))
            // A case is only ever in the shard its id hashes to (checked above), so shards cannot
            // overlap; a case twice within one shard's results can.
            guard taken[word] & bit == 0 else {
                throw Failure.invalid(
                    "case '\(id)' is twice in \(shardName), or another case there has its position \(index): shards must not overlap")
            }
            taken[word] |= bit
            idHashes.append(hash)
            try journal.appendDocument(document, index: index)
            cases += 1
        }

        /// After the last shard: the journal in run order, and no id given twice at two positions
        /// (equal hashes are compared by their ids, read back; a mere collision of hashes is fine).
        mutating func finish(parts: [Part]) throws {
            if let index = journal.sortByIndex() {
                throw Failure.invalid("two cases of the shards are at position \(index) of the run: shards must not overlap")
            }
            idHashes.sort()
            var suspects = Set<UInt64>()
            for position in idHashes.indices.dropFirst() where idHashes[position] == idHashes[position - 1] {
                suspects.insert(idHashes[position])
            }
            idHashes = []
            guard !suspects.isEmpty else { return }
            var seen: [String: Int] = [:]
            for number in 0..<journal.count {
                let identity = try Self.identity(of: try journal.document(number: number))
                guard suspects.contains(Shard.hash(of: identity.id)) else { continue }
                if let earlier = seen[identity.id] {
                    let shard = Shard.index(of: identity.id, count: count)
                    let origin = parts.first { $0.shard.index == shard }?.origin ?? "shard \(shard)/\(count)"
                    throw Failure.invalid(
                        "case '\(identity.id)' is twice in shard \(shard)/\(count) (\(origin)), at positions \(earlier) and \(identity.index): shards must not overlap"
                    )
                }
                seen[identity.id] = identity.index
            }
        }

        /// Where a case document came from, for a message: its shard (from its id) and that shard's origin.
        func origin(of document: Data, parts: [Part]) -> String {
            guard let identity = try? Self.identity(of: document) else { return "one of the shards" }
            let shard = Shard.index(of: identity.id, count: count)
            let origin = parts.first { $0.shard.index == shard }?.origin ?? "?"
            return "case '\(identity.id)' of shard \(shard)/\(count), \(origin)"
        }
    }
}
