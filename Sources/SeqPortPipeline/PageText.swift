import SeqPortModel

/// The words of the page, in English and Swedish.
struct PageText {
    var title: (String) -> String
    var intro: (String, String, Scope) -> String
    var contents, records, purposes, legalBasis, recipients, retention, source, correctable, none, fullData, empty: String
    var fieldsHeading, nullText, emptyText, rightsHeading, filesHeading, filesIntro, fileCol, bytesCol, correctionHowTo: String
    var showingFirst: (Int, Int) -> String
    var controllerLine: (String, String, String) -> String
    var rights: (String) -> [String]
    var complain: (String) -> String
    var expiry: (String) -> String

    func intro(subject: String, at: String, scope: Scope) -> String { intro(subject, at, scope) }
    func showingFirst(_ n: Int, of total: Int) -> String { showingFirst(n, total) }
    func rights(contact: String) -> [String] { rights(contact) }

    static func `for`(_ language: String) -> PageText { language == "sv" ? sv : en }

    static let en = PageText(
        title: { "Your personal data at \($0)" },
        intro: { "This bundle holds the personal data we keep about you (subject \($0)), generated \($1). It answers your right of \($2 == .access ? "access (GDPR Article 15)" : "data portability (GDPR Article 20): it holds the data you gave us and data we observed, not our own inferences")." },
        contents: "Contents", records: "Records", purposes: "Why we use it", legalBasis: "Legal basis", recipients: "Who receives it",
        retention: "How long we keep it", source: "Where it came from", correctable: "Fields you can correct", none: "none",
        fullData: "Full data", empty: "We hold no records in this category.", fieldsHeading: "What each field means",
        nullText: "(no value)", emptyText: "(empty)", rightsHeading: "Your rights", filesHeading: "Files in this bundle",
        filesIntro: "Every file with its size and SHA-256 checksum, also listed in manifest.json. To check a file, run: sha256sum FILE (Linux), shasum -a 256 FILE (macOS) or Get-FileHash FILE (Windows PowerShell), and compare.",
        fileCol: "File", bytesCol: "Bytes",
        correctionHowTo: "To ask for a correction: edit the value in the CSV file (csv/) or the JSON file (json/), keep the rest as it is, put the bundle back together and send it to us. We will show you exactly what would change before anything does.",
        showingFirst: { "Showing the first \($0) of \($1) records; the full list is in the linked files." },
        controllerLine: { "Controller: \($0), \($1). Your data is stored and processed in \($2)." },
        rights: { contact in [
            "Access (Article 15): you may ask for a copy of your data at any time; this bundle is that copy.",
            "Rectification (Article 16): you may have inaccurate data corrected; see below how.",
            "Erasure (Article 17) and restriction (Article 18): write to \(contact).",
            "Data portability (Article 20): ask for a portability bundle in these machine-readable formats.",
            "Objection (Article 21): you may object to processing based on legitimate interests; write to \(contact).",
        ] },
        complain: { "You may lodge a complaint with the supervisory authority, \($0):" },
        expiry: { "Our copy of this bundle will be deleted after \($0)." })

    static let sv = PageText(
        title: { "Dina personuppgifter hos \($0)" },
        intro: { "Det här paketet innehåller de personuppgifter vi har om dig (registrerad \($0)), skapat \($1). Det besvarar din rätt till \($2 == .access ? "tillgång (artikel 15 i GDPR)" : "dataportabilitet (artikel 20 i GDPR): det innehåller uppgifter du gett oss och uppgifter vi observerat, inte våra egna slutsatser")." },
        contents: "Innehåll", records: "Poster", purposes: "Varför vi använder dem", legalBasis: "Rättslig grund", recipients: "Vem som tar emot dem",
        retention: "Hur länge vi sparar dem", source: "Varifrån de kommer", correctable: "Fält du kan rätta", none: "inga",
        fullData: "Alla uppgifter", empty: "Vi har inga poster i den här kategorin.", fieldsHeading: "Vad varje fält betyder",
        nullText: "(inget värde)", emptyText: "(tomt)", rightsHeading: "Dina rättigheter", filesHeading: "Filer i paketet",
        filesIntro: "Varje fil med storlek och SHA-256-kontrollsumma, som också finns i manifest.json. Kontrollera en fil med: sha256sum FIL (Linux), shasum -a 256 FIL (macOS) eller Get-FileHash FIL (Windows PowerShell) och jämför.",
        fileCol: "Fil", bytesCol: "Byte",
        correctionHowTo: "Så begär du rättelse: ändra värdet i CSV-filen (csv/) eller JSON-filen (json/), låt resten vara, packa ihop paketet igen och skicka det till oss. Vi visar exakt vad som skulle ändras innan något ändras.",
        showingFirst: { "Visar de första \($0) av \($1) posterna; hela listan finns i de länkade filerna." },
        controllerLine: { "Personuppgiftsansvarig: \($0), \($1). Dina uppgifter lagras och behandlas i \($2)." },
        rights: { contact in [
            "Tillgång (artikel 15): du kan när som helst begära en kopia av dina uppgifter; det här paketet är den kopian.",
            "Rättelse (artikel 16): du kan få felaktiga uppgifter rättade; se nedan hur.",
            "Radering (artikel 17) och begränsning (artikel 18): skriv till \(contact).",
            "Dataportabilitet (artikel 20): begär ett portabilitetspaket i dessa maskinläsbara format.",
            "Invändning (artikel 21): du kan invända mot behandling som grundas på berättigat intresse; skriv till \(contact).",
        ] },
        complain: { "Du kan lämna klagomål till tillsynsmyndigheten, \($0):" },
        expiry: { "Vår kopia av paketet raderas efter \($0)." })
}
