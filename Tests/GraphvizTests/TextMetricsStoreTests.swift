import Foundation
@testable import Graphviz
import TestSupport
import XCTest

/// The persisted text-metrics table: whatever is on disk, a bad file reads as empty, never
/// as wrong numbers; the table stays within its bound.
final class TextMetricsStoreTests: XCTestCase {
    typealias Key = TextMetricsCache.Key
    typealias Entry = TextMetricsCache.Entry

    func entry(_ width: Double, usedAt time: UInt32) -> Entry {
        Entry(metrics: .init(width: width, height: 15, baseline: 12.34375, centerline: 2.8000000000000003, measured: true), lastUsed: time)
    }

    func key(_ text: String, flags: UInt32 = 0) -> Key { Key(font: "DejaVu Sans", size: 14, flags: flags, text: text) }

    func store(_ dir: String, fingerprint: UInt64 = 42, capacity: Int = 100) -> TextMetricsStore {
        TextMetricsStore(path: dir + "/bpviz/text-metrics", fingerprint: fingerprint, capacity: capacity)
    }

    func testRoundTripKeepsEveryBit() throws {
        let dir = try TestSupport.temporaryDirectory()
        let table = [key("Z₁⁽¹⁾ = 2"): entry(71.0, usedAt: 5), key("−0.1234", flags: 3): entry(0.1 + 0.2, usedAt: 6),
                     key(""): Entry(metrics: .init(width: 0, height: 15, baseline: 0, centerline: 1.4, measured: false), lastUsed: 1)]
        store(dir).save(table)
        XCTAssertEqual(store(dir).load(), table)
    }

    func testForeignTruncatedCorruptOrUnreadableFilesReadAsEmpty() throws {
        let dir = try TestSupport.temporaryDirectory()
        let s = store(dir)
        s.save([key("a"): entry(7, usedAt: 1), key("b"): entry(8, usedAt: 1)])
        let bytes = try XCTUnwrap(TextMetricsStore.readFile(s.path))
        XCTAssertEqual(s.decode(bytes)?.count, 2)
        XCTAssertEqual(store(dir, fingerprint: 43).load(), [:], "another font setup or library version")
        XCTAssertNil(s.decode(Array(bytes.dropLast())), "truncated")
        for position in [8, 20, 40, bytes.count - 1] {
            var corrupt = bytes
            corrupt[position] ^= 0x10
            XCTAssertNil(s.decode(corrupt), "a flipped bit at \(position)")
        }
        XCTAssertNil(s.decode([]))
        XCTAssertNil(s.decode(Array("not a cache".utf8)))
        // A directory where the file should be: nothing read, and saving does not fail loudly.
        try FileManager.default.removeItem(atPath: s.path)
        try FileManager.default.createDirectory(atPath: s.path, withIntermediateDirectories: true)
        XCTAssertEqual(s.load(), [:])
        s.save([key("c"): entry(9, usedAt: 1)])
        XCTAssertEqual(s.load(), [:])
    }

    func testLookupsDecodeOnlyWhatTheyAskForAndADamagedEntryIsAMiss() throws {
        let dir = try TestSupport.temporaryDirectory()
        let s = store(dir)
        var table: [Key: Entry] = [:]
        for i in 0..<50 { table[key("text \(i)", flags: UInt32(i % 3))] = entry(Double(i), usedAt: UInt32(i)) }
        s.save(table)
        let file = try XCTUnwrap(s.openTable())
        for (k, e) in table { XCTAssertEqual(file.lookup(k), e, k.text) }
        XCTAssertNil(file.lookup(key("text 50")))
        XCTAssertNil(file.lookup(key("text 1", flags: 2)), "another style is another key")
        XCTAssertNil(store(dir, fingerprint: 43).openTable(), "another font setup or library version")
        // A flipped bit in one entry's text: that entry is a miss, the others still answer.
        var bytes = try XCTUnwrap(TextMetricsStore.readFile(s.path))
        let target = Array("text 7".utf8)
        let at = try XCTUnwrap((0...(bytes.count - target.count)).first { Array(bytes[$0..<$0 + target.count]) == target })
        bytes[at + 5] ^= 0x01
        let damaged = try XCTUnwrap(TextMetricsStore.Table(bytes: bytes, fingerprint: 42, capacity: 100))
        XCTAssertNil(damaged.lookup(key("text 7", flags: 1)))
        XCTAssertEqual(damaged.lookup(key("text 8", flags: 2)), table[key("text 8", flags: 2)])
        XCTAssertNil(s.decode(bytes), "the whole file no longer decodes")
    }

    func testSaveMergesWithTheFileAndEvictsTheLeastRecentlyUsed() throws {
        let dir = try TestSupport.temporaryDirectory()
        let s = store(dir, capacity: 3)
        s.save([key("old"): entry(1, usedAt: 10), key("older"): entry(2, usedAt: 5)])
        // Another process adds two entries: the file keeps the three most recently used.
        s.save([key("new"): entry(3, usedAt: 20), key("newer"): entry(4, usedAt: 30)])
        XCTAssertEqual(Set(s.load().keys), [key("old"), key("new"), key("newer")])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/bpviz")
        XCTAssertEqual(leftovers, ["text-metrics"], "no temporary file is left behind")
    }

    func testFingerprintFollowsTheFontDirectoriesAndEnvironment() throws {
        let dir = try TestSupport.temporaryDirectory()
        var before = ""
        Fingerprint.walk(dir, files: false, into: &before)
        try FileManager.default.createDirectory(atPath: dir + "/truetype", withIntermediateDirectories: true)
        var after = ""
        Fingerprint.walk(dir, files: false, into: &after)
        XCTAssertNotEqual(before, after, "a new font directory changes the fingerprint")
        XCTAssertNotEqual(Fingerprint.hash(Array(before.utf8)[...]), Fingerprint.hash(Array(after.utf8)[...]))
        XCTAssertEqual(Fingerprint.hash(Array("".utf8)[...]), 0xcbf2_9ce4_8422_2325, "FNV-1a's offset basis")
        XCTAssertEqual(Fingerprint.hash(Array("a".utf8)[...]), 0xaf63_dc4c_8601_ec8c, "FNV-1a of \"a\"")
    }
}

/// In one process, each distinct text is measured by Pango once: Graphviz's own pass over a
/// graph whose labels were measured before answers from the table.
final class InProcessTextMetricsTests: XCTestCase {
    func testEachDistinctTextIsMeasuredOnce() throws {
        guard !TextMetricsCache.isDisabled else { throw XCTSkip("BPVIZ_NO_CACHE is set") }
        let unique = "label \(UUID().uuidString)"
        let labels: [Value] = [.text(unique), .text(unique + " 2"), .text(unique)]
        let before = TextMetricsCache.statistics
        let first = try GraphvizEngine.measure(labels, nodeAttributes: ["fontname": "DejaVu Sans", "fontsize": "14", "shape": "plaintext"])
        let middle = TextMetricsCache.statistics
        XCTAssertEqual(middle.misses - before.misses, 2, "two distinct texts, each asked of Pango once")
        let second = try GraphvizEngine.measure(labels, nodeAttributes: ["fontname": "DejaVu Sans", "fontsize": "14", "shape": "plaintext"])
        let after = TextMetricsCache.statistics
        XCTAssertEqual(after.misses, middle.misses, "nothing new to measure")
        XCTAssertGreaterThanOrEqual(after.hits - middle.hits, 3)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first[0], first[2])
        XCTAssertGreaterThan(first[1].width, first[0].width)
    }

    /// A large call's labels are measured but not remembered (they would crowd the text
    /// sizes out of the bounded cache); a small call's are.
    func testOnlySmallCallsRememberTheirLabels() throws {
        guard !TextMetricsCache.isDisabled else { throw XCTSkip("BPVIZ_NO_CACHE is set") }
        let attributes: Attributes = ["fontname": "DejaVu Sans", "fontsize": "14", "shape": "plaintext"]
        let defaults = GraphvizEngine.measureDefaults(attributes)
        let run = UUID().uuidString
        let small: [Value] = (0..<3).map { .text("small \($0) \(run)") }
        let large: [Value] = (0...GraphvizEngine.rememberedLabelLimit).map { .text("l\($0) \(run)") }
        let sizes = try GraphvizEngine.measure(large, nodeAttributes: attributes)
        XCTAssertEqual(sizes.count, large.count)
        XCTAssertTrue(sizes.allSatisfy { $0.width > 0 }, "every label measured")
        _ = try GraphvizEngine.measure(small, nodeAttributes: attributes)
        XCTAssertTrue(TextMetricsCache.labelSizes(GraphvizEngine.labelKeys(large, defaults: defaults)).allSatisfy { $0 == nil })
        XCTAssertTrue(TextMetricsCache.labelSizes(GraphvizEngine.labelKeys(small, defaults: defaults)).allSatisfy { $0 != nil })
    }
}
