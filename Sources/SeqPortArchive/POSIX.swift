#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C calls whose names our methods shadow (`FileSink.close()`, `FileSource.read(into:)`), without
/// naming the C module (Glibc or Darwin).
enum POSIX {
    static func close(_ fd: Int32) -> Int32 { systemClose(fd) }
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { systemRead(fd, buffer, count) }
    static func write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { systemWrite(fd, buffer, count) }
}

private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
