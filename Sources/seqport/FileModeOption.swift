import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--mode`: the file mode of what a command writes. Without it files are private (0600 less the
/// umask); with it they get exactly that mode, to share them on purpose (`Specs/files.md`).
struct FileModeOption: ParsableArguments {
    @Option(help: ArgumentHelp("File mode of the files written, in octal, e.g. 0640 (default: 0600 less the umask).", valueName: "octal"))
    var mode: String?

    func validate() throws {
        if mode != nil && fileMode == nil {
            throw ValidationError("--mode takes an octal mode without execute bits, such as 0600, 0640 or 0644")
        }
    }

    /// The mode given, or nil for the private default.
    var fileMode: mode_t? {
        guard let mode, (1...4).contains(mode.count), let value = mode_t(mode, radix: 8), value & ~0o666 == 0 else { return nil }
        return value
    }
}
