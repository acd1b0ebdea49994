import Foundation
@testable import SeqPortBundle
import SeqPortModel
import SeqPortTestSupport
import XCTest
@testable import SeqPortPipeline

/// Independent tools read what seqport writes: unzip, Python's zipfile, 7-Zip, xmllint with the
/// bundle's XSD, and Python's jsonschema with the bundle's JSON Schemas. CI installs them all
/// (.ci/run); on a developer machine without one, that check is skipped with the reason.
final class InteroperabilityTests: XCTestCase {
    var bundle = ""
    var unpacked = ""
    var config: Configuration!

    override func setUpWithError() throws {
        let (store, config, dir) = try sampleStore(self)
        self.config = config
        bundle = try export(store, config, to: dir + "/out").path
        unpacked = dir + "/unpacked"
        for e in try entries(of: bundle) {
            let path = unpacked + "/" + e.name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(e.bytes)))
        }
    }

    func testUnzipTestsTheBundleWithoutWarnings() throws {
        guard let r = try runTool("unzip", ["-t", bundle]) else { throw TestTools.missing("unzip is not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("No errors detected"), r.output)
        XCTAssertFalse(r.output.lowercased().contains("warning"), r.output)
    }

    func testPythonZipfileReadsEveryEntry() throws {
        let script = "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.namelist()))"
        guard let r = try runTool("python3", ["-c", script, bundle]) else { throw TestTools.missing("python3 is not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(Int(r.output.trimmingCharacters(in: .whitespacesAndNewlines)), try entries(of: bundle).count)
    }

    func testSevenZipTestsTheBundleWithoutWarnings() throws {
        guard let r = try runTool("7z", ["t", bundle]) ?? runTool("7zz", ["t", bundle]) else { throw TestTools.missing("7-Zip (Debian package 7zip) is not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("Everything is Ok"), r.output)
        XCTAssertFalse(r.output.contains("WARNING"), r.output)
    }

    func testEveryXMLCopyIsValidAgainstTheBundleXSDWithXmllint() throws {
        for c in config.schema.categories {
            guard let r = try runTool("xmllint", ["--noout", "--nonet", "--schema", unpacked + "/schema/bundle.xsd", unpacked + "/xml/\(c.name).xml"]) else {
                throw TestTools.missing("xmllint (Debian package libxml2-utils) is not installed")
            }
            XCTAssertEqual(r.status, 0, "\(c.name): \(r.output)")
        }
    }

    func testEveryJSONCopyIsValidAgainstItsJSONSchemaWithPythonJsonschema() throws {
        let script = """
        import json,sys,jsonschema
        root=sys.argv[1]
        for name in sys.argv[2:]:
            schema=json.load(open(f"{root}/schema/json/{name}.schema.json"))
            jsonschema.Draft202012Validator.check_schema(schema)
            data=json.load(open(f"{root}/json/{name}.json"))
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
        print("ok")
        """
        guard try runTool("python3", ["-c", "import jsonschema"])?.status == 0 else { throw TestTools.missing("Python's jsonschema is not installed") }
        let r = try XCTUnwrap(try runTool("python3", ["-c", script, unpacked] + config.schema.categories.map(\.name)))
        XCTAssertEqual(r.status, 0, r.output)
    }

    /// Issue #12: Python's openpyxl reads every cell of the bundle's workbook, and each equals the JSON
    /// copy's value (texts after undoing the OOXML `_xHHHH_` escape, as Excel does and openpyxl does not).
    func testOpenpyxlReadsEveryCellOfTheWorkbookAsTheJSONCopyHoldsIt() throws {
        let script = #"""
        import json, re, sys, openpyxl
        root = sys.argv[1]
        unescape = lambda s: re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)
        wb = openpyxl.load_workbook(f"{root}/xlsx/data.xlsx", read_only=True)
        manifest = json.load(open(f"{root}/manifest.json"))
        checked = 0
        for c in manifest["categories"]:
            rows = json.load(open(f"{root}/json/{c['name']}.json"))
            cells = []
            for sheet in c["sheets"]:
                it = wb[sheet].iter_rows(values_only=True)
                header = next(it)
                cells += [dict(zip(header, r)) for r in it]
            assert len(cells) == len(rows), (c["name"], len(cells), len(rows))
            for want, got in zip(rows, cells):
                for k, v in want.items():
                    w = got.get(k)
                    if v is None:
                        assert w is None, (c["name"], k, w)
                    elif isinstance(v, bool):
                        assert w is v, (c["name"], k, v, w)
                    elif isinstance(v, (int, float)) or isinstance(w, (int, float)):
                        # Numbers: decimals travel as JSON strings ("12.50") and as numeric cells.
                        assert isinstance(w, (int, float)) and float(w) == float(v), (c["name"], k, v, w)
                    else:
                        assert unescape(w if w is not None else "") == v, (c["name"], k, repr(v)[:80], repr(w)[:80])
                    checked += 1
        print(checked)
        """#
        guard try runTool("python3", ["-c", "import openpyxl"])?.status == 0 else { throw TestTools.missing("Python's openpyxl is not installed (pip install openpyxl)") }
        let r = try XCTUnwrap(try runTool("python3", ["-c", script, unpacked]))
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertGreaterThan(Int(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 300, "cells compared: \(r.output)")
    }

    /// Issue #13: Python's vobject parses the bundle's contact card.
    func testVobjectParsesTheBundlesContactCard() throws {
        let script = #"""
        import sys, vobject
        card = vobject.readOne(open(sys.argv[1], encoding="utf-8").read())
        print(card.fn.value)
        print(len(card.contents.get("email", [])))
        """#
        guard try runTool("python3", ["-c", "import vobject"])?.status == 0 else { throw TestTools.missing("Python's vobject is not installed (pip install vobject)") }
        let r = try XCTUnwrap(try runTool("python3", ["-c", script, unpacked + "/vcard/contact.vcf"]))
        XCTAssertEqual(r.status, 0, r.output)
        let lines = r.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.output)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: unpacked + "/json/contact.json"))) as! [[String: Any]]
        XCTAssertEqual(String(lines.first ?? ""), json[0]["full_name"] as? String)
        let emails = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: unpacked + "/json/email_addresses.json"))) as! [[String: Any]]
        XCTAssertEqual(Int(lines.last ?? ""), emails.count)
    }
}

/// Issue #12: a workbook edited and saved by a real program (Python's openpyxl: it reads the whole
/// workbook and writes it anew, with shared strings and its own styles) imports as exactly the edit.
final class WorkbookProgramTests: XCTestCase {
    func testAWorkbookOpenpyxlEditedAndSavedImportsAsExactlyThatOneChange() throws {
        guard try runTool("python3", ["-c", "import openpyxl"])?.status == 0 else { throw TestTools.missing("Python's openpyxl is not installed (pip install openpyxl)") }
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let all = try entries(of: bundle)
        let workbook = dir + "/data.xlsx"
        FileManager.default.createFile(atPath: workbook, contents: Data(all.first { $0.name == BundleLayout.workbook }!.bytes))
        let script = #"""
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb["professional"]
        header = [c.value for c in ws[1]]
        ws.cell(row=2, column=header.index("job_title") + 1, value="Chief Scientist")
        wb.save(sys.argv[2])
        """#
        let saved = dir + "/saved.xlsx"
        let r = try XCTUnwrap(try runTool("python3", ["-c", script, workbook, saved]))
        XCTAssertEqual(r.status, 0, r.output)
        let edited = dir + "/edited.zip"
        try rewriteBundle(bundle, to: edited, replacing: [BundleLayout.workbook: Array(try Data(contentsOf: URL(fileURLWithPath: saved)))])
        var options = ImportOptions()
        options.now = fixedTime
        let plan = try Importer(store: store).run(bundle: edited, options: options)
        // openpyxl writes every other cell back as it read it, except that a CR in a line break comes back
        // as LF (it writes a raw CR), which the import takes as the same text: exactly one change.
        XCTAssertEqual(plan.changes.map(\.field), ["job_title"], plan.renderText())
        XCTAssertEqual(plan.changes.first?.new, "Chief Scientist")
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText())
    }

    /// LibreOffice Calc (headless) re-saves the workbook: unedited, it imports as no changes; with one
    /// cell edited by openpyxl first, as exactly that change. (LibreOffice saves booleans as the constant
    /// formulas TRUE() and FALSE(), which the reader takes; any other formula is refused.)
    func testLibreOfficeResavesTheWorkbookAndTheImportSeesOnlyTheEdit() throws {
        guard let probe = try runTool("soffice", ["--version"]), probe.status == 0 else {
            throw TestTools.missing("LibreOffice is not installed (Debian package libreoffice-calc-nogui)")
        }
        guard try runTool("python3", ["-c", "import openpyxl"])?.status == 0 else { throw TestTools.missing("Python's openpyxl is not installed (pip install openpyxl)") }
        let (store, config, dir) = try sampleStore(self)
        let bundle = try export(store, config, to: dir + "/out").path
        let workbook = try entries(of: bundle).first { $0.name == BundleLayout.workbook }!.bytes
        func resaved(_ input: String) throws -> [UInt8] {
            let out = dir + "/lo-\(UUID().uuidString)"
            let r = try XCTUnwrap(try runTool("soffice", ["-env:UserInstallation=file://\(dir)/lo-profile", "--headless", "--norestore",
                                                         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, input]))
            XCTAssertEqual(r.status, 0, r.output)
            return Array(try Data(contentsOf: URL(fileURLWithPath: out + "/" + (input as NSString).lastPathComponent)))
        }
        let original = dir + "/data.xlsx"
        FileManager.default.createFile(atPath: original, contents: Data(workbook))
        let unedited = dir + "/unedited.zip"
        try rewriteBundle(bundle, to: unedited, replacing: [BundleLayout.workbook: try resaved(original)])
        var options = ImportOptions()
        options.now = fixedTime
        let plan = try Importer(store: store).run(bundle: unedited, options: options)
        XCTAssertTrue(plan.isEmpty, plan.renderText())

        let edited = dir + "/edited.xlsx"
        let script = "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nws = wb['contact']\nh = [c.value for c in ws[1]]\nws.cell(row=2, column=h.index('phone') + 1, value='0701234567')\nwb.save(sys.argv[2])"
        XCTAssertEqual(try XCTUnwrap(try runTool("python3", ["-c", script, original, edited])).status, 0)
        let editedBundle = dir + "/edited.zip"
        try rewriteBundle(bundle, to: editedBundle, replacing: [BundleLayout.workbook: try resaved(edited)])
        let one = try Importer(store: store).run(bundle: editedBundle, options: options)
        XCTAssertEqual(one.changes.map(\.field), ["phone"], one.renderText())
        XCTAssertEqual(one.changes.first?.new, "0701234567")
        XCTAssertTrue(one.refusals.isEmpty, one.renderText())
    }
}

/// Issue #13, item 5: a card another program wrote (Python's vobject, an independent vCard 3.0 writer:
/// escaped `,` and `;`, `TYPE=INTERNET,WORK,pref`, an `ENCODING=b` photo) imports as planned.
final class CardProgramTests: XCTestCase {
    func testACardVobjectWritesImportsAsExactlyItsChanges() throws {
        guard try runTool("python3", ["-c", "import vobject"])?.status == 0 else { throw TestTools.missing("Python's vobject is not installed (pip install vobject)") }
        let (store, config, dir) = try sampleStore(self)
        let contact = config.schema.category(named: "contact")!
        let emails = config.schema.category(named: "email_addresses")!
        // The stored photo and the subject's first address, as the other service holds them.
        var stored: (photo: [UInt8], address: String, label: String, primary: String) = ([], "", "", "")
        try store.withSnapshot { snap in
            try snap.forEachRecord(subject: "s-00001", in: contact, fields: contact.layout(scope: .access).fields) { r in
                if let id = r[3].text, let file = try snap.file(id: id, subject: "s-00001") { stored.photo = file.content }
            }
            var first = true
            try snap.forEachRecord(subject: "s-00001", in: emails, fields: emails.layout(scope: .access).fields) { r in
                if first { stored.address = r[1].text!; stored.label = r[2].text!; stored.primary = r[3].text! }
                first = false
            }
        }
        XCTAssertFalse(stored.photo.isEmpty, "the sample subject has a photo")
        let photo = dir + "/photo.bin"
        FileManager.default.createFile(atPath: photo, contents: Data(stored.photo))
        let types = ["work": "WORK", "personal": "HOME", "billing": "x-billing", "other": ""][stored.label]!
        let script = #"""
        import sys, vobject
        out, photo, address, types = sys.argv[1:5]
        c = vobject.vCard()
        c.add('fn').value = 'Åsa "Ace" Lindström-O\'Brien, PhD; senior'
        c.add('n').value = vobject.vcard.Name()
        c.add('tel').value = '+46 70 123 45 67'
        e = c.add('email'); e.value = address; e.type_param = ['INTERNET'] + [t for t in types.split(',') if t]
        e = c.add('email'); e.value = 'new@example.org'; e.type_param = ['INTERNET', 'HOME']
        p = c.add('photo'); p.encoding_param = 'b'; p.type_param = 'JPEG'; p.value = open(photo, 'rb').read()
        open(out, 'w', encoding='utf-8', newline='').write(c.serialize())
        """#
        let card = dir + "/vobject.vcf"
        let typesArgument = ([types] + (stored.primary == "true" ? ["pref"] : [])).joined(separator: ",")
        let r = try XCTUnwrap(try runTool("python3", ["-c", script, card, photo, stored.address, typesArgument]))
        XCTAssertEqual(r.status, 0, r.output)
        var options = ImportOptions()
        options.apply = true
        options.now = fixedTime
        let plan = try Importer(store: store).run(card: card, subject: "s-00001", options: options)
        XCTAssertTrue(plan.refusals.isEmpty, plan.renderText())
        XCTAssertTrue(plan.applied, plan.renderText())
        // The name with its escaped comma and semicolon, the phone, one new address; the same photo and
        // the known address (no X-SEQPORT-ID: matched by the address) are no change.
        let updates = plan.changes.filter { $0.action == .update }
        XCTAssertEqual(updates.map(\.field), ["full_name", "phone"], plan.renderText())
        XCTAssertEqual(updates.first?.new, "Åsa \"Ace\" Lindström-O'Brien, PhD; senior")
        XCTAssertEqual(updates.last?.new, "+46 70 123 45 67")
        let inserts = plan.changes.filter { $0.action == .insert }
        XCTAssertEqual(inserts.map { $0.values?["address"] ?? nil }, ["new@example.org"], plan.renderText())
        XCTAssertEqual(inserts.first?.values?["label"], "personal")
        XCTAssertTrue(try Importer(store: store).run(card: card, subject: "s-00001").isEmpty, "imported again, the card plans nothing")
    }
}
