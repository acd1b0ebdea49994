/// The ordered fields of the records in one stream: what a writer writes and a reader expects.
///
/// A layout is built from a schema category (typed) or from a file's header (untyped).
public struct RecordLayout: Hashable, Sendable {
    /// The category name: the file name (`csv/<name>.csv`) and the XML root element.
    public var name: String
    public var fields: [Field]
    /// Whether the fields come from a schema (`true`) or were taken from a file's header.
    public var isTyped: Bool

    public init(name: String, fields: [Field], isTyped: Bool = true) {
        self.name = name
        self.fields = fields
        self.isTyped = isTyped
    }

    /// The position of the field called `name`, if any.
    public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }
}
