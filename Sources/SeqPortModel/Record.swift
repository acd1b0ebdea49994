/// One record: its values in the order of its layout's fields.
public struct Record: Hashable, Sendable {
    public var values: [Value]

    public init(_ values: [Value]) { self.values = values }

    public subscript(_ index: Int) -> Value {
        get { values[index] }
        set { values[index] = newValue }
    }
}
