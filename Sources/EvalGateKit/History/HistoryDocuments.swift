import Foundation

/// What both history backends do to documents on their way in and out: JSON with `JSONCoding`,
/// secrets redacted as a last line of defence, and a case document turned into its row.
protocol HistoryDocuments {
    /// Applied to every JSON document and free-text column before it is stored.
    var redactor: Redactor { get }
}

extension HistoryDocuments {
    /// Encodes `value` with `JSONCoding` (keys are property names, so it reads back exactly) and redacts it.
    func json(_ value: some Encodable, what: @autoclosure () -> String, encoder: JSONEncoder) throws -> String {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw HistoryError.encoding(what: what(), message: String(describing: error))
        }
        return try redacted(String(decoding: data, as: UTF8.self), what: what())
    }

    /// A JSON document with secrets redacted.
    func redacted(_ text: String, what: @autoclosure () -> String) throws -> String {
        let redacted = redactor(text)
        // A secret that straddled JSON punctuation would leave invalid JSON; refuse to store it.
        if redacted != text, (try? JSONSerialization.jsonObject(with: Data(redacted.utf8), options: [.fragmentsAllowed])) == nil {
            throw HistoryError.encoding(what: what(), message: "redacting secrets produced invalid JSON")
        }
        return redacted
    }

    func decode<T: Decodable>(_ type: T.Type, from text: String, what: @autoclosure () -> String, decoder: JSONDecoder) throws -> T {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw HistoryError.decoding(what: what(), message: String(describing: error))
        }
    }

    /// The row of one case document.
    /// `checked`: the documents' ids and indexes are known to be unique (`CaseDocuments.checkedUnique`); the sets stay empty.
    func row(
        _ document: Data, runID: String, seenIDs: inout Set<String>, seenIndexes: inout Set<Int>, checked: Bool = false
    ) throws -> CaseResultRow {
        let columns: CaseResultRow.Columns
        let tagsJSON: String?
        if let scanned = CaseResultRow.Columns.scan(document) {
            (columns, tagsJSON) = scanned
        } else {
            do {
                columns = try JSONCoding.decoder().decode(CaseResultRow.Columns.self, from: document)
            } catch {
                throw HistoryError.decoding(what: "a case of run \(runID)", message: String(describing: error))
            }
            tagsJSON = nil
        }
        guard checked || seenIDs.insert(columns.id).inserted else {
            throw HistoryError.invalidCases(runID: runID, reason: "case id '\(columns.id)' appears twice")
        }
        guard checked || seenIndexes.insert(columns.index).inserted else {
            throw HistoryError.invalidCases(runID: runID, reason: "case index \(columns.index) appears twice (second: '\(columns.id)')")
        }
        let resultJSON = try redacted(String(decoding: document, as: UTF8.self), what: "case \(columns.id) of run \(runID)")
        let tags =
            try tagsJSON.map { try redacted($0, what: "the tags of case \(columns.id)") }
            ?? json(columns.tags, what: "the tags of case \(columns.id)", encoder: JSONCoding.encoder())
        return CaseResultRow(columns, runID: runID, tags: tags, resultJSON: resultJSON)
    }
}
