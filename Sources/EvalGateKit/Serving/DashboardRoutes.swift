import Foundation
import Hummingbird

/// The dashboard's pages and actions. Reads go through `DashboardHistory` (any `RunHistory`);
/// labels and approvals need a signed-in user with the role for it and the session's CSRF token,
/// and are recorded under that user's name, so the audit log says who did what in the browser.
struct DashboardRoutes: Sendable {
    typealias Markup = HTMLReport.Markup
    typealias Context = DashboardContext

    let history: DashboardHistory
    let sessions: ServeSessions
    let credentials: ServeCredentials
    let loader: PipelineLoader
    let pageSize: Int
    let secureCookies: Bool
    let trendLength: Int

    static let loginCSRFCookie = "evalgate_login_csrf"

    var signInEnabled: Bool { !credentials.isEmpty }

    func register(on router: Router<Context>) {
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: "ok")))
        }
        router.get("/") { request, context in try await portfolio(request, context) }
        router.get("agents/:agent") { request, context in try await agent(request, context) }
        router.get("runs/:run") { request, context in try await run(request, context) }
        router.get("runs/:run/report") { request, context in try await report(request, context) }
        router.get("runs/:run/compare") { request, context in try await compare(request, context) }
        router.get("runs/:run/cases/:case") { request, context in try await caseDetail(request, context) }
        router.get("runs/:run/review") { request, context in try await review(request, context) }
        router.post("runs/:run/review") { request, context in try await label(request, context) }
        router.post("runs/:run/approve") { request, context in try await approve(request, context) }
        router.get("review") { request, context in try await reviewQueue(request, context) }
        router.get("login") { request, context in loginPage(request, context, error: nil) }
        router.post("login") { request, context in try await login(request, context) }
        router.post("logout") { request, context in try await logout(request, context) }
        router.get("metrics") { _, _ in
            let agents = try await history.read { try await $0.portfolio(trendLength: trendLength) }
            return Response(
                status: .ok, headers: [.contentType: DashboardMetrics.contentType],
                body: .init(byteBuffer: .init(bytes: DashboardMetrics.exposition(agents))))
        }
    }

    // MARK: - Pages

    func layout(_ context: Context) -> DashboardLayout {
        DashboardLayout(nonce: context.nonce, user: context.user, csrfToken: context.session?.csrfToken, signInEnabled: signInEnabled)
    }

    static func html(_ markup: Markup, status: Int = 200, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: .init(string: markup.text)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    func parameter(_ name: String, _ context: Context) throws -> String {
        guard let raw = context.parameters.get(name), let value = raw.removingPercentEncoding, !value.isEmpty else {
            throw DashboardError.badRequest("missing \(name)")
        }
        return value
    }

    func query(_ name: String, _ request: Request) -> String? {
        // Hummingbird has percent-decoded query values already.
        let value = request.uri.queryParameters.get(name)
        return value?.isEmpty == false ? value : nil
    }

    func pageNumber(_ request: Request) throws -> Int {
        guard let text = query("page", request) else { return 1 }
        guard let page = Int(text), page >= 1, page <= 10_000_000 else {
            throw DashboardError.badRequest("page must be a number from 1, found '\(text)'")
        }
        return page
    }

    func record(_ id: String) async throws -> RunRecord {
        guard let record = try await history.read({ try await $0.run(id: id) }) else {
            throw DashboardError.notFound("no run '\(id)' in the history")
        }
        return record
    }

    func portfolio(_ request: Request, _ context: Context) async throws -> Response {
        let sortText = query("sort", request) ?? PortfolioPage.Sort.worst.rawValue
        guard let sort = PortfolioPage.Sort(rawValue: sortText) else {
            throw DashboardError.badRequest(
                "unknown sort '\(sortText)'; one of \(PortfolioPage.Sort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var tier: Int?
        if let text = query("tier", request) {
            guard let value = Int(text) else { throw DashboardError.badRequest("tier must be a number, found '\(text)'") }
            tier = value
        }
        let agents = try await history.read { [trendLength] in try await $0.portfolio(trendLength: trendLength) }
        return Self.html(PortfolioPage(agents: agents, sort: sort, owner: query("owner", request), tier: tier).render(layout: layout(context)))
    }

    func agent(_ request: Request, _ context: Context) async throws -> Response {
        let agent = try parameter("agent", context)
        let (runs, deployments, knownGood) = try await history.read { history in
            (
                try await history.runs(agent: agent, pipeline: nil, verdict: nil, limit: 200),
                try await history.deployments(agent: agent, environment: nil, limit: 200),
                try await history.knownGoodVersions(agent: agent)
            )
        }
        guard !runs.isEmpty || !deployments.isEmpty else { throw DashboardError.notFound("no agent '\(agent)' in the history") }
        return Self.html(AgentPage(agent: agent, runs: runs, deployments: deployments, knownGood: knownGood).render(layout: layout(context)))
    }

    func statusFilter(_ request: Request) throws -> CaseResult.Status? {
        guard let text = query("status", request) else { return nil }
        guard let status = CaseResult.Status(rawValue: text) else { throw DashboardError.badRequest("unknown case status '\(text)'") }
        return status
    }

    func run(_ request: Request, _ context: Context) async throws -> Response {
        let record = try await record(try parameter("run", context))
        let status = try statusFilter(request)
        let page = try pageNumber(request)
        let query = CaseQuery(status: status, offset: (page - 1) * pageSize, limit: pageSize)
        let (cases, approvals, labels) = try await history.read { history in
            (
                try await history.casePage(runID: record.id, query: query), try await history.approvals(runID: record.id),
                try await history.reviewLabels(runID: record.id)
            )
        }
        let notice = self.query("approved", request) != nil ? "Approval recorded." : nil
        return Self.html(
            RunPage(record: record, page: cases, pageSize: pageSize, status: status, approvals: approvals, labels: labels, notice: notice).render(
                layout: layout(context)))
    }

    func report(_ request: Request, _ context: Context) async throws -> Response {
        let record = try await record(try parameter("run", context))
        let limit = HTMLReport.defaultCaseRowLimit
        let query = CaseQuery(offset: (try pageNumber(request) - 1) * limit, limit: limit)
        let (page, trend, shown) = try await history.read { history in
            (
                try await history.casePage(runID: record.id, query: query), try await history.recentRuns(pipeline: record.pipeline, limit: 14),
                // The sign-offs in force now, as `evalgate report` shows them (docs/signoff.md).
                try await ReleaseReview.withSignOffsInForce(record, history: history)
            )
        }
        let report = HTMLReport(context: ReportContext(record: shown, redactor: .none, trend: trend), nonce: context.nonce, caseRowLimit: limit)
        return Self.html(report.page(cases: page.cases))
    }

    func cases(_ ids: [String], of runID: String) async throws -> [String: CaseResult] {
        try await history.read { history in
            var found: [String: CaseResult] = [:]
            for id in ids {
                if let result = try await history.casePage(runID: runID, query: CaseQuery(caseID: id, limit: 1)).cases.first { found[id] = result }
            }
            return found
        }
    }

    func compare(_ request: Request, _ context: Context) async throws -> Response {
        let record = try await record(try parameter("run", context))
        var regressed: [(String, CaseResult?, CaseResult?)] = []
        var fixed: [(String, CaseResult?, CaseResult?)] = []
        if let baseline = record.baseline {
            let ids = Array(baseline.regressedCases.prefix(50)) + Array(baseline.fixedCases.prefix(50))
            let mine = try await cases(ids, of: record.id)
            let theirs: [String: CaseResult]
            if let baselineID = baseline.baselineRunID, (try? await history.read({ try await $0.run(id: baselineID) })) != nil {
                theirs = try await cases(ids, of: baselineID)
            } else {
                theirs = [:]
            }
            regressed = baseline.regressedCases.prefix(50).map { ($0, theirs[$0], mine[$0]) }
            fixed = baseline.fixedCases.prefix(50).map { ($0, theirs[$0], mine[$0]) }
        }
        return Self.html(ComparePage(record: record, regressed: regressed, fixed: fixed).render(layout: layout(context)))
    }

    func caseDetail(_ request: Request, _ context: Context) async throws -> Response {
        let record = try await record(try parameter("run", context))
        let caseID = try parameter("case", context)
        guard let result = try await cases([caseID], of: record.id)[caseID] else {
            throw DashboardError.notFound("run \(record.id) has no case '\(caseID)'")
        }
        let labels = try await history.read { try await $0.reviewLabels(runID: record.id) }
        return Self.html(CaseDetailPage(record: record, result: result, label: labels.last { $0.caseID == caseID }).render(layout: layout(context)))
    }

    func review(_ request: Request, _ context: Context) async throws -> Response {
        let record = try await record(try parameter("run", context))
        let labels = try await history.read { try await $0.reviewLabels(runID: record.id) }
        var ids = record.summary.reviewQueue
        for label in labels where !ids.contains(label.caseID) { ids.append(label.caseID) }
        let found = try await cases(Array(ids.prefix(200)), of: record.id)
        let queued = found.values.sorted { $0.index < $1.index }
        let notice = query("labelled", request).map { "Recorded your label for \($0); the run was decided again." }
        return Self.html(ReviewPage(record: record, queued: queued, labels: labels, notice: notice).render(layout: layout(context)))
    }

    func reviewQueue(_ request: Request, _ context: Context) async throws -> Response {
        let agents = try await history.read { [trendLength] in try await $0.portfolio(trendLength: trendLength) }
        return Self.html(ReviewQueuePage(agents: agents, agentFilter: query("agent", request)).render(layout: layout(context)))
    }

    // MARK: - Actions

    struct LabelForm: Decodable {
        var csrf: String?
        var `case`: String?
        var label: String?
        var note: String?
    }

    struct ApproveForm: Decodable {
        var csrf: String?
        var reason: String?
    }

    struct LoginForm: Decodable {
        var csrf: String?
        var user: String?
        var secret: String?
        var next: String?
    }

    struct LogoutForm: Decodable {
        var csrf: String?
    }

    func form<T: Decodable>(_ type: T.Type, _ request: Request, _ context: Context) async throws -> T {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw DashboardError.badRequest("the form is larger than \(context.maxUploadSize) bytes")
        }
        do {
            return try URLEncodedFormDecoder().decode(type, from: String(buffer: body))
        } catch {
            throw DashboardError.badRequest("not a form this page sends: \(error)")
        }
    }

    /// The signed-in user, if their role allows `role`, and — for a browser session — the form's
    /// CSRF token matches the session's. A bearer token is not sent by browsers on their own, so
    /// it needs none.
    func authorize(_ role: ServeRole, csrf: String?, _ context: Context, action: String) throws -> ServeUser {
        guard let user = context.user else {
            throw DashboardError.unauthorized("\(action) needs a signed-in \(role.rawValue); sign in first")
        }
        guard user.role >= role else {
            throw DashboardError.forbidden("\(user.name) is a \(user.role.rawValue); \(action) needs the \(role.rawValue) role")
        }
        if let session = context.session, context.bearerUser == nil {
            guard let csrf, ServeCredentials.constantTimeEqual(csrf, session.csrfToken) else {
                throw DashboardError.forbidden("the form's CSRF token is missing or not this session's; reload the page and try again")
            }
        }
        return user
    }

    func label(_ request: Request, _ context: Context) async throws -> Response {
        let form = try await form(LabelForm.self, request, context)
        let user = try authorize(.reviewer, csrf: form.csrf, context, action: "labelling a case")
        let record = try await record(try parameter("run", context))
        guard let caseID = form.case, !caseID.isEmpty else { throw DashboardError.badRequest("the form names no case") }
        guard let labelText = form.label, let label = ReviewLabel.Label(rawValue: labelText) else {
            throw DashboardError.badRequest("label must be pass or fail, found '\(form.label ?? "")'")
        }
        guard let result = try await cases([caseID], of: record.id)[caseID] else {
            throw DashboardError.notFound("run \(record.id) has no case '\(caseID)'")
        }
        guard result.review != nil else {
            throw DashboardError.badRequest("case '\(caseID)' of run \(record.id) was not queued for review; only queued cases take labels")
        }
        let note = form.note.flatMap { $0.isEmpty ? nil : String($0.prefix(2_000)) }
        let entry = HumanReview.Entry(
            caseID: caseID, why: result.review ?? "", machineStatus: result.status.rawValue, score: result.score, input: "", answer: "",
            label: label.rawValue, reviewer: user.name, note: note)
        let loader = self.loader
        // Re-deciding needs the run's pipeline: check it loads before anything is recorded, so a
        // moved or broken pipeline file leaves no label without its decision.
        let pipelineFile = record.pipelineFile
        do {
            _ = try await onOwnThread { try loader.load(path: pipelineFile) }
        } catch let error as InvalidInputError {
            throw DashboardError.conflict(
                "run \(record.id) cannot be decided again: its pipeline \(pipelineFile) does not load (\(error.description)); nothing was recorded")
        }
        _ = try await history.read { history in
            try await HumanReview.apply([entry], toRun: record.id, reviewer: user.name, history: history, loader: loader)
        }
        return Self.redirect("\(RunPage.path(record.id))/review?labelled=\(DashboardLayout.percentEncoded(caseID))")
    }

    func approve(_ request: Request, _ context: Context) async throws -> Response {
        let form = try await form(ApproveForm.self, request, context)
        let user = try authorize(.approver, csrf: form.csrf, context, action: "approving a run")
        let record = try await record(try parameter("run", context))
        guard let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw DashboardError.badRequest("an approval needs a reason")
        }
        guard record.verdict == .inconclusive else {
            throw DashboardError.conflict("run \(record.id) is \(record.verdict.rawValue); only inconclusive runs are approved")
        }
        try await history.read { try await $0.approve(runID: record.id, approvedBy: user.name, reason: String(reason.prefix(2_000)), at: Date()) }
        return Self.redirect("\(RunPage.path(record.id))?approved=1")
    }

    func loginPage(_ request: Request, _ context: Context, error: String?, status: Int = 200) -> Response {
        guard signInEnabled else {
            return Self.html(
                ErrorPage(status: 404, message: "sign-in is off: the server was started without --token-file or --users-file, so it is read-only")
                    .render(layout: layout(context)), status: 404)
        }
        let token = ServeSessions.randomToken()
        let next = Self.safeNext(query("next", request))
        var response = Self.html(
            LoginPage(kind: credentials.kind, csrfToken: token, next: next, error: error).render(layout: layout(context)), status: status)
        response.setCookie(Cookie(name: Self.loginCSRFCookie, value: token, path: "/login", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Only a path on this server: never another site (`//host`, `https:`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    func login(_ request: Request, _ context: Context) async throws -> Response {
        guard signInEnabled else { throw DashboardError.notFound("sign-in is off: the server is read-only") }
        let form = try await form(LoginForm.self, request, context)
        guard let cookie = request.cookies[Self.loginCSRFCookie]?.value, let csrf = form.csrf, ServeCredentials.constantTimeEqual(cookie, csrf) else {
            throw DashboardError.forbidden("the sign-in form's CSRF token is missing or forged; reload the sign-in page")
        }
        guard let user = await credentials.authenticate(name: form.user ?? "", secret: form.secret ?? "") else {
            return loginPage(request, context, error: "Wrong name, password or token.", status: 401)
        }
        let session = await sessions.create(for: user)
        var response = Self.redirect(Self.safeNext(form.next))
        response.setCookie(
            Cookie(
                name: DashboardMiddleware.sessionCookie, value: session.id, maxAge: Int(ServeSessions.lifetime), path: "/", secure: secureCookies,
                httpOnly: true, sameSite: .strict))
        return response
    }

    func logout(_ request: Request, _ context: Context) async throws -> Response {
        let form = try await form(LogoutForm.self, request, context)
        if let session = context.session {
            guard let csrf = form.csrf, ServeCredentials.constantTimeEqual(csrf, session.csrfToken) else {
                throw DashboardError.forbidden("the form's CSRF token is missing or not this session's")
            }
            await sessions.end(id: session.id)
        }
        var response = Self.redirect("/")
        response.setCookie(
            Cookie(name: DashboardMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
        )
        return response
    }
}
