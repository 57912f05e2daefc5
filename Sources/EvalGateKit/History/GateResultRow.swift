import GRDB

/// One row of the `gate_result` table: one gate of a run, in report order, so gate outcomes can be
/// queried across runs without decoding run records.
struct GateResultRow: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "gate_result"

    var runID: String
    var position: Int
    var name: String
    var outcome: String
    var measured: String
    var threshold: String
    var measuredValue: Double?
    var thresholdValue: Double?
    var sentence: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case position, name, outcome, measured, threshold
        case measuredValue = "measured_value"
        case thresholdValue = "threshold_value"
        case sentence
    }

    init(_ gate: GateResult, runID: String, position: Int) {
        self.runID = runID
        self.position = position
        name = gate.name
        outcome = gate.outcome.rawValue
        measured = gate.measured
        threshold = gate.threshold
        measuredValue = gate.measuredValue
        thresholdValue = gate.thresholdValue
        sentence = gate.sentence
    }
}
