import SeqPortModel

extension PageText {
    static let sv = PageText(
        title: { "Dina personuppgifter hos \($0)" },
        intro: { subject, at, scope in
            "Det här är en kopia av de personuppgifter vi har om dig, framtagen \(at). "
                + (scope == .access
                    ? "Den besvarar din rätt till tillgång (artikel 15 i dataskyddsförordningen, GDPR): alla uppgifter vi har om dig och vad vi gör med dem."
                    : "Den besvarar din rätt till dataportabilitet (artikel 20 i dataskyddsförordningen, GDPR): uppgifter du själv har lämnat och uppgifter vi har registrerat, i format som andra tjänster kan läsa. Våra egna bedömningar om dig ingår inte; begär ett registerutdrag om du vill se dem.")
                + " Allt som står på den här sidan finns också i filerna bredvid den, så att du kan spara, söka i eller flytta uppgifterna."
        },
        subjectLabel: "Ditt id hos oss", generatedLabel: "Framtagen", scopeLabel: "Typ av kopia", keptUntilLabel: "Vi sparar vår kopia av paketet till",
        scopeName: { $0 == .access ? "registerutdrag (artikel 15)" : "dataportabilitet (artikel 20)" },
        contents: "Innehåll",
        timesNote: { "Tiderna visas i tidszonen \($0) med skillnaden mot UTC (samordnad universell tid); håll pekaren över en tid för att se den i UTC. I filerna står alla tider i UTC." },
        timesUTCNote: "Tiderna visas i UTC (samordnad universell tid), så som de står i filerna.",
        controlsNote: "Tecken som annars skulle vara osynliga i ett värde visas med sitt namn i en liten ruta: CR är en vagnretur, TAB en tabb och andra namn som NUL eller ESC andra styrtecken; i filerna står de som de är.",
        aboutHeading: "Vad vi gör med dina uppgifter",
        aboutIntro: { "\($0), \($1), ansvarar för dina personuppgifter (personuppgiftsansvarig). Uppgifterna lagras och behandlas i \($2)." },
        purposesHeading: "Varför vi använder dem",
        legalBasisHeading: "Vad som ger oss rätt att använda dem",
        legalBasisNote: "Under varje kategori nedan står vilken av dem som gäller för uppgifter av just det slaget.",
        recipientsHeading: "Vem som får ta del av dem",
        recipientsNote: "Under varje kategori nedan står vilka av dessa som får uppgifter av just det slaget.",
        retentionHeading: "Hur länge vi sparar dem",
        retentionNote: "När vi inte längre behöver uppgifterna raderar vi dem. Kopior i våra säkerhetskopior försvinner inom en begränsad tid efter det.",
        sourcesHeading: "Varifrån de kommer",
        originHeading: "Vad fältens ursprung betyder",
        origin: {
            switch $0 {
            case .provided: return "Du har lämnat uppgiften till oss."
            case .observed: return "Vi registrerade uppgiften när du använde våra tjänster."
            case .derived: return "Vi har räknat fram uppgiften ur andra uppgifter enligt en fast regel."
            case .inferred: return "Vi har uppskattat uppgiften, till exempel med en statistisk modell; det är vår bedömning, inte något du har uppgett."
            }
        },
        originName: {
            switch $0 {
            case .provided: return "Lämnad"
            case .observed: return "Registrerad"
            case .derived: return "Härledd"
            case .inferred: return "Uppskattad"
            }
        },
        securityHeading: "Hur vi skyddar dem",
        recipientBasis: "Rättslig grund:",
        recipientTransfers: { "Överförs till \($0.joined(separator: ", ")): se överföringarna nedan." },
        transfersHeading: "Överföringar till länder utanför EU/EES",
        transfersIntro: "En del av dina uppgifter skickas till ett land utanför EU och EES (ett tredjeland). Här är överföringarna, den skyddsåtgärd som skyddar dina uppgifter där (artikel 46 i dataskyddsförordningen) och hur du får en kopia av den.",
        noTransfers: "Vi överför inte dina personuppgifter till länder utanför EU och EES.",
        transferCountry: "Land", transferWhat: "Vad och varför", transferSafeguard: "Skyddsåtgärd", transferCopy: "Kopia av skyddsåtgärden",
        automatedHeading: "Automatiserat individuellt beslutsfattande och profilering",
        automatedIntro: "Vissa beslut om dig fattas automatiskt, med stöd av uppgifterna nedan (artikel 22 i dataskyddsförordningen). Här beskriver vi logiken bakom, betydelsen för dig och de förutsedda följderna. Du kan begära att en person granskar ett sådant beslut, framföra din synpunkt och bestrida beslutet.",
        noAutomated: "Vi fattar inga beslut om dig enbart genom automatiserad behandling (artikel 22 i dataskyddsförordningen).",
        decisionsLabel: "Automatiserade beslut grundas på uppgiften",
        profilingText: "Att räkna fram den är profilering: en automatiserad bedömning av personliga egenskaper",
        logicLabel: "Logiken bakom", significanceLabel: "Betydelsen för dig", consequencesLabel: "De förutsedda följderna",
        automatedFact: "Automatiserade beslut",
        automatedFactText: { $0 ? "beslut grundas på de här fälten; läs hur" : "inga beslut grundas på de här fälten; läs mer" },
        summary: { count, earliest, latest in
            let records = count == 1 ? "1 post" : "\(grouped(count, "\u{A0}")) poster"
            guard let earliest, let latest else { return records + "." }
            return earliest == latest ? "\(records), daterad \(earliest)." : "\(records), från \(earliest) till \(latest)."
        },
        purposes: "Varför vi använder dem", legalBasis: "Rättslig grund", recipients: "Vem som får ta del av dem", retention: "Hur länge vi sparar dem",
        source: "Varifrån de kommer", correctable: "Fält du kan rätta", addRemove: "Lägga till och ta bort", none: "inga",
        addRemoveText: { insert, delete in
            switch (insert, delete) {
            case (true, true): return "Du kan lägga till och ta bort poster."
            case (true, false): return "Du kan lägga till poster, men inte ta bort dem."
            case (false, true): return "Du kan ta bort poster, men inte lägga till nya."
            case (false, false): return "Poster kan inte läggas till eller tas bort via ett paket; skriv till oss i stället."
            }
        },
        fullData: "Alla poster",
        formatLink: { "\($0)-fil: \($1)" },
        empty: "Vi har inga uppgifter av det här slaget om dig.",
        showingFirst: { "Sidan visar de första \(grouped($0, "\u{A0}")) av \(grouped($1, "\u{A0}")) posterna, så att den öppnas snabbt. Alla \(grouped($1, "\u{A0}")) finns i filerna som länkas ovan." },
        filterLabel: "Visa bara rader som innehåller",
        fieldsHeading: "Vad varje fält betyder", fieldCol: "Fält", meaningCol: "Vad det betyder", originCol: "Varifrån det kommer",
        correctableCol: "Du kan rätta det", yes: "ja", no: "nej",
        nullText: { _ in "(inget värde)" }, emptyText: { _ in "(tomt)" },
        photoAlt: { "Bild från fältet ”\($0)”" },
        shortened: { "(förkortat till de första \(grouped($0, "\u{A0}")) av \(grouped($1, "\u{A0}")) tecknen; hela värdet finns i \($2))" },
        openFile: { "Öppna \($0)" },
        rightsHeading: "Dina rättigheter och hur du använder dem",
        rightsIntro: "Du har de här rättigheterna enligt dataskyddsförordningen. Det kostar ingenting att använda dem. Skriv till adressen nedan, berätta vem du är och vad du vill att vi ska göra.",
        rights: { contact in [
            ("Rätt till tillgång, registerutdrag (artikel 15)", "Du kan när som helst begära en kopia av dina uppgifter och de upplysningar som står på den här sidan. Det här paketet är en sådan kopia; be \(contact) om en ny när du vill."),
            ("Rätt till rättelse (artikel 16)", "Om något är fel eller ofullständigt har du rätt att få det rättat. Läs ”Så begär du rättelse” nedan, eller skriv till \(contact)."),
            ("Rätt till radering (artikel 17)", "Du kan begära att vi raderar dina uppgifter, till exempel när vi inte längre behöver dem eller när du tar tillbaka ditt samtycke. Skriv till \(contact). Vissa uppgifter måste vi enligt lag spara, som fakturor för bokföringen; vi talar om vilka."),
            ("Rätt till begränsning av behandling (artikel 18)", "Du kan begära att vi slutar använda dina uppgifter men sparar dem, till exempel medan vi kontrollerar en rättelse. Skriv till \(contact)."),
            ("Rätt till dataportabilitet (artikel 20)", "Du kan få ut de uppgifter du har lämnat och de vi har registrerat i maskinläsbara format, för att ta med dem till en annan tjänst. Be \(contact) om ett portabilitetspaket."),
            ("Rätt att göra invändningar (artikel 21)", "Du kan invända mot att vi använder dina uppgifter med stöd av berättigat intresse, och när som helst mot direktmarknadsföring. Skriv till \(contact) eller ändra dina marknadsföringsinställningar i ditt konto."),
            ("Rätt att återkalla samtycke (artikel 7)", "När vi använder dina uppgifter för att du har samtyckt kan du när som helst ta tillbaka samtycket, lika enkelt som du gav det. Skriv till \(contact)."),
        ] },
        complainName: "Rätt att inge klagomål till en tillsynsmyndighet (artikel 77)",
        complain: { "Om du anser att vi hanterar dina uppgifter fel kan du klaga hos \($0). Vi blir glada om du hör av dig till oss först, så att vi kan försöka rätta till det:" },
        leadAuthority: { "Den tillsynsmyndighet som har tillsyn över \($0) (ansvarig tillsynsmyndighet) är" },
        answerTime: "Vi svarar inom en månad. Om din begäran är komplicerad kan vi behöva upp till två månader till, och då berättar vi varför inom den första månaden.",
        correctionHeading: "Så begär du rättelse",
        correctionSteps: { contact in [
            "Packa upp paketet om du inte redan har gjort det (du läser troligen den här sidan i den uppackade mappen).",
            "Öppna xlsx/data.xlsx i Excel, LibreOffice eller Numbers: varje kategori är ett blad, och det du skriver blir kvar precis som du skriver det. Eller öppna kategorins CSV-fil (i csv/) i ett kalkylprogram eller en textredigerare, eller dess JSON-fil (i json/) i en textredigerare. Ändra bara de värden som är fel och låt allt annat vara, även kolumnen id. Vill du lägga till en post där det är tillåtet, lägg till en rad och lämna dess id tomt: vi ger den ett. Ändra bara i en av kopiorna: arbetsboken, CSV eller JSON.",
            "Spara filen med samma namn i samma mapp. Ett kalkylprogram kan spara den med semikolon i stället för komma, eller med SANT och FALSKT: det går bra. Kontrollera att nummer som telefonnummer har kvar sina inledande nollor.",
            "Packa hela mappen som en ZIP-fil på valfritt sätt (till exempel ”Skicka till → Komprimerad mapp” i Windows eller ”Komprimera” på en Mac) och skicka ZIP-filen till \(contact).",
            "Vi kontrollerar paketet och visar dig exakt vad som skulle ändras innan vi ändrar något. Sedan bekräftar vi och meddelar dem som har fått uppgifterna om rättelsen (artikel 19).",
        ] },
        correctableListIntro: "Du kan själv rätta de här fälten i filerna:",
        filesHeading: "Filerna i paketet",
        filesIntro: "Varje kategori finns tre gånger i paketet, med samma poster i samma ordning, så att du kan öppna den i det program du föredrar:",
        fileKinds: [
            ("index.html", "Den här sidan, för läsning. Den visar alla kategorier, men bara de första posterna i mycket långa."),
            ("xlsx/data.xlsx", "En arbetsbok med ett blad per kategori: öppna den i Excel, LibreOffice eller Numbers för att läsa eller rätta dina uppgifter. Texter blir kvar precis som de är (inledande nollor, +46); anteckningarna på kolumnrubrikerna förklarar varje fält."),
            ("vcard/contact.vcf", "Dina kontaktuppgifter som ett kontaktkort (vCard 4.0), som telefoner, e-postprogram och andra tjänster kan läsa in."),
            ("csv/", "En CSV-fil per kategori, som ett kalkylprogram kan öppna (Excel, LibreOffice, Numbers). Filerna är i UTF-8. Det är dem du ändrar när du vill begära rättelse, och de ska behålla sina namn."),
            ("json/", "En JSON-fil per kategori, för program och andra tjänster."),
            ("xml/", "En XML-fil per kategori, för program som föredrar XML."),
            ("files/", "Ditt foto och de bilagor du har skickat oss, oförändrade, en mapp per fil."),
            ("schema/", "Tekniska beskrivningar av filerna: schema/seqport-schema.json beskriver varje kategori och fält, schema/json/ innehåller ett JSON Schema per kategori och schema/bundle.xsd ett XML Schema. Program använder dem för att kontrollera filerna; du behöver dem inte."),
            ("fingerprints/", "För de kategorier du kan rätta: en kort kod per post som visar oss om posten har ändrats hos oss sedan paketet togs fram. Låt de här filerna vara som de är."),
            ("manifest.json", "Innehållsförteckningen: varje fil med storlek och SHA-256-kontrollsumma, och upplysningarna på den här sidan i maskinläsbar form."),
        ],
        signatureKind: "Om filen finns: en digital signatur av manifest.json (minisign). Med vår publika nyckel bevisar den att paketet kommer från oss och inte har ändrats.",
        checksumHeading: "Så kontrollerar du att inget har ändrats",
        checksumIntro: "Varje fil har en SHA-256-kontrollsumma, ett slags fingeravtryck av innehållet, som står i listan nedan och i manifest.json. Om så bara ett tecken i en fil ändras blir kontrollsumman en annan. Kontrollera en fil genom att räkna ut dess kontrollsumma i ett terminalfönster i den uppackade mappen och jämföra med listan:",
        checksumManifest: "Den här sidan finns också med i manifest.json; en sida kan inte innehålla sin egen kontrollsumma. Kommandot seqport verify kontrollerar alla filer i paketet på en gång.",
        checksumCommands: { "sha256sum \($0)                   # Linux\nshasum -a 256 \($0)               # macOS\nGet-FileHash \($0) -Algorithm SHA256   # Windows PowerShell" },
        fileCol: "Fil", bytesCol: "Storlek (byte)",
        expiry: { "Vi raderar vår egen kopia av paketet efter \($0). Din kopia får du behålla." },
        encryptedNote: "Paketet är skyddat med lösenord (AES-256-kryptering i WinZip-formatet). 7-Zip (Windows, Linux), Keka (macOS) och bsdtar kan öppna det; Utforskaren i Windows och Arkivverktyget i macOS kan inte. Lösenordet har skickats till dig separat.",
        hiddenLabel: "Dolt för att skydda andra",
        hiddenCount: { "\($0) värden i" })
}
