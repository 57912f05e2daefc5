import ArgumentParser
import EvalGateKit
import Foundation

/// `--format` of the commands that print a table: the table for people, or JSON for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Prints `value` as pretty JSON on standard output, in the project's one JSON style.
func printJSON(_ value: some Encodable) throws {
    print(String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self))
}
