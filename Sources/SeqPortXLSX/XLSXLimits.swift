/// Fixed dimensions of the format.
public enum XLSXLimits {
    /// Excel's last row.
    public static let maxRows = 1_048_576
    /// Excel's last column (`XFD`).
    public static let maxColumns = 16_384
}
