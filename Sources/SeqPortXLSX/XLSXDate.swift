import SeqPortModel

/// Spreadsheet serial dates (`Specs/xlsx.md`, "Dates typed by a program").
enum XLSXDate {
    /// Days from 1970-01-01 to the serial number's day 0 in each date system.
    /// 1900 system: serial 1 is 1900-01-01 and serial 60 the 1900-02-29 that never was (Lotus 1-2-3's
    /// leap year); from 61 on, serial n is 1899-12-30 + n. 1904 system: serial 0 is 1904-01-01.
    static func epochDays(serialDay: Int, date1904: Bool) -> Int? {
        if date1904 { return serialDay - 24107 }   // 1904-01-01 is day -24107
        guard serialDay >= 1, serialDay != 60 else { return nil }
        return serialDay < 60 ? serialDay - 25568 : serialDay - 25569   // 1899-12-31, 1899-12-30
    }

    /// The date or timestamp text of a serial number for a field of `type`; `nil` when it names no
    /// real day (negative, 1900-02-29, beyond 9999).
    static func text(serial: Double, date1904: Bool, for type: FieldType) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        // Milliseconds, rounded: spreadsheets keep time as a fraction of a day.
        let totalMillis = Int64((serial * 86_400_000).rounded())
        let day = Int(totalMillis / 86_400_000)
        let millisOfDay = Int(totalMillis % 86_400_000)
        guard let epochDay = epochDays(serialDay: day, date1904: date1904) else { return nil }
        let date = ValueSyntax.date(epochDays: epochDay)
        switch type {
        case .date:
            // A date field takes a whole day; a time part is the field's problem (`value.type`).
            return millisOfDay == 0 ? date : date + time(millisOfDay)
        case .timestamp:
            return date + time(millisOfDay)
        default:
            return millisOfDay == 0 ? date : date + time(millisOfDay)
        }
    }

    private static func time(_ millis: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let seconds = millis / 1000, ms = millis % 1000
        var s = "T" + two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
        if ms > 0 {
            var f = String(ms)
            f = String(repeating: "0", count: 3 - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s + "Z"
    }
}
