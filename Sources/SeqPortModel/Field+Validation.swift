/// Checking a text against a field's type and turning it into canonical text.
extension Field {
    /// Returns the canonical text of `text` for this field, or throws `value.*` naming the field
    /// (never the value).
    ///
    /// ```swift
    /// try Field(name: "at", type: .timestamp).canonicalize("2024-05-01T12:00:00+02:00")
    /// // "2024-05-01T10:00:00Z"
    /// ```
    public func canonicalize(_ text: String, limits: ReaderLimits = .default) throws -> String {
        func fail(_ code: SeqPortError.Code, _ message: String) -> SeqPortError {
            SeqPortError(code, message, at: SourceLocation(field: name))
        }
        switch type {
        case .string:
            let count = text.utf8.count
            if let maxLength, count > maxLength { throw fail(.valueTooLong, "longer than \(maxLength) bytes") }
            if count > limits.maxValueBytes { throw fail(.valueTooLong, "longer than \(limits.maxValueBytes) bytes") }
            if let format, !ValueSyntax.matches(text, format) {
                throw fail(.valueFormat, "not a valid \(format.humanName)")
            }
            return text
        case .file:
            if text.utf8.count > 1024 { throw fail(.valueTooLong, "file reference longer than 1024 bytes") }
            return text
        case .integer:
            guard ValueSyntax.isInteger(text) else { throw fail(.valueType, "not an integer") }
            guard Int64(text) != nil else { throw fail(.valueRange, "integer out of the 64-bit range") }
            return text == "-0" ? "0" : text
        case .decimal:
            guard ValueSyntax.isDecimal(text) else { throw fail(.valueType, "not a decimal number (digits, optional fraction)") }
            guard text.utf8.count <= 64 else { throw fail(.valueRange, "decimal longer than 64 characters") }
            return text
        case .boolean:
            guard text == "true" || text == "false" else { throw fail(.valueType, "not a boolean (true or false)") }
            return text
        case .date:
            guard ValueSyntax.isDate(text) else { throw fail(.valueType, "not a date (YYYY-MM-DD)") }
            return text
        case .timestamp:
            guard let canonical = ValueSyntax.canonicalTimestamp(text) else {
                throw fail(.valueType, "not a timestamp (YYYY-MM-DDTHH:MM:SS[.fraction] with Z or an offset)")
            }
            return canonical
        case .enumeration(let allowed):
            guard allowed.contains(text) else { throw fail(.valueEnum, "not one of the allowed values") }
            return text
        }
    }

    /// Checks a whole value: NULL only where the field is nullable; text through `canonicalize`.
    public func canonicalize(_ value: Value, limits: ReaderLimits = .default) throws -> Value {
        switch value {
        case .null:
            guard nullable else {
                throw SeqPortError(.valueNull, "must not be null", at: SourceLocation(field: name))
            }
            return .null
        case .text(let text):
            return .text(try canonicalize(text, limits: limits))
        }
    }
}

extension TextFormat {
    /// The words used in error messages.
    public var humanName: String {
        switch self {
        case .email: return "e-mail address"
        case .phone: return "phone number"
        case .ip: return "IP address"
        case .url: return "URL"
        case .country: return "country code"
        }
    }
}
