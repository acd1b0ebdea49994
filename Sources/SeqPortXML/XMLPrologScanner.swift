import SeqPortModel

/// Watches the bytes before the root element and refuses a document type declaration before
/// libxml2 sees a byte of it: no DTD means no entity declarations, so no external entity (XXE), no
/// billion laughs, no quadratic blow-up and no parameter entities, whatever libxml2 would do with them.
///
/// It also insists on a UTF-8 start (an optional UTF-8 byte order mark, then whitespace or `<`): the
/// reader tells libxml2 to ignore encoding declarations, so the bytes scanned here are the bytes
/// libxml2 parses. After the first start tag it stops looking (a DOCTYPE cannot come later).
struct XMLPrologScanner {
    private enum State {
        case start, bom1, bom2, prolog, lessThan, bang, bangDash, comment(dashes: Int), pi, piQuestion, done
    }

    private var state = State.start
    private var line = 1

    /// Whether the scanner has seen the root element start (nothing more to check).
    var isDone: Bool { if case .done = state { return true } else { return false } }

    /// Scans the next bytes of the document; throws `xml.dtd` or `xml.syntax`.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws {
        for b in bytes {
            if case .done = state { return }
            if b == 0x0A { line += 1 }
            switch state {
            case .start:
                if b == 0xEF { state = .bom1 } else { try prolog(b) }
            case .bom1:
                guard b == 0xBB else { throw notUTF8() }
                state = .bom2
            case .bom2:
                guard b == 0xBF else { throw notUTF8() }
                state = .prolog
            case .prolog:
                try prolog(b)
            case .lessThan:
                if b == UInt8(ascii: "?") { state = .pi } else if b == UInt8(ascii: "!") { state = .bang } else if b == 0 {
                    throw notUTF8()
                } else { state = .done }
            case .bang:
                if b == UInt8(ascii: "-") { state = .bangDash } else if b == UInt8(ascii: "D") {
                    throw SeqPortError(.xmlDTD, "document type declarations (doctype) are refused", at: SourceLocation(line: line))
                } else { state = .done }
            case .bangDash:
                state = b == UInt8(ascii: "-") ? .comment(dashes: 0) : .done
            case .comment(let dashes):
                if b == UInt8(ascii: "-") { state = .comment(dashes: min(dashes + 1, 2)) } else if b == UInt8(ascii: ">") && dashes == 2 {
                    state = .prolog
                } else { state = .comment(dashes: 0) }
            case .pi:
                if b == UInt8(ascii: "?") { state = .piQuestion }
            case .piQuestion:
                if b == UInt8(ascii: ">") { state = .prolog } else if b != UInt8(ascii: "?") { state = .pi }
            case .done:
                return
            }
        }
    }

    private mutating func prolog(_ b: UInt8) throws {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D: state = .prolog
        case UInt8(ascii: "<"): state = .lessThan
        default: throw notUTF8()
        }
    }

    private func notUTF8() -> SeqPortError {
        SeqPortError(.xmlSyntax, "document does not start with utf-8 xml markup", at: SourceLocation(line: line))
    }
}
