import SeqPortStoreConformance
import XCTest

/// Every value in is every value out: random awkward edits through every copy into SQLite
/// (`ImportFidelity`, which `PostgresPipelineTests` runs on PostgreSQL with the same seed).
final class ImportFidelityTests: XCTestCase {
    func testRandomAwkwardEditsThroughEveryCopyAreStoredAndAuditedExactlyOrRefused() throws {
        let (store, config, dir) = try sampleStore(self, subjects: 2, events: 3)
        try ImportFidelity.check(store: store, configuration: config, directory: dir + "/fidelity", seed: 20_261_129, rounds: 12)
    }
}
