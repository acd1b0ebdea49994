import Foundation
import XCTest

/// Tests that check seqport's output with an independent tool (7-Zip, unzip, xmllint, minisign, Python's
/// jsonschema and pyzipper, a tmpfs) skip when the tool is missing on a developer's machine — and fail
/// when `SEQPORT_TEST_TOOLS_REQUIRED=1`, which `.ci/run` sets after installing them all, so a check that
/// silently stopped running cannot pass CI.
public enum TestTools {
    /// Whether a missing tool fails the test instead of skipping it.
    public static var required: Bool { ProcessInfo.processInfo.environment["SEQPORT_TEST_TOOLS_REQUIRED"] == "1" }

    /// The error to throw when a tool a test needs is missing: an `XCTSkip`, or a failure when tools are required.
    public static func missing(_ message: String) -> any Error {
        required ? ToolMissing(message: message) : XCTSkip(message)
    }

    public struct ToolMissing: Error, CustomStringConvertible {
        public let message: String
        public var description: String { "\(message) (SEQPORT_TEST_TOOLS_REQUIRED=1: a missing tool is a failure)" }
    }
}
