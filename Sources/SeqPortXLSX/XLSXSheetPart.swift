/// One worksheet part as the workbook lists it.
struct XLSXSheetPart {
    var name: String
    var number: Int
    var hasComments: Bool
}
