/// The controller's facts (Art. 13/14/15): who holds the data and where to complain.
/// They come from configuration (`Samples/seqport.json`), never from code.
public struct Controller: Hashable, Sendable, Codable {
    public var name: String
    public var address: String
    public var country: String
    /// Where to send requests about personal data.
    public var contact: String
    /// Where the data is stored and processed.
    public var storageLocation: String
    /// The supervisory authority a subject may complain to (Art. 77).
    public var supervisoryAuthority: Authority

    public struct Authority: Hashable, Sendable, Codable {
        public var name: String
        public var url: String
        public init(name: String, url: String) { self.name = name; self.url = url }
    }

    public init(name: String, address: String, country: String, contact: String, storageLocation: String, supervisoryAuthority: Authority) {
        self.name = name
        self.address = address
        self.country = country
        self.contact = contact
        self.storageLocation = storageLocation
        self.supervisoryAuthority = supervisoryAuthority
    }
}
