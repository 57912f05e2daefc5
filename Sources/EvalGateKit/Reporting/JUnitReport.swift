/// JUnit XML for CI test panels: a test case per golden case grouped by dataset (scorer failures as
/// failures, infrastructure errors as errors) and a suite for the gates.
public enum JUnitReport {
    /// Escapes text for XML 1.0, replacing characters XML cannot carry at all.
    public static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\n", "\r", "\t": output.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || (0xD800...0xDFFF).contains(value) || value == 0xFFFE || value == 0xFFFF {
                    output += "\u{FFFD}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    static func seconds(_ milliseconds: Double) -> String { String(format: "%.3f", milliseconds / 1000) }

    public static func render(_ record: RunRecord, cases: [CaseResult]) -> String {
        var datasets: [String] = []
        var byDataset: [String: [CaseResult]] = [:]
        for result in cases {
            if byDataset[result.dataset] == nil { datasets.append(result.dataset) }
            byDataset[result.dataset, default: []].append(result)
        }
        let gateFailures = record.gates.filter { $0.outcome == .fail }.count
        let gateErrors = record.gates.filter { $0.outcome == .inconclusive }.count
        let totalFailures = cases.filter { $0.status == .failed }.count + gateFailures
        let totalErrors = cases.filter { $0.status == .error }.count + gateErrors
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"\(escape("evalgate \(record.pipeline)"))\" tests=\"\(cases.count + record.gates.count)\" failures=\"\(totalFailures)\" errors=\"\(totalErrors)\" time=\"\(String(format: "%.3f", record.endedAt.timeIntervalSince(record.startedAt)))\">\n"
        let suitePrefix = record.pipeline
        xml +=
            "  <testsuite name=\"\(escape("\(suitePrefix).gates"))\" tests=\"\(record.gates.count)\" failures=\"\(gateFailures)\" errors=\"\(gateErrors)\" skipped=\"0\" time=\"0\">\n"
        xml += "    <properties>\n"
        for (name, value) in [
            ("agent", record.agent), ("version", record.version), ("tier", "\(record.tier)"), ("mode", record.mode.rawValue),
            ("verdict", record.verdict.rawValue), ("recommendation", record.recommendation.action.rawValue), ("run", record.id),
        ] {
            xml += "      <property name=\"\(escape(name))\" value=\"\(escape(value))\"/>\n"
        }
        xml += "    </properties>\n"
        for gate in record.gates {
            xml += "    <testcase name=\"\(escape(gate.name))\" classname=\"\(escape("\(suitePrefix).gates"))\" time=\"0\">\n"
            let detail = escape("\(gate.measured) vs \(gate.threshold): \(gate.sentence)")
            switch gate.outcome {
            case .pass: break
            case .fail: xml += "      <failure message=\"\(escape(gate.sentence))\" type=\"gate-failed\">\(detail)</failure>\n"
            case .inconclusive: xml += "      <error message=\"\(escape(gate.sentence))\" type=\"gate-inconclusive\">\(detail)</error>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n"
        for dataset in datasets {
            let results = byDataset[dataset]!
            let failures = results.filter { $0.status == .failed }.count
            let errors = results.filter { $0.status == .error }.count
            let time = results.map(\.latencyMilliseconds).reduce(0, +)
            let suite = "\(suitePrefix).\(dataset)"
            xml +=
                "  <testsuite name=\"\(escape(suite))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" time=\"\(seconds(time))\">\n"
            for result in results {
                xml += "    <testcase name=\"\(escape(result.id))\" classname=\"\(escape(suite))\" time=\"\(seconds(result.latencyMilliseconds))\">\n"
                switch result.status {
                case .passed: break
                case .failed:
                    let failing = result.scores.filter { !$0.passed }
                    let body = failing.map { "\($0.scorer): \($0.reason)" }.joined(separator: "\n")
                    xml +=
                        "      <failure message=\"\(escape(String(result.headline.prefix(500))))\" type=\"\(escape(failing.first?.scorer ?? "score"))\">\(escape(body))</failure>\n"
                case .error:
                    xml +=
                        "      <error message=\"\(escape(String((result.error?.message ?? "no answer").prefix(500))))\" type=\"\(escape(result.error?.kind.rawValue ?? "error"))\">\(escape("attempts: \(result.attempts)\n\(result.error?.description ?? "")"))</error>\n"
                }
                if let answer = result.answer {
                    xml += "      <system-out>\(escape(String(answer.text.prefix(4000))))</system-out>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }
}
