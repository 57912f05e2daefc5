import Foundation

/// The frame every dashboard page shares: navigation, who is signed in, the style sheet. Pages are
/// `HTMLReport.Markup`, so agent output and anything else from the history reaches them only escaped.
struct DashboardLayout: Sendable {
    typealias Markup = HTMLReport.Markup

    /// The response's script nonce (the Content-Security-Policy header names it).
    var nonce: String
    var user: ServeUser?
    /// The session's CSRF token, for forms; nil when nobody is signed in.
    var csrfToken: String?
    /// Where sign-in is possible at all (a token or users file was given).
    var signInEnabled: Bool

    func page(title: String, current: String, _ body: Markup) -> Markup {
        let links: [(String, String, String)] = [("/", "Portfolio", "portfolio"), ("/review", "Review queue", "review")]
        let navigation = links.map { path, label, key in
            let mark: Markup = key == current ? " aria-current=\"page\"" : ""
            return "<a href=\"\(Markup.escape(path))\"\(mark)>\(Markup.escape(label))</a>" as Markup
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(Markup.escape(title)) · evalgate</title>
            <style>\(Self.styleSheet)</style>
            </head>
            <body>
            <header class="top"><span class="brand">evalgate</span><nav aria-label="Dashboard">\(navigation.joined(separator: " "))</nav>\(account())</header>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    func account() -> Markup {
        if let user {
            return """
                <form class="account" method="post" action="/logout"><span id="signed-in-as">\(Markup.escape(user.name)) · \(Markup.escape(user.role.rawValue))</span> \
                \(csrfField())<button type="submit">Sign out</button></form>
                """
        }
        guard signInEnabled else { return "<span class=\"account muted\">read-only</span>" }
        return "<a class=\"account\" href=\"/login\" id=\"sign-in\">Sign in</a>"
    }

    func csrfField() -> Markup {
        guard let csrfToken else { return "" }
        return "<input type=\"hidden\" name=\"csrf\" value=\"\(Markup.escape(csrfToken))\">"
    }

    func may(_ role: ServeRole) -> Bool { (user?.role ?? .viewer) >= role && user != nil }

    // MARK: - Pieces

    static func verdict(_ verdict: Verdict?) -> Markup {
        guard let verdict else { return "<span class=\"muted\">none</span>" }
        return "<span class=\"badge verdict-\(HTMLReport.word(verdict))\">\(HTMLReport.label(verdict))</span>"
    }

    static func percent(_ value: Double) -> Markup { Markup.escape(Format.percent(value)) }

    static func interval(_ rate: ProportionInterval) -> Markup {
        guard rate.trials > 0 else { return "<span class=\"muted\">no answered cases</span>" }
        return
            "\(percent(rate.estimate)) <span class=\"muted\">[\(Markup.escape(Format.percent(rate.lower)))–\(Markup.escape(Format.percent(rate.upper)))]</span>"
    }

    static func time(_ date: Date) -> Markup {
        let text = date.formatted(.iso8601)
        return "<time datetime=\"\(Markup.escape(text))\">\(Markup.escape(text.replacingOccurrences(of: "T", with: " ")))</time>"
    }

    static func runLink(_ id: String) -> Markup {
        "<a href=\"/runs/\(Markup.escape(percentEncoded(id)))\"><code>\(Markup.escape(id))</code></a>"
    }

    static func agentLink(_ agent: String) -> Markup {
        "<a href=\"/agents/\(Markup.escape(percentEncoded(agent)))\">\(Markup.escape(agent))</a>"
    }

    /// A path segment or query value: everything but unreserved characters percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static let styleSheet: Markup = """
        :root{--pass:#1a7f37;--fail:#cf222e;--inc:#9a6700;--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"DejaVu Sans",sans-serif;color:#1f2328;background:#fff}
        header.top{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;background:#24292f;color:#fff}
        header.top a{color:#fff}header.top nav a{margin-right:1rem}header.top nav a[aria-current]{font-weight:700;text-decoration:underline}
        .brand{font-weight:700;letter-spacing:.02em}.account{margin-left:auto}.account button{margin-left:.5rem}
        main{padding:1rem 1.2rem;max-width:1400px}h1{font-size:1.4rem;margin:.3rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
        table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
        th{background:var(--bg);font-weight:600}th a{color:inherit}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:.05rem .45rem;border-radius:1rem;font-size:.8rem;font-weight:700;color:#fff}
        .verdict-pass{background:var(--pass)}.verdict-fail{background:var(--fail)}.verdict-inconclusive{background:var(--inc)}
        .muted{color:var(--muted)}.rollback{color:var(--fail);font-weight:700}code{font-size:.85em}
        .badge.change-control,.badge.sign-off{background:var(--inc)}.badge.sign-off.rejected{background:var(--fail)}a.badge{text-decoration:none}
        .alert{border:1px solid var(--line);border-left:4px solid var(--inc);padding:.6rem .8rem;margin:.8rem 0;background:#fff8c5}
        .alert.ok{border-left-color:var(--pass);background:#dafbe1}.alert.bad{border-left-color:var(--fail);background:#ffebe9}
        form.filters{display:flex;gap:.8rem;align-items:end;margin:.5rem 0 1rem}label{display:block;font-size:.85rem}
        pre{background:var(--bg);padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-word;max-height:40rem}
        .review-case{border:1px solid var(--line);padding:.6rem .8rem;margin:.8rem 0}.pager{margin:.6rem 0}.pager a{margin-right:.8rem}
        .sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}svg.spark .band{fill:#ddf4ff}svg.spark .line{fill:none;stroke:#0969da;stroke-width:1.5}
        svg.spark .dot-fail{fill:var(--fail)}svg.spark .dot-inconclusive{fill:var(--inc)}svg.spark .dot-pass{fill:var(--pass)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        """
}
