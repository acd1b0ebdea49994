import Foundation
import SeqPortModel
import SeqPortStore

/// Writes one synthetic subject's rows for `SampleData`.
struct SampleWriter {
    let tx: any StoreTransaction
    let schema: Schema
    let subject: String
    let index: Int
    var rng: SplitMix64

    static let base: Int64 = 1_704_067_200 // 2024-01-01T00:00:00Z
    static let firstNames = ["Anna", "Erik", "Maja", "Lars", "Sofia", "Johan", "Elin", "Karim", "Fatima", "Noah", "Ingrid", "Mehmet"]
    static let lastNames = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson"]
    static let companies = ["Värmland Analytics AB", "Nordic Sequencing Ltd", "Karlstad Bio", "Acme, Inc.", "Lab \"North\" Oy", nil]
    static let titles = ["Bioinformatician", "Lab manager", "CTO", "Research engineer", "Data scientist", nil]
    static let pages = ["/", "/pricing", "/docs/getting-started", "/docs/api", "/dashboard", "/runs", "/runs/new", "/settings", "/billing", "/support"]

    func ts(_ offset: Int64) -> Value { .text(ValueSyntax.timestamp(epochSeconds: Self.base + offset)) }
    var awkward: Bool { index == 1 }

    mutating func row(_ category: String, _ values: [String: Value]) throws {
        let c = schema.category(named: category)!
        let fields = c.fields
        try tx.insertRecord(subject: subject, in: c, fields: fields, values: fields.map { values[$0.name] ?? .null })
    }

    mutating func writeSubject(events: Int, eventID: inout Int64) throws {
        let created = Int64(index % 500) * 86_400 + Int64(rng.int(0...86_399))
        try tx.insert(table: schema.subjects.table, columns: [schema.subjects.key, "created_at"],
                      values: [.text(subject), .text(ValueSyntax.timestamp(epochSeconds: Self.base + created))])
        let first = rng.pick(Self.firstNames), last = rng.pick(Self.lastNames)
        let name = awkward ? "Åsa \"Ace\" Lindström-O'Brien, PhD" : "\(first) \(last)"
        let photoID = "f-\(subject)-photo"
        if let files = schema.files, awkward || rng.chance(30) {
            try tx.insert(table: files.table, columns: [files.key, files.subject, files.name, files.mediaType, files.content],
                          values: [.text(photoID), .text(subject), .text("portrait.png"), .text("image/png"), .blob(sampleAvatarPNG)])
            try row("contact", ["id": .text("c-\(subject)"), "full_name": .text(name), "phone": .text("+46 54 \(rng.int(100...999)) \(rng.int(10...99)) \(rng.int(10...99))"),
                                "photo": .text(photoID), "preferred_language": .text(rng.pick(["en", "sv"])), "created_at": ts(created)])
        } else {
            try row("contact", ["id": .text("c-\(subject)"), "full_name": .text(name), "phone": rng.chance(30) ? .null : .text("+46 70 \(rng.int(100...999)) \(rng.int(10...99)) \(rng.int(10...99))"),
                                "preferred_language": .text(rng.pick(["en", "sv"])), "created_at": ts(created)])
        }
        let mail = "\(first.lowercased()).\(last.lowercased())\(index)@example.com".folding(options: .diacriticInsensitive, locale: nil)
        try row("email_addresses", ["id": .text("e-\(subject)-1"), "address": .text(mail), "label": "work", "is_primary": "true", "verified_at": ts(created + 600)])
        if awkward || rng.chance(40) {
            try row("email_addresses", ["id": .text("e-\(subject)-2"), "address": .text("\(first.lowercased())\(index)@home.example.org"), "label": "personal", "is_primary": "false", "verified_at": .null])
        }
        try row("professional", ["id": .text("p-\(subject)"), "company": awkward ? .text("Acme, \"Sequencing\" & <Sons>") : rng.pick(Self.companies).map(Value.text) ?? .null,
                                 "job_title": awkward ? .text("") : rng.pick(Self.titles).map(Value.text) ?? .null,
                                 "industry": .text(rng.pick(["Biotech", "Healthcare", "Academia", "Agriculture"])), "country": .text(rng.pick(["SE", "NO", "FI", "DE"]))])
        for k in 1...rng.int(1...3) {
            try row("technical", ["id": .text("t-\(subject)-\(k)"), "ip_address": .text(k == 2 ? "2001:db8::\(rng.int(1...999))" : "192.0.2.\(rng.int(1...254))"),
                                  "device": .text(rng.pick(["Desktop", "Laptop", "iPhone", "Android phone"])),
                                  "browser": rng.chance(10) ? .null : .text(rng.pick(["Firefox 131", "Chrome 130", "Safari 18", "Edge 130"])),
                                  "first_seen": ts(created + Int64(k) * 3600), "last_seen": ts(created + Int64(k) * 86_400 * 30)])
        }
        var t = created
        for _ in 0..<events {
            eventID += 1
            t += Int64(rng.int(1...600))
            let type = rng.pick(["page_view", "page_view", "page_view", "click", "search", "download", "login", "logout"])
            try row("usage_events", ["id": .text(String(eventID)), "occurred_at": ts(t), "event_type": .text(type), "page": .text(rng.pick(Self.pages)),
                                     "duration_ms": type == "page_view" ? .text(String(rng.int(200...120_000))) : .null,
                                     "referrer": rng.chance(70) ? .null : .text(rng.pick(["https://www.google.com/", "https://seqops.io/blog", "https://news.example.net/a?b=c"]))])
        }
        let tickets = awkward ? 2 : rng.int(0...2)
        for k in 0..<tickets {
            let tid = "T-\(subject)-\(k + 1)"
            let opened = created + Int64(k + 1) * 86_400 * 7
            try row("support_tickets", ["id": .text(tid), "subject": .text(awkward && k == 0 ? "Export fails: \"<run> & <sample>\", see log" : "Question about run \(rng.int(1000...9999))"),
                                        "status": .text(k == 0 ? "closed" : "open"), "channel": .text(rng.pick(["web", "email", "phone"])),
                                        "opened_at": ts(opened), "closed_at": k == 0 ? ts(opened + 7200) : .null])
            let attachID = "f-\(tid)-log"
            if let files = schema.files, k == 0 {
                let log = "run,status\r\n\(rng.int(1000...9999)),failed\r\n"
                try tx.insert(table: files.table, columns: [files.key, files.subject, files.name, files.mediaType, files.content],
                              values: [.text(attachID), .text(subject), .text("run log.csv"), .text("text/csv"), .blob(Array(log.utf8))])
            }
            let body: String = awkward
                ? "Hej!\r\nMy export shows =SUM(A1:A9) and 😀 and مرحبا بالعالم.\nTab\there, bell \u{7}, quote \" and <tag> & more."
                : "Hello, my run \(rng.int(1000...9999)) failed with status \(rng.int(1...255)). Can you help?"
            try row("ticket_messages", ["id": .text("m-\(tid)-1"), "ticket_id": .text(tid), "sent_at": ts(opened), "author_role": "subject",
                                        "author_name": .text(name), "body": .text(body), "attachment": k == 0 && schema.files != nil ? .text(attachID) : .null])
            try row("ticket_messages", ["id": .text("m-\(tid)-2"), "ticket_id": .text(tid), "sent_at": ts(opened + 3600), "author_role": "staff",
                                        "author_name": .text(rng.pick(["Karin Berg", "Oskar Holm"])), "body": .text("Thanks for reaching out. We have fixed it."), "attachment": .null])
        }
        for (k, purpose) in ["marketing_email", "newsletter", "analytics_cookies", "product_research"].enumerated() where awkward || rng.chance(60) {
            try row("consents", ["id": .text("k-\(subject)-\(k + 1)"), "purpose": .text(purpose), "granted": .text(rng.chance(70) ? "true" : "false"),
                                 "recorded_at": ts(created + Int64(k) * 60), "wording_version": .text("2024-\(k + 1)")])
        }
        for (k, channel) in ["email", "sms", "post"].enumerated() where awkward || rng.chance(50) {
            try row("marketing_preferences", ["id": .text("mp-\(subject)-\(k + 1)"), "channel": .text(channel), "topic": .text(rng.pick(["Product news", "Webinars", "Offers"])),
                                              "opted_in": .text(rng.chance(50) ? "true" : "false"), "updated_at": ts(created + 900)])
        }
        let drawn = rng.pick(["free", "team", "business", "enterprise"])
        let plan = awkward ? "business" : drawn
        let startDay = Int((Self.base + created) / 86_400)
        try row("subscriptions", ["id": .text("sub-\(subject)"), "plan": .text(plan), "status": "active", "started_at": .text(ValueSyntax.date(epochDays: startDay)), "ends_at": .null])
        if plan != "free" {
            for k in 0..<rng.int(1...4) {
                let amount = plan == "team" ? 490 : plan == "business" ? 1490 : 9900
                try row("invoices", ["id": .text("INV-\(index)-\(k + 1)"), "subscription_id": .text("sub-\(subject)"), "issued_on": .text(ValueSyntax.date(epochDays: startDay + 30 * k)),
                                     "amount": .text("\(amount).00"), "vat": .text("\(amount / 4).\(amount % 4 * 25 == 0 ? "00" : String(amount % 4 * 25))"),
                                     "currency": "SEK", "status": .text(k == 0 ? "paid" : rng.pick(["paid", "due"])),
                                     "billing_address": .text(awkward ? "Tynäsgatan 12\r\n652 16 Karlstad, Sweden" : "Storgatan \(rng.int(1...99)), 652 \(rng.int(10...99)) Karlstad")])
            }
        }
        if awkward || rng.chance(30) {
            try row("feedback", ["id": .text("fb-\(subject)-1"), "submitted_at": ts(created + 86_400 * 40), "rating": .text(String(rng.int(1...5))),
                                 "comment": awkward ? .text("=HYPERLINK(\"http://evil.example\",\"click\") — great, but slow 🐢") : (rng.chance(50) ? .null : .text("Works well."))])
        }
        if awkward {
            try row("feedback", ["id": .text("fb-\(subject)-2"), "submitted_at": ts(created + 86_400 * 41), "rating": "4", "comment": ""])
            try row("feedback", ["id": .text("fb-\(subject)-3"), "submitted_at": ts(created + 86_400 * 42), "rating": "3", "comment": "+1 and -1 and @mention\u{1}"])
        }
        try row("account", ["id": .text("a-\(subject)"), "username": .text(awkward ? "åsa@seqops" : "user\(index)"),
                            "password_hash": .text("$argon2id$v=19$m=65536,t=3,p=4$SECRET-HASH-\(subject)-\(rng.next())"),
                            "two_factor_enabled": .text(rng.chance(40) ? "true" : "false"), "created_at": ts(created), "last_login_at": ts(created + 86_400 * 60)])
        for k in 0..<rng.int(1...2) {
            let score = rng.int(0...1000)
            try row("risk_assessments", ["id": .text("r-\(subject)-\(k + 1)"), "assessed_at": ts(created + Int64(k + 1) * 86_400 * 90),
                                         "score": .text(score == 1000 ? "1.000" : "0.\(String(repeating: "0", count: 3 - String(score).count))\(score)"),
                                         "band": .text(score < 300 ? "low" : score < 700 ? "medium" : "high"), "model_version": "fraud-gbm-2.3"])
        }
    }
}
