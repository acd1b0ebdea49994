import Foundation
import SeqPortModel
import SeqPortTestSupport
@testable import SeqPortXLSX
import XCTest

/// An independent reader: Python's openpyxl opens our workbook and every cell must be what we wrote.
/// Skipped, saying why, when python3 or openpyxl is missing — a failure under SEQPORT_TEST_TOOLS_REQUIRED=1
/// (`.ci/run` installs openpyxl).
final class XLSXOpenpyxlTests: XCTestCase {
    typealias T = XLSXTestSupport

    /// Prints `{sheet: [[cell, …], …]}` as JSON; a cell is null, a string, a number or a boolean.
    static let script = """
        import json, sys
        import openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        out = {"sheets": book.sheetnames, "cells": {}, "frozen": {}, "notes": {}}
        for ws in book.worksheets:
            rows = []
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
                cells = []
                for c in row:
                    v = c.value
                    if isinstance(v, bool) or v is None or isinstance(v, str):
                        cells.append(v)
                    elif isinstance(v, int):
                        cells.append({"int": str(v)})
                    elif isinstance(v, float):
                        cells.append({"float": repr(v)})
                    else:
                        cells.append({"other": str(type(v))})
                rows.append(cells)
            out["cells"][ws.title] = rows
            out["frozen"][ws.title] = ws.freeze_panes
            out["notes"][ws.title] = [c.comment.text if c.comment else None for c in ws[1]]
        json.dump(out, sys.stdout)
        """

    func testOpenpyxlReadsEveryCellAsWritten() throws {
        // python3 as the PATH finds it (pyenv shims included).
        let python = "/usr/bin/env"
        guard run(python, ["python3", "-c", "pass"]).status == 0 else {
            throw TestTools.missing("python3 is not installed: the openpyxl check is skipped")
        }
        guard run(python, ["python3", "-c", "import openpyxl"]).status == 0 else {
            throw TestTools.missing("Python's openpyxl is not installed (pip install openpyxl): the openpyxl check is skipped")
        }
        let layout = XLSXWorkbookWriterTests.layout
        // openpyxl keeps text as Python str, which holds anything but the characters XML 1.0 cannot carry:
        // those it shows as the `_xHHHH_` escape it does not undo (checked separately below).
        let records = XLSXWorkbookWriterTests.awkwardRecords
        var options = XLSXWorkbookWriter.Options()
        options.maxRowsPerSheet = 10
        let path = try T.write([(layout, records)], options: options)
        let result = run(python, ["python3", "-c", Self.script, path])
        XCTAssertEqual(result.status, 0, result.error)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let sheets = try XCTUnwrap(json["sheets"] as? [String])
        let sheetCount = (records.count + 9) / 10
        XCTAssertEqual(sheets, ["contact"] + (2...sheetCount).map { "contact (\($0))" })
        let cells = try XCTUnwrap(json["cells"] as? [String: [[Any]]])
        let frozen = try XCTUnwrap(json["frozen"] as? [String: Any])
        let notes = try XCTUnwrap(json["notes"] as? [String: [Any]])
        var rows: [[Any]] = []
        for sheet in sheets {
            let sheetRows = try XCTUnwrap(cells[sheet])
            XCTAssertEqual(sheetRows.first?.compactMap { $0 as? String }, layout.fields.map(\.name), "header of \(sheet)")
            XCTAssertEqual(frozen[sheet] as? String, "A2", "frozen header of \(sheet)")
            XCTAssertEqual(notes[sheet]?.first as? String, "The record's key", "note on \(sheet)!A1")
            rows += sheetRows.dropFirst()
        }
        XCTAssertEqual(rows.count, records.count)
        for (r, (row, record)) in zip(rows, records).enumerated() {
            for (k, field) in layout.fields.enumerated() {
                let got: Any = k < row.count ? row[k] : NSNull()
                let place = "record \(r + 1) field \(field.name)"
                switch record.values[k] {
                case .null:
                    XCTAssertTrue(got is NSNull, place)
                case .text(let text):
                    switch field.type {
                    case .boolean:
                        XCTAssertEqual(got as? Bool, text == "true", place)
                    case .integer, .decimal:
                        if let number = got as? [String: String] {
                            let value = number["int"] ?? number["float"].flatMap(Double.init).flatMap(XLSXNumber.plainDecimal)
                            XCTAssertEqual(value, text, place)
                        } else {
                            XCTAssertEqual(got as? String, text, place)
                            XCTAssertFalse(Array(text.utf8).withUnsafeBufferPointer { XLSXNumber.isExactNumber($0) }, "\(place) should be numeric")
                        }
                    default:
                        guard let s = got as? String else { XCTFail("\(place): not a string"); continue }
                        // What openpyxl shows, with the `_xHHHH_` escape undone, is exactly the value.
                        XCTAssertTrue(XLSXText.decode(Array(s.utf8)).utf8.elementsEqual(text.utf8), place)
                    }
                }
            }
        }
    }

    private func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (-1, "", "\(error)") }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}
