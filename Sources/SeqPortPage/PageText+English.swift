import SeqPortModel

extension PageText {
    static let en = PageText(
        title: { "Your personal data at \($0)" },
        intro: { subject, at, scope in
            "This is a copy of the personal data we hold about you, made on \(at). "
                + (scope == .access
                    ? "It answers your right of access (GDPR Article 15): every piece of data we hold about you, and what we do with it."
                    : "It answers your right to data portability (GDPR Article 20): the data you gave us and the data we observed, in formats other services can read. Our own conclusions about you are not included; ask for an access copy to see them.")
                + " Everything on this page is also in the files next to it, so you can keep it, search it or move it elsewhere."
        },
        subjectLabel: "Your id with us", generatedLabel: "Made on", scopeLabel: "Kind of copy", keptUntilLabel: "We keep our copy of this bundle until",
        scopeName: { $0 == .access ? "access (Article 15)" : "data portability (Article 20)" },
        contents: "Contents",
        timesNote: { "Times are shown in the time zone \($0) with their offset from UTC; hover over a time to see it in UTC. The files keep every time in UTC." },
        timesUTCNote: "Times are shown in UTC (Coordinated Universal Time), as the files keep them.",
        controlsNote: "Characters that would be invisible in a value are shown by name in a small box: CR is a carriage return, TAB a tab, and other names such as NUL or ESC are other control characters; the files keep them as they are.",
        aboutHeading: "What we do with your data",
        aboutIntro: { "\($0), \($1), is responsible for your personal data (the controller). Your data is stored and processed in \($2)." },
        purposesHeading: "Why we use it",
        legalBasisHeading: "What gives us the right to use it",
        legalBasisNote: "Each section below says which of these applies to data of that kind.",
        recipientsHeading: "Who receives it",
        recipientsNote: "Each section below says which of these receive data of that kind.",
        retentionHeading: "How long we keep it",
        retentionNote: "When we no longer need data, we delete it. Copies in our backups disappear within a limited time after that.",
        sourcesHeading: "Where it comes from",
        originHeading: "What the field origins mean",
        origin: {
            switch $0 {
            case .provided: return "You gave it to us."
            case .observed: return "We recorded it while you used our services."
            case .derived: return "We calculated it from other data by a fixed rule."
            case .inferred: return "We estimated it, for example with a statistical model; it is our assessment, not a fact you gave us."
            }
        },
        originName: {
            switch $0 {
            case .provided: return "Provided"
            case .observed: return "Observed"
            case .derived: return "Derived"
            case .inferred: return "Inferred"
            }
        },
        securityHeading: "How we protect it",
        recipientBasis: "Legal basis:",
        recipientTransfers: { "Transferred to \($0.joined(separator: ", ")): see the transfers below." },
        transfersHeading: "Transfers outside the EU/EEA",
        transfersIntro: "Some of your data goes to a country outside the EU and the EEA (a third country). These are the transfers, the safeguard that protects your data there (GDPR Article 46) and how to get a copy of it.",
        noTransfers: "We do not transfer your personal data to countries outside the EU and the EEA.",
        transferCountry: "Country", transferWhat: "What and why", transferSafeguard: "Safeguard", transferCopy: "Copy of the safeguard",
        automatedHeading: "Automated decisions and profiling",
        automatedIntro: "Some decisions about you are taken by automated means, on the data below (GDPR Article 22). This is the logic involved, what it means for you and what can follow. You may ask for a person to review such a decision, give your point of view and contest it.",
        noAutomated: "We take no decisions about you by automated means alone (GDPR Article 22).",
        decisionsLabel: "Automated decisions based on it",
        profilingText: "Computing it is profiling: an automated evaluation of personal aspects",
        logicLabel: "The logic involved", significanceLabel: "What it means for you", consequencesLabel: "What can follow",
        automatedFact: "Automated decisions",
        automatedFactText: { $0 ? "decisions are based on these fields; read how" : "no decisions are based on these fields; read more" },
        summary: { count, earliest, latest in
            let records = count == 1 ? "1 record" : "\(grouped(count, ",")) records"
            guard let earliest, let latest else { return records + "." }
            return earliest == latest ? "\(records), dated \(earliest)." : "\(records), from \(earliest) to \(latest)."
        },
        purposes: "Why we use it", legalBasis: "Legal basis", recipients: "Who receives it", retention: "How long we keep it",
        source: "Where it comes from", correctable: "Fields you can correct", addRemove: "Adding and removing", none: "none",
        addRemoveText: { insert, delete in
            switch (insert, delete) {
            case (true, true): return "You can add and remove records."
            case (true, false): return "You can add records, not remove them."
            case (false, true): return "You can remove records, not add them."
            case (false, false): return "Records cannot be added or removed through a bundle; write to us instead."
            }
        },
        fullData: "All records",
        formatLink: { "\($0) file: \($1)" },
        empty: "We hold no data of this kind about you.",
        showingFirst: { "This page shows the first \(grouped($0, ",")) of \(grouped($1, ",")) records, so that it opens quickly. All \(grouped($1, ",")) are in the files linked above." },
        filterLabel: "Show only rows containing",
        fieldsHeading: "What each field means", fieldCol: "Field", meaningCol: "What it means", originCol: "Where it comes from",
        correctableCol: "You can correct it", yes: "yes", no: "no",
        nullText: { _ in "(no value)" }, emptyText: { _ in "(empty)" },
        photoAlt: { "Picture from the field “\($0)”" },
        shortened: { "(shortened to the first \(grouped($0, ",")) of \(grouped($1, ",")) characters; the full value is in \($2))" },
        openFile: { "Open \($0)" },
        rightsHeading: "Your rights and how to use them",
        rightsIntro: "You have these rights under the GDPR. Using them is free of charge. Write to us at the address below; say who you are and what you want us to do.",
        rights: { contact in [
            ("Right of access (Article 15)", "You may ask at any time for a copy of your data and for the facts on this page. This bundle is that copy; ask \(contact) for a new one whenever you like."),
            ("Right to rectification (Article 16)", "If something is wrong or incomplete, you may have it corrected. See “How to ask for a correction” below, or write to \(contact)."),
            ("Right to erasure (Article 17)", "You may ask us to delete your data, for example when we no longer need it or you withdraw your consent. Write to \(contact). Some data we must keep by law, such as invoices for bookkeeping; we will tell you which."),
            ("Right to restriction of processing (Article 18)", "You may ask us to stop using your data, while keeping it, for example while we check a correction. Write to \(contact)."),
            ("Right to data portability (Article 20)", "You may receive the data you gave us, and the data we observed, in machine-readable formats to take to another service. Ask \(contact) for a portability bundle."),
            ("Right to object (Article 21)", "You may object to our use of your data based on legitimate interests, and to direct marketing at any time. Write to \(contact), or change your marketing preferences in your account."),
            ("Right to withdraw consent (Article 7)", "Where we use your data because you consented, you may withdraw that consent at any time, as easily as you gave it. Write to \(contact)."),
        ] },
        complainName: "Right to lodge a complaint with a supervisory authority (Article 77)",
        complain: { "If you think we handle your data wrongly, you may complain to \($0). We would be glad if you told us first, so that we can try to put it right:" },
        leadAuthority: { "The authority that supervises \($0) (its lead supervisory authority) is" },
        answerTime: "We answer within one month. If your request is complex we may need up to two months more, and we will then tell you why within the first month.",
        correctionHeading: "How to ask for a correction",
        correctionSteps: { contact in [
            "Unzip the bundle, if you have not already (you are probably reading this page from the unzipped folder).",
            "Open xlsx/data.xlsx in Excel, LibreOffice or Numbers: each category is a sheet, and what you type stays exactly as you type it. Or open the category’s CSV file (in csv/) in a spreadsheet or a text editor, or its JSON file (in json/) in a text editor. Change only the values that are wrong; leave everything else, including the id column, as it is. To add a record where that is allowed, add a row and leave its id empty: we give it one. Edit one copy only: the workbook, the CSV or the JSON.",
            "Save the file under the same name, in the same folder. A spreadsheet may save it with semicolons instead of commas, or with TRUE and FALSE: that is fine. Check that numbers such as phone numbers kept their leading zeros.",
            "Zip the whole folder any way you like (for example “Send to → Compressed folder” on Windows, or “Compress” on a Mac) and send the ZIP file to \(contact).",
            "We check the bundle and show you exactly what would change before we change anything. We then confirm, and tell the recipients of the data about the correction (Article 19).",
        ] },
        correctableListIntro: "You can correct these fields yourself in the files:",
        filesHeading: "The files in this bundle",
        filesIntro: "Every category is in the bundle three times, with the same records in the same order, so that you can open it with the program you prefer:",
        fileKinds: [
            ("index.html", "This page, for reading. It shows every category, but only the first records of very long ones."),
            ("xlsx/data.xlsx", "One workbook with a sheet per category: open it in Excel, LibreOffice or Numbers to read or correct your data. Texts stay exactly as they are (leading zeros, +46); the notes on the column headers explain each field."),
            ("vcard/contact.vcf", "Your contact details as a contact card (vCard 4.0), which phones, mail programs and other services import."),
            ("csv/", "One CSV file per category, which a spreadsheet opens (Excel, LibreOffice, Numbers). The files are UTF-8. Edit these to ask for a correction, and keep their names."),
            ("json/", "One JSON file per category, for programs and other services."),
            ("xml/", "One XML file per category, for programs that prefer XML."),
            ("files/", "Your photograph and the attachments you sent us, as they are, one folder per file."),
            ("schema/", "Technical descriptions of the files: schema/seqport-schema.json describes every category and field, schema/json/ holds a JSON Schema per category and schema/bundle.xsd an XML Schema. Programs use them to check the files; you do not need them."),
            ("fingerprints/", "For the categories you can correct: a short code per record that shows us whether a record has changed on our side since this bundle was made. Leave these files as they are."),
            ("manifest.json", "The list of contents: every file with its size and SHA-256 checksum, and the facts on this page in machine-readable form."),
        ],
        signatureKind: "If present, a digital signature of manifest.json (minisign). With our public key it proves that the bundle comes from us and has not been altered.",
        checksumHeading: "How to check that nothing has been altered",
        checksumIntro: "Each file has a SHA-256 checksum, a fingerprint of its content, listed below and in manifest.json. If even one character of a file changes, its checksum changes. To check a file, compute its checksum in a terminal in the unzipped folder and compare it with the list:",
        checksumManifest: "This page is listed in manifest.json too; a page cannot contain its own checksum. seqport verify checks every file of the bundle at once.",
        checksumCommands: { "sha256sum \($0)                   # Linux\nshasum -a 256 \($0)               # macOS\nGet-FileHash \($0) -Algorithm SHA256   # Windows PowerShell" },
        fileCol: "File", bytesCol: "Size (bytes)",
        expiry: { "We delete our own copy of this bundle after \($0). Your copy is yours to keep." },
        encryptedNote: "This bundle is protected with a password (AES-256 encryption, the WinZip format). 7-Zip (Windows, Linux), Keka (macOS) and bsdtar open it; Windows Explorer and macOS Archive Utility cannot. The password was sent to you separately.",
        hiddenLabel: "Hidden to protect others",
        hiddenCount: { "\($0) values in" })
}
