import SeqPortModel
import XCTest
@testable import SeqPortPipeline

final class ShardTests: XCTestCase {
    let ids = (1...2000).map { SampleData.subjectID($0) } + ["", "é", "😀", "user@example.com", "a/b"]

    func testFNV1aMatchesThePublishedTestVectors() {
        XCTAssertEqual(Shard.fnv1a64(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(Shard.fnv1a64("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(Shard.fnv1a64("foobar"), 0x8594_4171_f739_67e8)
    }

    func testShardOfAnIdIsFixedAcrossRunsAndMachines() throws {
        // Pinned values: changing the hash would move subjects between shards of a running batch.
        XCTAssertEqual(Shard.fnv1a64("s-00001") % 4, 0)
        XCTAssertTrue(try Shard(parsing: "0/4").contains("s-00001"))
        XCTAssertTrue(try Shard(parsing: "1/4").contains("s-00002"))
    }

    func testShardsAreDisjointAndTogetherCoverEverySubject() throws {
        for n in 1...9 {
            let shards = try (0..<n).map { try Shard(index: $0, count: n) }
            for id in ids {
                XCTAssertEqual(shards.filter { $0.contains(id) }.count, 1, "\(id) in \(n) shards")
            }
        }
    }

    func testShardsAreRoughlyBalanced() throws {
        let sizes = try (0..<4).map { k in ids.filter(try Shard(index: k, count: 4).contains).count }
        for size in sizes { XCTAssertTrue((400...600).contains(size), "\(sizes)") }
    }

    func testParsingIsZeroBasedAndRejectsWhatIsNotKOfN() throws {
        XCTAssertEqual(try Shard(parsing: "0/1"), try Shard(index: 0, count: 1))
        XCTAssertEqual(try Shard(parsing: "3/4").description, "3/4")
        for bad in ["4/4", "-1/3", "1/0", "a/b", "1", "1/2/3", ""] {
            XCTAssertThrowsError(try Shard(parsing: bad), bad) { XCTAssertEqual(($0 as? SeqPortError)?.code, .usage) }
        }
    }

    func testResolveTakesTheIndexFromTheKubernetesVariable() throws {
        XCTAssertEqual(try Shard.resolve(shard: nil, shards: 5, environment: ["JOB_COMPLETION_INDEX": "2"]), try Shard(index: 2, count: 5))
        XCTAssertEqual(try Shard.resolve(shard: "1/3", shards: nil, environment: ["JOB_COMPLETION_INDEX": "2"]), try Shard(index: 1, count: 3))
        XCTAssertNil(try Shard.resolve(shard: nil, shards: nil, environment: ["JOB_COMPLETION_INDEX": "2"]))
    }

    func testResolveRefusesMissingIndexOutOfRangeIndexAndBothFlags() {
        XCTAssertThrowsError(try Shard.resolve(shard: nil, shards: 5, environment: [:]))
        XCTAssertThrowsError(try Shard.resolve(shard: nil, shards: 5, environment: ["JOB_COMPLETION_INDEX": "5"]))
        XCTAssertThrowsError(try Shard.resolve(shard: nil, shards: 5, environment: ["JOB_COMPLETION_INDEX": "x"]))
        XCTAssertThrowsError(try Shard.resolve(shard: "0/5", shards: 5, environment: [:]))
    }
}
