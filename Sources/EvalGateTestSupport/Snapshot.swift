import Foundation
import Testing

/// The environment switch that re-records golden files instead of comparing with them.
public let recordSnapshotsVariable = "EVALGATE_RECORD_SNAPSHOTS"

/// Compares `text` with the golden file `Snapshots/NAME` beside the calling test file.
///
/// With `EVALGATE_RECORD_SNAPSHOTS=1` the file is written instead, and the test still records an
/// issue, so a switch left on in CI cannot turn every snapshot test green. A missing golden file is
/// written too (and the test fails): review it in the diff, then run again.
///
/// Golden files end with exactly one newline, so editors and `git diff` treat them as text files.
public func assertSnapshot(
    _ text: String, named name: String, file path: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Snapshots")
    let snapshotPath = (folder as NSString).appendingPathComponent(name)
    let actual = text.hasSuffix("\n") ? text : text + "\n"
    let recording = ProcessInfo.processInfo.environment[recordSnapshotsVariable] == "1"
    let existing = FileManager.default.contents(atPath: snapshotPath).map { String(decoding: $0, as: UTF8.self) }

    if recording || existing == nil {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: URL(fileURLWithPath: snapshotPath), options: .atomic)
        } catch {
            Issue.record("cannot write snapshot \(snapshotPath): \(error)", sourceLocation: sourceLocation)
            return
        }
        let why = recording ? "\(recordSnapshotsVariable)=1 is set" : "there was no snapshot"
        Issue.record(
            "recorded \(snapshotPath) because \(why); review it (git diff), then run the tests again without \(recordSnapshotsVariable)",
            sourceLocation: sourceLocation)
        return
    }
    guard let expected = existing, expected != actual else { return }
    Issue.record(
        """
        \(name) does not match its snapshot (− snapshot, + actual):
        \(SnapshotDiff.render(expected: expected, actual: actual))
        Re-record with \(recordSnapshotsVariable)=1 if the change is intended, and review the diff.
        """,
        sourceLocation: sourceLocation)
}

/// A short line diff for snapshot failures: only changed lines, with their line numbers.
public enum SnapshotDiff {
    public static func render(expected: String, actual: String, limit: Int = 40) -> String {
        let old = expected.components(separatedBy: "\n")
        let new = actual.components(separatedBy: "\n")
        // Removals are numbered by snapshot line, insertions by actual line; sorted together they read in order.
        var changes: [(line: Int, order: Int, text: String)] = []
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, let line, _): changes.append((offset, 0, "− \(offset + 1): \(visible(line))"))
            case .insert(let offset, let line, _): changes.append((offset, 1, "+ \(offset + 1): \(visible(line))"))
            }
        }
        let lines = changes.sorted { ($0.line, $0.order) < ($1.line, $1.order) }.map(\.text)
        let shown = lines.prefix(limit).joined(separator: "\n")
        return lines.count > limit ? shown + "\n… \(lines.count - limit) more changed lines" : shown
    }

    /// Shows control characters and trailing spaces, which otherwise make a diff look empty.
    static func visible(_ line: String) -> String {
        var output = ""
        for scalar in line.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                output += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output.hasSuffix(" ") ? output + "⟵" : output
    }
}
