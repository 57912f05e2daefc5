import EvalGateTestSupport
import Foundation
import Testing

@testable import EvalGateKit

/// Opens the HTML report in a real headless Chromium: our script runs, no case's script does, and
/// the page renders to a picture. CI installs Chromium (Debian package `chromium`); without it these
/// tests fail rather than pass unseen.
@Suite("HTML report in a browser", .serialized)
struct HTMLBrowserTests {
    typealias Fixtures = HTMLReportFixtures

    /// A Chromium on PATH, or the reason the test cannot run.
    static func chromium() throws -> String {
        let names = ["chromium", "chromium-browser"]
        let folders =
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + [
                "/usr/bin", "/usr/lib/chromium",
            ]
        for name in names {
            for folder in folders {
                let path = (folder as NSString).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        Issue.record("No Chromium found (looked for \(names.joined(separator: ", ")) on PATH). Install it: apt-get install -y chromium")
        throw BrowserMissing()
    }

    struct BrowserMissing: Error {}

    /// The `<html …>` start tag of a dumped DOM, where the marker attributes live.
    static func rootTag(_ dom: String) -> String {
        guard let start = dom.range(of: "<html"), let end = dom.range(of: ">", range: start.upperBound..<dom.endIndex) else { return "" }
        return String(dom[start.lowerBound..<end.upperBound])
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs headless Chromium on `file` with its own profile folder, killed after `timeout` seconds.
    static func runChromium(_ arguments: [String], file: String, in folder: TemporaryDirectory, timeout: Double = 90) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try chromium())
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--user-data-dir=\(folder.file("profile"))",
            ] + arguments + [URL(fileURLWithPath: file).absoluteString]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.path
        process.environment = environment
        let out = folder.write("chromium-\(UUID().uuidString).out", "")
        let err = folder.write("chromium-\(UUID().uuidString).err", "")
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            Issue.record("Chromium ran longer than \(Int(timeout)) s")
        }
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// The page for a realistic run with hostile answers and a history, written to a file.
    static func writePage(_ folder: TemporaryDirectory, transform: (String) -> String = { $0 }) -> String {
        let cases = Fixtures.cases(count: 60)
        let context = Fixtures.context(Fixtures.record(cases: cases), trend: Fixtures.trend(count: 6))
        return folder.write("report.html", transform(HTMLReport.render(context: context, cases: cases)))
    }

    @Test func ourScriptRunsAndNoCaseScriptDoes() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-html")
        let page = Self.writePage(folder)
        let run = try Self.runChromium(["--dump-dom", "--virtual-time-budget=3000"], file: page, in: folder)
        #expect(run.status == 0, "chromium: \(run.stderr.suffix(2_000))")
        let dom = run.stdout
        #expect(Self.rootTag(dom).contains("data-rendered=\"yes\""), "our script did not run")
        #expect(!Self.rootTag(dom).contains("data-injected"), "a case's script ran")
        #expect(!dom.contains("data-injected=\"yes\""), "a case's script ran")
        #expect(dom.contains("<div class=\"filters\" id=\"filters\">"), "the filter controls were not shown")
        #expect(dom.contains("60 of 60 listed cases shown"))
        #expect(dom.contains("id=\"chart-tags\""))
    }

    @Test func theContentSecurityPolicyStopsAScriptThatEscapingMissed() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-html")
        // Simulate an escaping bug: a raw case script and handler land in the body.
        let page = Self.writePage(folder) { html in
            html.replacingOccurrences(
                of: "<main>",
                with: "<main><script>\(Fixtures.injected)</script><img src=\"data:,x\" onerror=\"\(Fixtures.injected)\">")
        }
        let run = try Self.runChromium(["--dump-dom", "--virtual-time-budget=3000"], file: page, in: folder)
        #expect(run.status == 0, "chromium: \(run.stderr.suffix(2_000))")
        #expect(Self.rootTag(run.stdout).contains("data-rendered=\"yes\""))
        #expect(!Self.rootTag(run.stdout).contains("data-injected"), "the policy let an injected script run")
        #expect(!run.stdout.contains("data-injected=\"yes\""), "the policy let an injected script run")
    }

    /// `--dump-dom` itself needs JavaScript, so "scripts off" is had by taking the nonce off our
    /// script: the policy then blocks it, as a browser with scripts disabled would not run it.
    @Test func thePageIsReadableWithoutItsScript() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-html")
        let page = Self.writePage(folder) { html in
            html.replacingOccurrences(of: #"<script nonce="[^"]*">"#, with: "<script>", options: .regularExpression)
        }
        let run = try Self.runChromium(["--dump-dom", "--virtual-time-budget=3000"], file: page, in: folder)
        #expect(run.status == 0, "chromium: \(run.stderr.suffix(2_000))")
        #expect(!Self.rootTag(run.stdout).contains("data-rendered"))
        #expect(run.stdout.contains("id=\"chart-tags\""))
        #expect(run.stdout.htmlCount(of: "<tbody class=\"case ") == 60)
        #expect(run.stdout.contains("<div class=\"filters\" id=\"filters\" hidden=\"\">"))
    }

    /// Drives the filter controls from a second script allowed by the page's nonce, and records what
    /// stayed visible on the root element for the dumped DOM to show.
    @Test func filtersHideRowsByStatusTagAndText() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-html")
        let cases = Fixtures.cases(count: 60)
        let nonce = "ZmlsdGVyLXRlc3Q="
        let html = HTMLReport(context: Fixtures.context(Fixtures.record(cases: cases)), nonce: nonce).page(cases: cases).text
        let driver = """
            <script nonce="\(nonce)">
            (function () {
              var root = document.documentElement;
              var bodies = document.getElementById("case-table").tBodies;
              var visible = function () { return Array.prototype.filter.call(bodies, function (b) { return !b.hidden; }).length; };
              var set = function (id, value, event) { var c = document.getElementById(id); c.value = value; c.dispatchEvent(new Event(event)); };
              set("filter-status", "error", "change");
              root.dataset.byStatus = String(visible());
              set("filter-status", "", "change");
              var tag = document.getElementById("filter-tag");
              set("filter-tag", tag.options[1].value, "change");
              root.dataset.byTag = String(visible());
              set("filter-status", "failed", "change");
              root.dataset.byTagAndStatus = String(visible());
              set("filter-status", "", "change");
              set("filter-tag", "", "change");
              set("filter-text", "CASE-013", "input");
              root.dataset.byText = String(visible());
              root.dataset.counter = document.getElementById("filter-count").textContent;
            })();
            </script>
            """
        let page = folder.write("report.html", html.replacingOccurrences(of: "</body>", with: driver + "</body>"))
        let run = try Self.runChromium(["--dump-dom", "--virtual-time-budget=3000"], file: page, in: folder)
        #expect(run.status == 0, "chromium: \(run.stderr.suffix(2_000))")
        let root = Self.rootTag(run.stdout)
        let firstTag = try #require(Set(cases.flatMap(\.tags)).sorted().first)
        #expect(firstTag == Fixtures.hostileTag)
        let tagged = cases.filter { $0.tags.contains(firstTag) }
        #expect(root.contains("data-by-status=\"\(cases.filter { $0.status == .error }.count)\""), "\(root)")
        #expect(root.contains("data-by-tag=\"\(tagged.count)\""), "\(root)")
        #expect(root.contains("data-by-tag-and-status=\"\(tagged.filter { $0.status == .failed }.count)\""), "\(root)")
        #expect(root.contains("data-by-text=\"1\""), "\(root)")
        #expect(root.contains("data-counter=\"1 of 60 listed cases shown\""), "\(root)")
        #expect(!run.stdout.contains("data-injected=\"yes\""))
    }

    @Test func screenshotAt1280PixelsWide() throws {
        let folder = TemporaryDirectory(prefix: "evalgate-html")
        let page = Self.writePage(folder)
        let screenshot = folder.file("report.png")
        let run = try Self.runChromium(
            ["--screenshot=\(screenshot)", "--window-size=1280,2000", "--hide-scrollbars", "--virtual-time-budget=3000"], file: page, in: folder)
        #expect(run.status == 0, "chromium: \(run.stderr.suffix(2_000))")
        let data = try #require(FileManager.default.contents(atPath: screenshot), "no screenshot written")
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(data.count > 50_000, "screenshot is only \(data.count) bytes")
        // Keep a copy for a person to look at: EVALGATE_SCREENSHOT=/path/report.png swift test --filter HTMLBrowser
        if let keep = ProcessInfo.processInfo.environment["EVALGATE_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: screenshot, toPath: keep)
            try? FileManager.default.removeItem(atPath: keep + ".html")
            try FileManager.default.copyItem(atPath: page, toPath: keep + ".html")
        }
    }
}
