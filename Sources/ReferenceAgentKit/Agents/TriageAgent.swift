/// The support-ticket triage agent (risk tier 2): a category, a priority and the team to route to.
struct TriageAgent: Sendable {
    struct Decision: Sendable, Equatable {
        var category: String
        var priority: String
        var team: String
    }

    var variant: AgentVariant

    func triage(_ ticket: String) -> Decision {
        let text = TextIndex(ticket)
        let category = Self.category(of: text)
        let priority = Self.priority(of: text, category: category)
        let team: String
        if priority == "P1", category == "technical" {
            team = "sre-oncall"
        } else {
            team = Self.teams[category] ?? "support-generalists"
        }
        return Decision(category: category, priority: priority, team: team)
    }

    static let categories = ["billing", "technical", "account", "shipping", "security", "feedback"]

    private static let teams = [
        "billing": "billing-ops", "technical": "platform-support", "account": "identity-support",
        "shipping": "logistics", "security": "security-response", "feedback": "product-feedback",
    ]

    /// Keywords per category with a weight; the best-scoring category wins, ties in the order of `categories`
    /// with security first so that "someone charged my card from a hacked account" is a security ticket.
    private static let keywords: [(category: String, words: [(Pattern, Int)])] = [
        (
            "security",
            [
                ("hacked", 5), ("phishing", 5), ("breach", 5), ("unauthorized", 4), ("unauthorised", 4),
                ("compromised", 5), ("suspicious", 3), ("leaked", 4), ("malware", 5), ("vulnerability", 5), ("xss", 5),
                ("sql injection", 5), ("stolen", 3), ("someone logged in", 4), ("someone else logged", 4),
                ("security", 2), ("fraud", 3), ("scam", 3), ("ransomware", 5), ("exposed", 2), ("data leak", 5),
                ("api key", 2), ("credentials", 2), ("didn't recognize", 2), ("did not recognize", 2),
                ("bug bounty", 6), ("someone keeps trying", 4), ("don't recognize", 2),
            ]
        ),
        (
            "billing",
            [
                ("invoice", 4), ("charged", 4), ("charge", 3), ("billing", 4), ("billed", 4), ("payment", 3),
                ("credit card", 3), ("subscription", 3), ("overcharged", 5), ("refund", 3), ("receipt", 3), ("vat", 3),
                ("price", 2), ("pricing", 3), ("discount", 3), ("coupon", 3), ("promo code", 3), ("plan", 1),
                ("upgrade", 1), ("downgrade", 2), ("renewal", 3), ("card was declined", 4), ("paid", 2), ("tax", 2),
                ("factura", 4), ("rechnung", 4), ("facture", 4), ("cobro", 4),
            ]
        ),
        (
            "shipping",
            [
                ("delivery", 3), ("shipping", 4), ("shipment", 4), ("package", 3), ("parcel", 4), ("tracking", 4),
                ("courier", 4), ("arrived", 2), ("delivered", 3), ("in transit", 4), ("customs", 4), ("shipped", 3),
                ("carrier", 3), ("ups", 2), ("fedex", 3), ("dhl", 3), ("usps", 3), ("lieferung", 4), ("paquete", 4),
                ("envío", 4), ("colis", 4), ("warehouse", 2), ("return label", 4),
            ]
        ),
        (
            "account",
            [
                ("password", 4), ("login", 3), ("log in", 3), ("sign in", 3), ("signin", 3), ("username", 4),
                ("email address", 2), ("locked out", 4), ("account", 2), ("profile", 3), ("2fa", 3), ("two-factor", 3),
                ("verification code", 3), ("sso", 3), ("delete my account", 5), ("close my account", 5), ("gdpr", 3),
                ("my data", 2), ("change my email", 4), ("reset link", 4), ("contraseña", 4), ("passwort", 4),
                ("mot de passe", 4), ("seat", 2), ("invite", 2), ("permissions", 3), ("admin rights", 3),
                ("seats", 3), ("invites", 2), ("workspace", 2), ("accounts", 2), ("merge", 2), ("signed up", 3),
                ("ownership", 4),
            ]
        ),
        (
            "technical",
            [
                ("error", 3), ("bug", 4), ("crash", 4), ("crashes", 4), ("not working", 3), ("doesn't work", 3),
                ("down", 2), ("outage", 5), ("500", 3), ("502", 3), ("503", 3), ("timeout", 3), ("timing out", 3),
                ("slow", 2), ("api", 3), ("integration", 3), ("sync", 3), ("app", 1), ("broken", 2), ("webhook", 4),
                ("latency", 3), ("exception", 4), ("freezes", 3), ("blank page", 4), ("export", 2), ("import", 2),
                ("dashboard", 2), ("won't load", 4), ("doesn't load", 4), ("not loading", 4), ("stack trace", 4),
                ("data loss", 4), ("deleted", 2), ("missing data", 4), ("sdk", 3), ("endpoint", 3), ("fehler", 3),
                ("everything is down", 6),
            ]
        ),
        (
            "feedback",
            [
                ("suggestion", 4), ("feature request", 5), ("love", 3), ("would be nice", 4), ("would be great", 4),
                ("feedback", 4), ("great job", 4), ("awesome", 3), ("compliment", 4), ("idea", 3), ("wish", 3),
                ("please add", 4), ("it would help", 3), ("thank you", 2), ("thanks for", 2), ("kudos", 4),
                ("dark mode", 3), ("roadmap", 3), ("ux", 2), ("confusing", 2), ("improve", 2),
                ("sugerencia", 4), ("modo oscuro", 3),
            ]
        ),
    ]

    private static func category(of text: TextIndex) -> String {
        var best = ("technical", 0)
        for (category, words) in keywords {
            var score = 0
            for (word, weight) in words where text.containsWords(word) { score += weight }
            if score > best.1 { best = (category, score) }
        }
        return best.0
    }

    private static let outageMarkers: [Pattern] = [
        "outage", "is down", "are down", "went down", "site down", "completely down", "down for everyone",
        "down for all", "all users", "all our users", "entire team", "whole company", "production is down",
        "prod is down", "nobody can", "no one can", "can't access anything", "cannot access anything", "data loss",
        "lost all", "all our data", "deleted all", "data was deleted", "data is gone", "everything is gone",
    ]
    private static let securityIncidentMarkers: [Pattern] = [
        "hacked", "breach", "compromised", "unauthorized", "unauthorised", "leaked", "stolen", "ransomware",
        "malware", "someone logged in", "someone else logged", "data leak", "exposed",
    ]
    private static let urgentMarkers: [Pattern] = [
        "urgent", "asap", "immediately", "blocking", "blocker", "can't work", "cannot work", "charged twice",
        "double charged", "charged three times", "overcharged", "locked out", "payroll", "deadline today",
        "losing money", "losing sales", "every customer", "all of our customers", "since this morning", "critical",
    ]
    private static let lowUrgencyMarkers: [Pattern] = [
        "no rush", "whenever", "not urgent", "just wondering", "just curious", "low priority", "when you get a chance",
        "when you have time", "nice to have", "would be nice", "would be great", "feature request", "suggestion",
    ]

    /// P1: outages, data loss, security incidents; P2: urgent or money taken wrongly; P4: feedback and
    /// "no rush"; P3: the rest.
    private static func priority(of text: TextIndex, category: String) -> String {
        if text.containsAnyWords(outageMarkers) { return "P1" }
        if category == "security" {
            return text.containsAnyWords(securityIncidentMarkers) ? "P1" : "P2"
        }
        if category == "feedback" || text.containsAnyWords(lowUrgencyMarkers) { return "P4" }
        if text.containsAnyWords(urgentMarkers) { return "P2" }
        return "P3"
    }
}
