/// A time zone rule written as a POSIX TZ string, as the last line of a tzdata file gives it:
/// `CET-1CEST,M3.5.0,M10.5.0/3` — standard name and offset (hours *west* of UTC, so `-1` is UTC+1),
/// then optionally the daylight-saving name, offset (default one hour ahead) and the two change
/// times as `Mm.w.d[/time]` (month, week 1–5 where 5 is the last, weekday 0 = Sunday; local time,
/// default 02:00). Pure arithmetic: no time zone database is read, so every machine gives the same
/// answer. Julian-day forms (`Jn`, `n`) are not supported.
public struct ZoneRule: Hashable, Sendable {
    public struct Offset: Hashable, Sendable {
        /// Seconds east of UTC.
        public var seconds: Int
        public var abbreviation: String
    }

    struct Change: Hashable, Sendable {
        var month: Int, week: Int, weekday: Int, seconds: Int
    }

    let standard: Offset
    let daylight: Offset?
    let start: Change?
    let end: Change?

    /// Parses a TZ string; nil when it is not one this type understands.
    public init?(_ text: String) {
        var s = Substring(text)
        func name() -> String? {
            if s.first == "<" {
                guard let close = s.firstIndex(of: ">") else { return nil }
                let n = String(s[s.index(after: s.startIndex)..<close])
                s = s[s.index(after: close)...]
                return n
            }
            let n = s.prefix { $0.isLetter }
            guard n.count >= 3 else { return nil }
            s = s.dropFirst(n.count)
            return String(n)
        }
        /// `[+-]hh[:mm[:ss]]` as seconds.
        func time() -> Int? {
            var sign = 1
            if s.first == "+" || s.first == "-" { sign = s.first == "-" ? -1 : 1; s = s.dropFirst() }
            var parts: [Int] = []
            while true {
                let digits = s.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, digits.count <= 3, let v = Int(digits) else { return nil }
                parts.append(v)
                s = s.dropFirst(digits.count)
                guard s.first == ":", parts.count < 3 else { break }
                s = s.dropFirst()
            }
            let seconds = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
            return sign * seconds
        }
        func change() -> Change? {
            guard s.first == "M" else { return nil }
            s = s.dropFirst()
            var numbers: [Int] = []
            for i in 0..<3 {
                let digits = s.prefix { $0.isASCII && $0.isNumber }
                guard let v = Int(digits) else { return nil }
                numbers.append(v)
                s = s.dropFirst(digits.count)
                if i < 2 { guard s.first == "." else { return nil }; s = s.dropFirst() }
            }
            guard (1...12).contains(numbers[0]), (1...5).contains(numbers[1]), (0...6).contains(numbers[2]) else { return nil }
            var at = 7200
            if s.first == "/" { s = s.dropFirst(); guard let t = time() else { return nil }; at = t }
            return Change(month: numbers[0], week: numbers[1], weekday: numbers[2], seconds: at)
        }
        guard let stdName = name(), let stdWest = time() else { return nil }
        standard = Offset(seconds: -stdWest, abbreviation: stdName)
        if s.isEmpty {
            daylight = nil; start = nil; end = nil
            return
        }
        guard let dstName = name() else { return nil }
        var dstEast = standard.seconds + 3600
        if s.first != "," && !s.isEmpty { guard let west = time() else { return nil }; dstEast = -west }
        daylight = Offset(seconds: dstEast, abbreviation: dstName)
        guard s.first == "," else { return nil }
        s = s.dropFirst()
        guard let a = change(), s.first == "," else { return nil }
        s = s.dropFirst()
        guard let b = change(), s.isEmpty else { return nil }
        start = a
        end = b
    }

    /// The offset in force at an instant (seconds since 1970-01-01T00:00:00Z).
    public func offset(at epoch: Int64) -> Offset {
        guard let daylight, let start, let end else { return standard }
        let local = epoch + Int64(standard.seconds)
        let year = ValueSyntax.civilFromDays(Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)).0
        // Change times are local: the start in standard time, the end in daylight time.
        let begins = instant(start, year: year) - Int64(standard.seconds)
        let ends = instant(end, year: year) - Int64(daylight.seconds)
        let inside = begins < ends ? (epoch >= begins && epoch < ends) : !(epoch >= ends && epoch < begins)
        return inside ? daylight : standard
    }

    /// The local seconds since the epoch at which a change happens in a year.
    func instant(_ c: Change, year: Int) -> Int64 {
        let first = ValueSyntax.daysFromCivil(year, c.month, 1)
        let weekdayOfFirst = ((first % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        var day = 1 + (c.weekday - weekdayOfFirst + 7) % 7 + (c.week - 1) * 7
        let length = ValueSyntax.daysInMonth(year, c.month)
        while day > length { day -= 7 }
        return Int64(first + day - 1) * 86_400 + Int64(c.seconds)
    }

    /// A canonical UTC timestamp as local time: `2026-07-01T10:00:00Z` becomes
    /// (`2026-07-01 12:00:00`, `+02:00`, `CEST`); nil if it is not a canonical timestamp.
    public func local(_ timestamp: String) -> (time: String, offset: String, abbreviation: String)? {
        guard let epoch = ValueSyntax.epochSeconds(ofTimestamp: timestamp) else { return nil }
        let o = offset(at: epoch)
        let t = ValueSyntax.timestamp(epochSeconds: epoch + Int64(o.seconds))
        let magnitude = abs(o.seconds)
        let sign = o.seconds < 0 ? "-" : "+"
        let offset = sign + ValueSyntax.pad(magnitude / 3600, 2) + ":" + ValueSyntax.pad(magnitude / 60 % 60, 2)
        return (String(t.prefix(10)) + " " + String(t.dropFirst(11).prefix(8)), offset, o.abbreviation)
    }
}
