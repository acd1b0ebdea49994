/// One vCard: its version and its properties in file order (`Specs/vcard.md`).
///
/// `BEGIN`, `END` and `VERSION` are not properties here: the reader checks them, the writer writes
/// them. Everything else is kept as read — groups, parameters, unknown and `X-` properties — so
/// nothing is dropped on the way through.
public struct VCard: Hashable, Sendable {
    public var version: VCardVersion
    public var properties: [VCardProperty]

    public init(version: VCardVersion = .v4_0, properties: [VCardProperty] = []) {
        self.version = version
        self.properties = properties
    }

    /// The properties called `name` (case-insensitive), in order.
    public func properties(named name: String) -> [VCardProperty] {
        let upper = name.uppercased()
        return properties.filter { $0.name == upper }
    }

    /// The first property called `name` (case-insensitive).
    public func first(_ name: String) -> VCardProperty? {
        let upper = name.uppercased()
        return properties.first { $0.name == upper }
    }
}

/// The vCard versions: 2.1 is read (old phones, Google Takeout); 3.0 and 4.0 are read and written.
public enum VCardVersion: String, Hashable, Sendable, CaseIterable {
    case v2_1 = "2.1"
    case v3_0 = "3.0"
    case v4_0 = "4.0"
}

/// A parameter: its name in upper case and its values (`TYPE=work,home` has two).
public struct VCardParameter: Hashable, Sendable {
    public var name: String
    public var values: [String]

    public init(_ name: String, _ values: [String]) {
        self.name = name.uppercased()
        self.values = values
    }

    public init(_ name: String, _ value: String) { self.init(name, [value]) }
}

/// One property (content line): `[group.]NAME[;PARAM=v]*:value`.
///
/// `value` is the value as the file carries it after unfolding and after any quoted-printable and
/// `CHARSET` decoding: still vCard-escaped (`\,`, `\;`, `\n`, `\\`). `text` and `components` undo the
/// escaping; `VCardProperty.text(…)` and `.structured(…)` apply it.
public struct VCardProperty: Hashable, Sendable {
    /// The group (`item1` in `item1.EMAIL`), as written; nil when there is none.
    public var group: String?
    /// The name in upper case (`EMAIL`, `X-ABLABEL`).
    public var name: String
    public var parameters: [VCardParameter]
    /// The escaped value.
    public var value: String

    public init(group: String? = nil, name: String, parameters: [VCardParameter] = [], value: String) {
        self.group = group
        self.name = name.uppercased()
        self.parameters = parameters
        self.value = value
    }

    /// A property whose value is one text, escaped.
    public static func text(_ name: String, _ text: String, parameters: [VCardParameter] = [], group: String? = nil) -> VCardProperty {
        VCardProperty(group: group, name: name, parameters: parameters, value: VCardText.escape(text))
    }

    /// A structured property (`N`, `ADR`): components separated by `;`, each a list of values separated by `,`.
    public static func structured(_ name: String, _ components: [[String]], parameters: [VCardParameter] = [], group: String? = nil) -> VCardProperty {
        let value = components.map { $0.map { VCardText.escape($0) }.joined(separator: ",") }.joined(separator: ";")
        return VCardProperty(group: group, name: name, parameters: parameters, value: value)
    }

    /// The value unescaped as one text (`\n` is a line feed, `\,` a comma).
    public var text: String { VCardText.unescape(value) }

    /// The value split at unescaped `;` into components, each split at unescaped `,`, unescaped.
    public var components: [[String]] {
        VCardText.split(value, at: ";").map { VCardText.split($0, at: ",").map(VCardText.unescape) }
    }

    /// All values of the parameters called `name` (case-insensitive), in order; nil when there is none.
    public func parameter(_ name: String) -> [String]? {
        let upper = name.uppercased()
        let found = parameters.filter { $0.name == upper }
        return found.isEmpty ? nil : found.flatMap(\.values)
    }

    /// The `TYPE` values in lower case.
    public var types: [String] { (parameter("TYPE") ?? []).map { $0.lowercased() } }

    /// A copy without the parameters called `name`.
    public func removing(parameter name: String) -> VCardProperty {
        var copy = self
        let upper = name.uppercased()
        copy.parameters.removeAll { $0.name == upper }
        return copy
    }
}
