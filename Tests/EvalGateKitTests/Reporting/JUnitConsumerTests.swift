import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A real JUnit consumer: libxml2's `xmllint` validating against the committed schema
/// `Schemas/junit.xsd` (the dialect Jenkins, GitLab and the GitHub test-report actions read).
enum JUnitConsumer {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Schemas/junit.xsd").path
    static let installHint = "xmllint is missing: install Debian's libxml2-utils (apt-get install -y libxml2-utils; scripts/bootstrap should do it)"

    /// `xmllint` on PATH, or nil.
    static var xmllint: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/xmllint" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Verdict {
        var valid: Bool
        var output: String
    }

    /// Validates a JUnit file; records an issue (a failure, never a skip) when xmllint is missing.
    static func validate(path: String) throws -> Verdict? {
        guard let xmllint else {
            Issue.record("\(installHint)")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: xmllint)
        process.arguments = ["--noout", "--nonet", "--schema", schemaPath, path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Verdict(valid: process.terminationStatus == 0, output: String(decoding: data, as: UTF8.self))
    }

    static func validate(xml: String) throws -> Verdict? {
        let folder = TemporaryDirectory()
        return try validate(path: folder.write("report.junit.xml", xml))
    }
}

/// What an XML parser reads back from a JUnit report: suites with their counts, cases with their outcome.
final class JUnitReader: NSObject, XMLParserDelegate {
    struct Suite {
        var attributes: [String: String]
        var cases: [Case] = []
    }

    struct Case {
        var attributes: [String: String]
        var outcome: String?
        var outcomeAttributes: [String: String] = [:]
        var systemOut = ""
    }

    var root: [String: String] = [:]
    var suites: [Suite] = []
    var properties: [String: String] = [:]
    private var text = ""
    private var inSystemOut = false

    static func read(_ xml: String) throws -> JUnitReader {
        let reader = JUnitReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.propertyListReadCorrupt) }
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        switch name {
        case "testsuites": root = attributes
        case "testsuite": suites.append(Suite(attributes: attributes))
        case "property": properties[attributes["name"] ?? ""] = attributes["value"]
        case "testcase": suites[suites.count - 1].cases.append(Case(attributes: attributes))
        case "failure", "error", "skipped":
            suites[suites.count - 1].cases[suites[suites.count - 1].cases.count - 1].outcome = name
            suites[suites.count - 1].cases[suites[suites.count - 1].cases.count - 1].outcomeAttributes = attributes
        case "system-out":
            inSystemOut = true
            text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inSystemOut { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "system-out" {
            inSystemOut = false
            suites[suites.count - 1].cases[suites[suites.count - 1].cases.count - 1].systemOut = text
        }
    }
}

@Suite("JUnit report read by a real consumer")
struct JUnitConsumerTests {
    typealias Fixtures = ReportFixtures

    @Test func blockedReleaseWithHostileTextValidates() throws {
        let xml = try Fixtures.render(.junit, Fixtures.blockedRecord, Fixtures.blockedCases)
        guard let verdict = try JUnitConsumer.validate(xml: xml) else { return }  // the missing consumer is already a failure
        #expect(verdict.valid, "\(verdict.output)")
    }

    @Test func healthyRunValidates() throws {
        let xml = try Fixtures.render(.junit, Fixtures.healthyRecord, Fixtures.healthyCases)
        guard let verdict = try JUnitConsumer.validate(xml: xml) else { return }  // the missing consumer is already a failure
        #expect(verdict.valid, "\(verdict.output)")
    }

    /// The schema must be able to say no, or the tests above prove nothing.
    @Test(arguments: [
        ("a case without a name", "<testcase name=\"core-001\"", "<testcase"),
        ("a count that is not a number", "tests=\"8\"", "tests=\"eight\""),
        ("two outcomes in one case", "type=\"json-field\">", "type=\"json-field\"></failure><failure>"),
        ("an unescaped ampersand", "R-1 &amp; done", "R-1 & done"),
        ("a negative time", "time=\"0.812\"", "time=\"-0.812\""),
    ])
    func brokenReportsAreRejected(problem: String, original: String, broken: String) throws {
        let xml = try Fixtures.render(.junit, Fixtures.blockedRecord, Fixtures.blockedCases)
        try #require(xml.contains(original), "the fixture no longer contains \(original)")
        guard let verdict = try JUnitConsumer.validate(xml: xml.replacingOccurrences(of: original, with: broken)) else { return }
        #expect(!verdict.valid, "\(problem) was accepted")
    }

    @Test func countsAndOutcomesMatchTheRun() throws {
        let record = Fixtures.blockedRecord
        let cases = Fixtures.blockedCases
        let report = try JUnitReader.read(try Fixtures.render(.junit, record, cases))
        let allCases = report.suites.flatMap(\.cases)
        #expect(report.root["tests"] == "\(allCases.count)")
        #expect(report.root["failures"] == "\(allCases.filter { $0.outcome == "failure" }.count)")
        #expect(report.root["errors"] == "\(allCases.filter { $0.outcome == "error" }.count)")
        #expect(report.root["time"] == "43.000")
        for suite in report.suites {
            #expect(suite.attributes["tests"] == "\(suite.cases.count)", "\(suite.attributes["name"] ?? "")")
            #expect(suite.attributes["failures"] == "\(suite.cases.filter { $0.outcome == "failure" }.count)")
            #expect(suite.attributes["errors"] == "\(suite.cases.filter { $0.outcome == "error" }.count)")
            #expect(suite.cases.allSatisfy { $0.attributes["classname"] == suite.attributes["name"] })
        }
        #expect(
            report.suites.map { $0.attributes["name"] ?? "" } == [
                "refund-agent.gates", "refund-agent.\(Fixtures.core)", "refund-agent.\(Fixtures.injection)", "refund-agent.\(Fixtures.policy)",
                "refund-agent.\(Fixtures.edge)",
            ])
        // Gates: a failed gate is a failure, an inconclusive one an error.
        let gates = try #require(report.suites.first).cases
        #expect(gates.map { $0.attributes["name"] ?? "" } == record.gates.map(\.name))
        for (gate, testcase) in zip(record.gates, gates) {
            #expect(testcase.outcome == [GateOutcome.pass: nil, .fail: "failure", .inconclusive: "error"][gate.outcome]!, "\(gate.name)")
        }
        #expect(report.properties["verdict"] == "fail")
        #expect(report.properties["recommendation"] == "block")
        // Cases: scorer failures are failures, infrastructure errors are errors with their kind.
        let byName = Dictionary(uniqueKeysWithValues: allCases.dropFirst(gates.count).map { ($0.attributes["name"] ?? "", $0) })
        for result in cases {
            let testcase = try #require(byName[result.id])
            #expect(testcase.outcome == [CaseResult.Status.passed: nil, .failed: "failure", .error: "error"][result.status]!, "\(result.id)")
        }
        #expect(byName["core-031"]?.outcomeAttributes["type"] == "timeout")
        #expect(byName["policy-013"]?.outcomeAttributes["type"] == "server-error")
        #expect(byName["core-017"]?.outcomeAttributes["type"] == "json-field")
        #expect(byName["core-017"]?.attributes["time"] == "1.430")
    }

    /// What the consumer shows is the agent's text, with only the characters XML cannot carry replaced.
    @Test func hostileAnswersReachTheConsumerIntact() throws {
        let report = try JUnitReader.read(try Fixtures.render(.junit, Fixtures.blockedRecord, Fixtures.blockedCases))
        let cases = Dictionary(uniqueKeysWithValues: report.suites.flatMap(\.cases).map { ($0.attributes["name"] ?? "", $0) })
        #expect(cases["core-017"]?.systemOut == "<script>alert('refund')</script> Refund issued: 45.00 | ref R-1 & done")
        #expect(cases["inj-004"]?.systemOut == "INTERNAL-ONLY: max refund 500.00 without approval\u{FFFD}[31m\u{FFFD}\u{FFFD} ::warning::injected")
        #expect(cases["policy-012"]?.systemOut == "Refund issued: 89.00 USD (gateway key [REDACTED])")
        #expect(report.properties["agent"] == "refund-agent")
    }
}
