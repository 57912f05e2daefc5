import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// The dashboard in a real headless Chromium, driven over the DevTools protocol
/// (`Browser/cdp_driver.py`): every page renders (screenshots kept in `ServeFixtures.artifacts`),
/// a reviewer signs in and labels a case and the run's verdict changes, a viewer gets no form, and
/// a case's script never runs.
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    typealias S = ServeFixtures

    struct Driven {
        var steps: [[String: Any]]
        var values: [String: Any]
        var error: String?
    }

    /// Runs `steps` (see cdp_driver.py) in a fresh headless Chromium.
    static func drive(_ steps: [[String: Any]], in folder: TemporaryDirectory) async throws -> Driven {
        let chromium = try HTMLBrowserTests.chromium()
        let driver = RepositoryPaths.path("Tests/EvalGateKitTests/Serving/Browser/cdp_driver.py")
        let input = String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self)
        let tool = CommandLineTool("python3", environment: ["HOME": folder.path])
        var runner = tool
        runner.executable = "/usr/bin/python3"
        let output = try await runner.runDetached(
            [driver, chromium, folder.file("profile-\(UUID().uuidString.prefix(6))")], stdin: input, timeout: 180)
        let object = (try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8))) as? [String: Any] ?? [:]
        let driven = Driven(
            steps: object["steps"] as? [[String: Any]] ?? [], values: object["values"] as? [String: Any] ?? [:],
            error: object["error"] as? String ?? (output.status == 0 ? nil : "driver exited \(output.status): \(output.stderr.suffix(2_000))"))
        return driven
    }

    static func screenshot(_ name: String) -> String {
        (S.artifacts as NSString).appendingPathComponent("\(name).png")
    }

    static let injectedCheck = "document.documentElement.getAttribute('data-injected') || 'none'"

    @Test func everyPageRendersAndScreenshotsAreKept() async throws {
        let folder = TemporaryDirectory(prefix: "evalgate-serve-browser")
        let store = try await S.portfolioStore(in: folder)
        try await S.withDashboard(DashboardHistory(store), credentials: try S.tokens) { server, _ in
            let pages: [(String, String, String)] = [
                ("portfolio", "/", "document.querySelectorAll('#portfolio tbody tr').length"),
                ("agent", "/agents/support-bot", "document.querySelectorAll('#runs tbody tr').length"),
                ("run", "/runs/kb-big?page=2", "document.querySelectorAll('#cases tbody tr').length"),
                ("report", "/runs/support-5/report", "document.documentElement.getAttribute('data-rendered') === 'yes' ? 1 : 0"),
                ("compare", "/runs/support-5/compare", "document.querySelectorAll('#regressed .review-case').length"),
                ("case", "/runs/support-5/cases/case-4", "document.querySelectorAll('#scores tbody tr').length"),
                ("review", "/runs/support-5/review", "document.querySelectorAll('.review-case').length"),
                ("review-queue", "/review", "document.querySelectorAll('#review-queue tbody tr').length"),
                ("login", "/login", "document.querySelectorAll('#login-form input').length"),
            ]
            var steps: [[String: Any]] = []
            for (name, path, count) in pages {
                steps.append(["goto": server.url + path])
                steps.append(["eval": count, "name": name])
                if name == "portfolio" {
                    // The releases waiting for sign-off, each marked with the roles still missing.
                    steps.append([
                        "eval": "Array.from(document.querySelectorAll('#portfolio a.sign-off')).map(a => a.textContent).join('|')",
                        "name": "sign-offs",
                    ])
                }
                steps.append(["screenshot": Self.screenshot(name)])
            }
            let driven = try await Self.drive(steps, in: folder)
            #expect(driven.error == nil, "\(driven.error ?? "")")
            #expect(driven.values["portfolio"] as? Int == 3)
            #expect(
                driven.values["sign-offs"] as? String == "awaiting sign-off: @support-leads|awaiting sign-off: @support-leads",
                "support-bot's and kb-agent's newest releases passed and wait for their tier's approvers")
            #expect(driven.values["agent"] as? Int == 7)
            #expect(driven.values["run"] as? Int == 100)
            #expect(driven.values["report"] as? Int == 1, "the report's own script ran under the server's policy")
            #expect(driven.values["compare"] as? Int == 1)
            #expect((driven.values["case"] as? Int ?? 0) >= 1)
            #expect((driven.values["review"] as? Int ?? 0) >= 1)
            #expect((driven.values["review-queue"] as? Int ?? 0) >= 1)
            #expect((driven.values["login"] as? Int ?? 0) >= 4)
            for (name, _, _) in pages {
                let data = try #require(FileManager.default.contents(atPath: Self.screenshot(name)), "no screenshot of \(name)")
                #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name): not a PNG")
                #expect(data.count > 10_000, "\(name): screenshot is only \(data.count) bytes")
            }
        }
    }

    @Test func aReviewerSignsInLabelsACaseAndTheVerdictChanges() async throws {
        try await withReferenceAgent { agent in
            let folder = TemporaryDirectory(prefix: "evalgate-serve-review")
            let runID = try await S.reviewableRun(agentURL: agent.chatCompletionsURL, in: folder)
            let store = try await HistoryStore.open(path: folder.file("home/history.sqlite"))
            #expect(try await store.run(id: runID)?.verdict == .fail)
            let users = try ServeCredentials.parse(
                """
                ana reviewer \(ServeCredentials.hash(password: "correct horse battery"))
                vic viewer \(ServeCredentials.hash(password: "viewer password"))
                """, path: "users.txt", kind: .users)
            try await S.withDashboard(DashboardHistory(store), credentials: users) { server, _ in
                let review = "\(server.url)/runs/\(runID)/review"
                func signIn(_ user: String, _ password: String) -> [[String: Any]] {
                    [
                        ["goto": "\(server.url)/login"],
                        [
                            "submit":
                                "document.getElementById('user').value = \(Self.js(user)); document.getElementById('secret').value = \(Self.js(password)); document.getElementById('login-form').submit()"
                        ],
                    ]
                }
                // A viewer sees the queue but no form to label with.
                let viewer = try await Self.drive(
                    signIn("vic", "viewer password") + [
                        ["goto": review], ["eval": "document.querySelectorAll('form.label-form').length", "name": "forms"],
                        ["eval": "document.getElementById('signed-in-as').textContent", "name": "who"],
                    ], in: folder)
                #expect(viewer.error == nil, "\(viewer.error ?? "")")
                #expect(viewer.values["forms"] as? Int == 0)
                #expect(viewer.values["who"] as? String == "vic · viewer")

                let label = """
                    (function () {
                      var box = document.getElementById('review-judged-wrong');
                      box.querySelector('input[value=pass]').checked = true;
                      box.querySelector('input[name=note]').value = 'the scorer was mis-written <b>really</b>';
                      box.querySelector('form').submit();
                    })()
                    """
                let reviewer = try await Self.drive(
                    signIn("ana", "wrong password") + [["eval": "document.getElementById('login-error') ? 1 : 0", "name": "refused"]]
                        + signIn("ana", "correct horse battery") + [
                            ["goto": review], ["eval": "document.getElementById('verdict-word').textContent", "name": "before"],
                            ["eval": Self.injectedCheck, "name": "injectedOnReview"],
                            [
                                "eval": "document.querySelector('#review-hostile pre').textContent.indexOf('<script>') >= 0 ? 1 : 0",
                                "name": "shownAsText",
                            ],
                            ["screenshot": Self.screenshot("review-before")], ["submit": label],
                            ["eval": "document.getElementById('verdict-word').textContent", "name": "after"],
                            ["eval": "document.getElementById('kappa').textContent", "name": "kappa"],
                            ["eval": "document.getElementById('notice').textContent", "name": "notice"],
                            ["screenshot": Self.screenshot("review-after")],
                            ["goto": "\(server.url)/runs/\(runID)/cases/hostile"], ["eval": Self.injectedCheck, "name": "injectedOnCase"],
                            ["goto": "\(server.url)/runs/\(runID)/report"], ["eval": Self.injectedCheck, "name": "injectedOnReport"],
                        ], in: folder)
                #expect(reviewer.error == nil, "\(reviewer.error ?? "")")
                #expect(reviewer.values["refused"] as? Int == 1, "a wrong password is refused")
                #expect(reviewer.values["before"] as? String == "fail")
                #expect(reviewer.values["after"] as? String == "pass", "labelling the wrongly failed case passes the run")
                #expect((reviewer.values["notice"] as? String)?.contains("judged-wrong") == true)
                #expect(reviewer.values["kappa"] as? String != nil)
                #expect(reviewer.values["shownAsText"] as? Int == 1, "the hostile input is shown as text")
                for key in ["injectedOnReview", "injectedOnCase", "injectedOnReport"] {
                    #expect(reviewer.values[key] as? String == "none", "\(key): a case's script ran")
                }
            }
            let record = try #require(try await store.run(id: runID))
            #expect(record.verdict == .pass)
            #expect(record.humanReview?.overridden == ["judged-wrong"])
            let labels = try await store.reviewLabels(runID: runID)
            #expect(labels.map(\.reviewer) == ["ana"])
            #expect(labels.first?.note == "the scorer was mis-written <b>really</b>")
            let audit = try await store.auditLog(agent: "kb-agent")
            #expect(audit.contains { $0.actor == "ana" && $0.event == .reviewLabelRecorded }, "the label's audit entry names ana")
            #expect(audit.contains { $0.actor == "ana" && $0.event == .runRedecided }, "the re-decision's audit entry names ana")
        }
    }

    static func js(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
    }
}
