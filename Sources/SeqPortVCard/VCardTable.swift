import SeqPortModel

/// A card as one flat record with stable field names, for untyped `convert` (`Specs/vcard.md`,
/// "Cards as records"). Nothing is dropped: every property, parameter and group becomes a field.
///
/// | field | holds |
/// |---|---|
/// | `version` | the card's VERSION |
/// | `fn`, `tel`, `x-foo` | a property's value as text (unescaped), name in lower case |
/// | `tel.2`, `tel.3` | the 2nd, 3rd property of that name (and group) |
/// | `item1/email` | a property in group `item1` |
/// | `n.family`, `n.given`, `adr.street`, … | a component of a structured property (`N`, `ADR`, `ORG`, `GENDER`) |
/// | `n.part6` | a component past the named ones |
/// | `n.additional.2` | the 2nd value of a component that is a list |
/// | `tel@type`, `tel@type.2` | a parameter's values, in order |
///
/// Names never collide: property and parameter names hold only letters, digits and `-`; groups end
/// in `/`, occurrence and value numbers are all digits, component names never are.
public enum VCardTable {
    /// The component names of the structured properties.
    public static let components: [String: [String]] = [
        "N": ["family", "given", "additional", "prefix", "suffix"],
        "ADR": ["pobox", "ext", "street", "locality", "region", "code", "country"],
        "ORG": ["name", "unit"],
        "GENDER": ["sex", "identity"],
    ]

    /// The largest occurrence, component or value number a field name may hold (`ReaderLimits.maxFields`).
    public static let maxNumber = 1024

    /// The fields of one card in order: names and values.
    public static func fields(of card: VCard) -> [(name: String, value: String)] {
        var out: [(String, String)] = [("version", card.version.rawValue)]
        var occurrences: [String: Int] = [:]
        for p in card.properties {
            var base = (p.group.map { $0 + "/" } ?? "") + p.name.lowercased()
            let key = base
            let k = (occurrences[key] ?? 0) + 1
            occurrences[key] = k
            if k > 1 { base += ".\(k)" }
            if let names = components[p.name] {
                for (j, values) in p.components.enumerated() {
                    let component = base + "." + (j < names.count ? names[j] : "part\(j + 1)")
                    for (v, value) in values.enumerated() {
                        out.append((v == 0 ? component : component + ".\(v + 1)", value))
                    }
                }
            } else {
                out.append((base, p.text))
            }
            for parameter in p.parameters {
                let name = base + "@" + parameter.name.lowercased()
                for (v, value) in parameter.values.enumerated() {
                    out.append((v == 0 ? name : name + ".\(v + 1)", value))
                }
            }
        }
        return out
    }

    /// What one field name addresses.
    struct Address: Hashable {
        var group: String?
        var name: String
        var occurrence: Int
        enum Part: Hashable { case value, component(Int, value: Int), parameter(String, value: Int) }
        var part: Part
    }

    /// Parses a field name made by `fields(of:)`; nil for `version` or a name it never makes.
    static func address(_ field: String) -> Address? {
        var rest = Substring(field)
        var group: String?
        if let slash = rest.firstIndex(of: "/") {
            group = String(rest[..<slash])
            rest = rest[rest.index(after: slash)...]
        }
        var parameter: Substring?
        if let at = rest.firstIndex(of: "@") {
            parameter = rest[rest.index(after: at)...]
            rest = rest[..<at]
        }
        func isName<S: StringProtocol>(_ s: S) -> Bool {
            !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
        if let group, !isName(group) { return nil }
        var tokens = rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let name = tokens.first, isName(name) else { return nil }
        tokens.removeFirst()
        // Numbers are bounded so that a hostile header cannot make `card(from:)` allocate much.
        func isNumber(_ s: String) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && Int(s).map { $0 >= 2 && $0 <= maxNumber } == true }
        var occurrence = 1
        if let t = tokens.first, isNumber(t) { occurrence = Int(t)!; tokens.removeFirst() }
        let upper = name.uppercased()
        if let parameter {
            guard tokens.isEmpty else { return nil }
            let parts = parameter.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let pname = parts.first, isName(pname), parts.count <= 2 else { return nil }
            var v = 1
            if parts.count == 2 { guard isNumber(parts[1]) else { return nil }; v = Int(parts[1])! }
            return Address(group: group, name: upper, occurrence: occurrence, part: .parameter(pname.uppercased(), value: v))
        }
        if tokens.isEmpty {
            if group == nil, upper == "VERSION", occurrence == 1 { return nil }
            return Address(group: group, name: upper, occurrence: occurrence, part: .value)
        }
        guard let names = components[upper] else { return nil }
        let component = tokens.removeFirst()
        var j: Int
        if let named = names.firstIndex(of: component) { j = named }
        else if component.hasPrefix("part"), let n = Int(component.dropFirst(4)), n > names.count, n <= maxNumber,
                component.dropFirst(4).utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { j = n - 1 }
        else { return nil }
        var v = 1
        if let t = tokens.first { guard isNumber(t), tokens.count == 1 else { return nil }; v = Int(t)! }
        return Address(group: group, name: upper, occurrence: occurrence, part: .component(j, value: v))
    }

    /// Whether `field` is a name `card(from:layout:)` understands.
    public static func isFieldName(_ field: String) -> Bool { field == "version" || address(field) != nil }

    /// The card a flat record describes: the inverse of `fields(of:)`. NULL fields are absent; a
    /// property is present when any of its fields is not NULL; properties come in the order of their
    /// first field in the layout. `version` is not used (the writer's version decides).
    ///
    /// - Throws: `vcard.unrepresentable` naming a field whose name `fields(of:)` never makes.
    public static func card(from record: Record, layout: RecordLayout) throws -> VCard {
        struct Key: Hashable { var group: String?; var name: String; var occurrence: Int }
        var order: [Key] = []
        var parts: [Key: [(Address.Part, String)]] = [:]
        for (k, field) in layout.fields.enumerated() {
            if field.name == "version" { continue }
            guard let a = address(field.name) else {
                throw SeqPortError(.vcardUnrepresentable, "not a vCard field name (see Specs/vcard.md, cards as records)", at: SourceLocation(field: field.name))
            }
            guard case .text(let text) = record.values[k] else { continue }
            let key = Key(group: a.group, name: a.name, occurrence: a.occurrence)
            if parts[key] == nil { order.append(key) }
            parts[key, default: []].append((a.part, text))
        }
        var properties: [VCardProperty] = []
        for key in order {
            var value: String?
            var comps: [[String]] = []
            var parameters: [VCardParameter] = []
            var paramValues: [String: [Int: String]] = [:]
            var paramOrder: [String] = []
            for (part, text) in parts[key]! {
                switch part {
                case .value:
                    value = VCardText.escape(text, separators: false)
                case .component(let j, let v):
                    while comps.count <= j { comps.append([]) }
                    while comps[j].count < v { comps[j].append("") }
                    comps[j][v - 1] = text
                case .parameter(let name, let v):
                    if paramValues[name] == nil { paramOrder.append(name) }
                    paramValues[name, default: [:]][v] = text
                }
            }
            for name in paramOrder {
                let values = paramValues[name]!
                parameters.append(VCardParameter(name, values.keys.sorted().map { values[$0]! }))
            }
            var p: VCardProperty
            if !comps.isEmpty {
                p = .structured(key.name, comps.map { $0.isEmpty ? [""] : $0 }, parameters: parameters, group: key.group)
            } else {
                p = VCardProperty(group: key.group, name: key.name, parameters: parameters, value: value ?? "")
            }
            p.group = key.group
            properties.append(p)
        }
        return VCard(version: .v4_0, properties: properties)
    }
}
