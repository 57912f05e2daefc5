/// One fact of the employee handbook the knowledge-base agent answers from.
struct HandbookEntry: Sendable {
    var id: String
    var section: String
    var answer: String
    /// Keywords with a weight; the entry whose matched keywords weigh most answers the question.
    var keywords: [(Pattern, Int)]
}

/// A small, made-up employee handbook for Acme. `scripts/generate-datasets` holds the same answers: the
/// `kb-agent` golden dataset quotes them as expected answers.
enum Handbook {
    static let entries: [HandbookEntry] = [
        HandbookEntry(
            id: "pto", section: "Time off",
            answer: "Full-time employees get 25 days of paid time off (PTO) per year, accrued monthly.",
            keywords: [
                ("pto", 4), ("paid time off", 4), ("vacation", 4), ("vacation days", 5), ("annual leave", 4),
                ("time off", 3), ("days off", 3), ("holiday allowance", 6), ("urlaub", 4), ("vacaciones", 4),
                ("congés", 4), ("leave allowance", 5),
            ]),
        HandbookEntry(
            id: "pto-carryover", section: "Time off",
            answer: "You can carry over up to 5 unused PTO days into the next year; carried-over days expire on March 31.",
            keywords: [
                ("carry over", 7), ("carryover", 7), ("carry-over", 7), ("roll over", 7), ("rollover", 7),
                ("unused", 5), ("left over", 5), ("leftover", 5), ("don't use", 5), ("didn't use", 5), ("lose", 3),
                ("carried-over", 7), ("carried over", 7), ("expire", 4),
                ("next year", 2),
            ]),
        HandbookEntry(
            id: "sick-leave", section: "Time off",
            answer: "Sick leave is separate from PTO: you get up to 10 paid sick days per year, and no doctor's note is "
                + "needed for absences of up to 3 days.",
            keywords: [
                ("sick", 7), ("ill", 5), ("illness", 5), ("doctor's note", 6), ("doctor", 3), ("flu", 5),
                ("unwell", 5), ("covid", 5), ("krank", 5), ("enfermo", 5),
            ]),
        HandbookEntry(
            id: "parental-leave", section: "Time off",
            answer: "Parental leave is 16 weeks, fully paid, for every new parent, including adoptive parents.",
            keywords: [
                ("parental", 7), ("maternity", 7), ("paternity", 7), ("new parent", 6), ("baby", 6), ("adoption", 6),
                ("adopting", 6), ("having a child", 6), ("expecting", 4), ("pregnant", 6), ("newborn", 6),
            ]),
        HandbookEntry(
            id: "public-holidays", section: "Time off",
            answer: "Acme observes 11 public holidays per year; the calendar for your country is on the HR portal.",
            keywords: [
                ("public holiday", 7), ("public holidays", 7), ("bank holiday", 7), ("bank holidays", 7),
                ("holidays", 3), ("christmas", 4), ("thanksgiving", 4), ("new year's", 3), ("office closed", 4),
                ("feiertage", 6), ("festivos", 6),
            ]),
        HandbookEntry(
            id: "meal-allowance", section: "Travel and expenses",
            answer: "Meals while travelling for work are reimbursed up to $75 per day.",
            keywords: [
                ("meal", 6), ("meals", 6), ("food", 5), ("dinner", 5), ("lunch", 5), ("breakfast", 5),
                ("per diem", 7), ("eat", 3), ("restaurant", 5),
            ]),
        HandbookEntry(
            id: "expense-deadline", section: "Travel and expenses",
            answer: "Submit expenses in Expensify within 30 days of the purchase; an itemised receipt is required for "
                + "anything over $25.",
            keywords: [
                ("expense report", 6), ("expense reports", 6), ("expensify", 7), ("receipt", 5), ("receipts", 5),
                ("submit expenses", 7), ("submit an expense", 7), ("expenses", 3), ("expense", 3),
                ("reimbursement", 2), ("reimbursed", 2), ("expense deadline", 7), ("claim", 2),
            ]),
        HandbookEntry(
            id: "hotel-limit", section: "Travel and expenses",
            answer: "Hotels are reimbursed up to $250 per night, or $350 per night in New York, London and Tokyo.",
            keywords: [
                ("hotel", 7), ("hotels", 7), ("accommodation", 7), ("lodging", 7), ("per night", 5), ("airbnb", 6),
                ("place to stay", 5), ("stay overnight", 5),
            ]),
        HandbookEntry(
            id: "flights", section: "Travel and expenses",
            answer: "Book flights through Navan: economy class for flights under 6 hours, premium economy for longer ones.",
            keywords: [
                ("flight", 7), ("flights", 7), ("fly", 5), ("flying", 5), ("airline", 6), ("business class", 6),
                ("premium economy", 6), ("plane", 5), ("book travel", 5), ("navan", 7), ("airfare", 7),
            ]),
        HandbookEntry(
            id: "home-office-stipend", section: "Equipment",
            answer: "New hires get a one-time $500 home-office stipend, plus $50 a month towards internet.",
            keywords: [
                ("home office", 7), ("home-office", 7), ("stipend", 5), ("desk", 5), ("chair", 5), ("monitor", 4),
                ("internet", 5), ("work from home setup", 6), ("wfh setup", 6), ("equipment", 2),
            ]),
        HandbookEntry(
            id: "learning-budget", section: "Growth",
            answer: "Each employee has a $1,500 annual learning budget for courses, books and conferences.",
            keywords: [
                ("learning", 6), ("course", 5), ("courses", 5), ("conference", 6), ("conferences", 6),
                ("training budget", 7), ("books", 5), ("certification", 6), ("education", 5), ("udemy", 5),
                ("coursera", 5), ("workshop", 5),
            ]),
        HandbookEntry(
            id: "vpn", section: "IT and security",
            answer: "Install GlobalProtect from the Self Service app, connect to vpn.acme.example and sign in with your "
                + "SSO account and Okta Verify.",
            keywords: [
                ("vpn", 9), ("globalprotect", 9), ("remote access", 5), ("internal network", 5),
                ("connect to the network", 5), ("intranet", 4), ("corporate network", 5),
            ]),
        HandbookEntry(
            id: "password-policy", section: "IT and security",
            answer: "Passwords must be at least 14 characters long; you only need to change yours if a compromise is "
                + "suspected, not on a schedule.",
            keywords: [("password", 6), ("passwords", 6), ("passphrase", 6), ("characters", 3), ("passwort", 6)]),
        HandbookEntry(
            id: "mfa", section: "IT and security",
            answer: "Okta Verify push is mandatory for every account; hardware security keys (YubiKey) are available "
                + "from IT on request.",
            keywords: [
                ("mfa", 7), ("2fa", 7), ("two-factor", 7), ("two factor", 7), ("multi-factor", 7), ("yubikey", 7),
                ("okta", 4), ("authenticator", 6), ("security key", 6), ("hardware key", 6),
            ]),
        HandbookEntry(
            id: "lost-laptop", section: "IT and security",
            answer: "Report a lost or stolen laptop to security@acme.example within 1 hour so IT can wipe it remotely.",
            keywords: [
                ("lost", 6), ("stolen", 7), ("left my laptop", 7), ("misplaced", 6), ("can't find my laptop", 7),
                ("theft", 7), ("robbed", 7),
            ]),
        HandbookEntry(
            id: "laptop-refresh", section: "Equipment",
            answer: "Laptops are refreshed every 3 years; request a replacement through the IT portal.",
            keywords: [
                ("new laptop", 6), ("refresh", 6), ("refreshed", 6), ("replacement", 4), ("laptop", 2), ("laptops", 3),
                ("old laptop", 6),
                ("upgrade my laptop", 7), ("macbook", 2), ("replace my laptop", 7),
            ]),
        HandbookEntry(
            id: "on-call-rotation", section: "Engineering",
            answer: "Engineering on-call rotates weekly with the handover on Mondays at 10:00 local time, and the "
                + "schedule lives in PagerDuty.",
            keywords: [
                ("on-call", 6), ("on call", 6), ("oncall", 6), ("rotation", 5), ("pagerduty", 6), ("handover", 5),
                ("hand over", 4), ("schedule", 2), ("shift", 3),
            ]),
        HandbookEntry(
            id: "on-call-pay", section: "Engineering",
            answer: "On-call engineers are paid $300 per week of on-call, plus a day off in lieu after being paged at night.",
            keywords: [
                ("on-call", 6), ("on call", 6), ("oncall", 6), ("pay", 4), ("paid", 3), ("compensation", 6),
                ("compensated", 6), ("extra", 2), ("in lieu", 5), ("allowance", 4), ("bonus", 3), ("money", 3),
            ]),
        HandbookEntry(
            id: "security-training", section: "IT and security",
            answer: "Annual security awareness training must be completed by March 15 every year in the Learning Hub.",
            keywords: [
                ("security training", 9), ("security awareness", 9), ("awareness training", 9),
                ("compliance training", 7), ("training deadline", 7), ("mandatory training", 7), ("training", 2),
                ("learning hub", 4),
            ]),
        HandbookEntry(
            id: "phishing", section: "IT and security",
            answer: "Report phishing emails with the Report Phish button in Outlook, or forward them to "
                + "phishing@acme.example.",
            keywords: [
                ("phishing", 9), ("phish", 9), ("suspicious email", 8), ("suspicious link", 7), ("spam", 5),
                ("scam email", 7), ("fake email", 7), ("weird email", 6), ("strange email", 6),
            ]),
        HandbookEntry(
            id: "payday", section: "Pay and benefits",
            answer: "Payday is the last business day of each month, and payslips are available in Workday.",
            keywords: [
                ("payday", 7), ("pay day", 7), ("payslip", 7), ("payslips", 7), ("paycheck", 7), ("pay stub", 7),
                ("get paid", 5), ("salary", 4), ("paid", 1), ("workday", 3), ("wage", 5), ("wages", 5),
            ]),
        HandbookEntry(
            id: "401k", section: "Pay and benefits",
            answer: "Acme matches 401(k) contributions 100% up to 4% of your salary, and the match vests immediately.",
            keywords: [
                ("401(k)", 8), ("401k", 8), ("retirement", 7), ("pension", 7), ("match", 3), ("matching", 3),
                ("vesting", 6), ("vest", 5),
            ]),
        HandbookEntry(
            id: "health-insurance", section: "Pay and benefits",
            answer: "You can enrol in health insurance within 30 days of your start date, or during open enrollment "
                + "every November.",
            keywords: [
                ("health insurance", 9), ("insurance", 6), ("medical", 4), ("dental", 6), ("vision", 4),
                ("open enrollment", 8), ("benefits enrollment", 7), ("enroll", 4), ("enrol", 4), ("health plan", 7),
            ]),
        HandbookEntry(
            id: "hybrid-work", section: "Working at Acme",
            answer: "Our hybrid policy is at least 2 days per week in the office; fully remote roles need VP approval.",
            keywords: [
                ("hybrid", 7), ("remote", 4), ("work from home", 5), ("wfh", 5), ("in the office", 4),
                ("office days", 7), ("come into the office", 6), ("fully remote", 7), ("in office", 4),
                ("days a week", 3), ("days per week", 3),
            ]),
        HandbookEntry(
            id: "work-abroad", section: "Working at Acme",
            answer: "You may work from another country for up to 4 weeks per year, with approval from your manager and HR.",
            keywords: [
                ("abroad", 8), ("another country", 8), ("overseas", 7), ("digital nomad", 7), ("internationally", 6),
                ("different country", 8), ("outside the country", 8), ("from portugal", 5), ("from spain", 5),
                ("from mexico", 5), ("from italy", 5),
            ]),
        HandbookEntry(
            id: "performance-reviews", section: "Growth",
            answer: "Performance reviews happen twice a year, in April and October.",
            keywords: [
                ("performance review", 9), ("performance reviews", 9), ("review cycle", 8), ("reviews", 4),
                ("review", 3), ("appraisal", 8), ("appraisals", 8), ("promotion", 4), ("performance", 4),
                ("evaluation", 5),
            ]),
        HandbookEntry(
            id: "referral-bonus", section: "Pay and benefits",
            answer: "The employee referral bonus is $3,000, paid after your referred hire's 90th day.",
            keywords: [
                ("referral", 9), ("refer", 7), ("referring", 7), ("recommend a friend", 7), ("referred", 6),
                ("bonus", 3), ("hire a friend", 6),
            ]),
        HandbookEntry(
            id: "harassment-reporting", section: "Working at Acme",
            answer: "Report harassment or misconduct to your HR business partner, or anonymously through the "
                + "EthicsPoint hotline.",
            keywords: [
                ("harassment", 9), ("harassed", 9), ("misconduct", 8), ("discrimination", 8), ("bullying", 8),
                ("bullied", 8), ("ethics", 6), ("whistleblower", 8), ("whistleblowing", 8), ("anonymously", 5),
                ("anonymous", 5), ("inappropriate behavior", 7), ("inappropriate behaviour", 7),
            ]),
        HandbookEntry(
            id: "office-hours", section: "Working at Acme",
            answer: "Offices are open 7:00–20:00 on weekdays; badge access outside those hours needs facilities approval.",
            keywords: [
                ("office hours", 7), ("opening hours", 7), ("open", 2), ("badge", 6), ("building access", 7),
                ("weekend", 5), ("weekends", 5), ("after hours", 6), ("late at night", 4), ("early", 2),
                ("saturday", 4), ("sunday", 4),
            ]),
        HandbookEntry(
            id: "guest-wifi", section: "Working at Acme",
            answer: "Guests use the Acme-Guest Wi-Fi network; its password changes daily and is shown at reception.",
            keywords: [
                ("wifi", 8), ("wi-fi", 8), ("guest", 5), ("guests", 5), ("visitor", 5), ("visitors", 5),
                ("wireless", 6), ("hotspot", 5),
            ]),
        HandbookEntry(
            id: "deploy-freeze", section: "Engineering",
            answer: "Production deploys are frozen from Friday 15:00 until Monday 09:00 unless the on-call lead approves.",
            keywords: [
                ("deploy", 7), ("deploys", 7), ("deploying", 7), ("deployment", 7), ("deployments", 7),
                ("release", 4), ("ship to production", 7), ("push to prod", 7), ("freeze", 7), ("friday", 3),
                ("production", 3), ("prod", 3),
            ]),
    ]
}
