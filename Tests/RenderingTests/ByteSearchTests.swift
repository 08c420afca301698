@testable import Rendering
import XCTest

/// The memchr/memcmp byte search every SVG and HTML pass uses: its edges, and agreement with
/// a plain loop on many small random inputs (a two-letter alphabet makes near misses common).
final class ByteSearchTests: XCTestCase {
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testFirstRunEdges() {
        XCTAssertNil(b("abc").firstRun(of: []), "an empty needle is never found")
        XCTAssertNil([UInt8]().firstRun(of: b("a")))
        XCTAssertNil([UInt8]().firstRun(of: []))
        XCTAssertNil(b("ab").firstRun(of: b("abc")), "a needle longer than the haystack")
        XCTAssertEqual(b("abc").firstRun(of: b("abc")), 0, "the whole haystack")
        XCTAssertEqual(b("xxabc").firstRun(of: b("bc")), 3, "a match that ends the haystack")
        XCTAssertEqual(b("aaab").firstRun(of: b("aab")), 1, "overlapping candidates: the first fails after two bytes")
        XCTAssertEqual(b("abab").firstRun(of: b("ab"), from: 1), 2)
        XCTAssertEqual(b("abab").firstRun(of: b("ab"), from: 2), 2)
        XCTAssertNil(b("abab").firstRun(of: b("ab"), from: 3))
        XCTAssertNil(b("abab").firstRun(of: b("ab"), from: 4), "starting at the end")
        XCTAssertNil(b("abab").firstRun(of: b("ab"), from: 9), "starting past the end")
    }

    func testFirstRunStaysInsideItsRange() {
        let hay = b("--abc--abc")
        XCTAssertNil(hay.firstRun(of: b("abc"), in: 0..<4), "a match that would cross the range's end")
        XCTAssertEqual(hay.firstRun(of: b("abc"), in: 0..<5), 2)
        XCTAssertEqual(hay.firstRun(of: b("abc"), in: 3..<10), 7)
        XCTAssertNil(hay.firstRun(of: b("abc"), in: 3..<9))
        XCTAssertNil(hay.firstRun(of: b("a"), in: 5..<5), "an empty range")
    }

    func testFirstIndexOfByte() {
        XCTAssertNil([UInt8]().firstIndex(of: UInt8(ascii: "a"), from: 0))
        XCTAssertEqual(b("abca").firstIndex(of: UInt8(ascii: "a"), from: 1), 3, "the last byte")
        XCTAssertEqual(b("abca").firstIndex(of: UInt8(ascii: "a"), from: 0), 0)
        XCTAssertNil(b("abca").firstIndex(of: UInt8(ascii: "a"), from: 4))
        XCTAssertNil(b("abc").firstIndex(of: UInt8(ascii: "x"), from: 0))
    }

    func testReplacingRunsEdges() {
        XCTAssertEqual(b("abc").replacingRuns(of: [], with: b("X")), b("abc"), "an empty needle replaces nothing")
        XCTAssertEqual([UInt8]().replacingRuns(of: b("a"), with: b("X")), [])
        XCTAssertEqual(b("ab").replacingRuns(of: b("abc"), with: b("X")), b("ab"), "a needle longer than the haystack")
        XCTAssertEqual(b("xab").replacingRuns(of: b("ab"), with: b("Y")), b("xY"), "a match at the end")
        XCTAssertEqual(b("aaab").replacingRuns(of: b("aab"), with: b("X")), b("aX"))
        XCTAssertEqual(b("aaaa").replacingRuns(of: b("aa"), with: b("b")), b("bb"), "matches never overlap, left to right")
        XCTAssertEqual(b("aaa").replacingRuns(of: b("aa"), with: b("b")), b("ba"))
        XCTAssertEqual(b("<?xml?><svg id=\"a\"> id=\"b\"").replacingRuns(of: b(" id=\""), with: b(" id=\"f1-"), from: 7),
                       b("<svg id=\"f1-a\"> id=\"f1-b\""), "only the bytes from `start` on")
        XCTAssertEqual(b("ab").replacingRuns(of: b("a"), with: b("X"), from: 2), [])
        XCTAssertEqual(b("a-b-c").replacingRuns(of: b("-"), with: []), b("abc"), "an empty replacement deletes")
    }

    func testAppendReplacingRunsKeepsWhatIsOutsideItsRange() {
        var out = b("head:")
        b("aXbXc").appendReplacingRuns(of: b("X"), with: b("--"), in: 0..<3, to: &out)
        XCTAssertEqual(out, b("head:a--b"), "what `out` held stays; the X after the range is not copied")
        b("aXbXc").appendReplacingRuns(of: b("X"), with: b("--"), in: 2..<3, to: &out)
        XCTAssertEqual(out, b("head:a--bb"), "the X on either side of 2..<3 is neither copied nor matched")
        b("aXbXc").appendReplacingRuns(of: b("X"), with: b("--"), in: 2..<2, to: &out)
        XCTAssertEqual(out, b("head:a--bb"), "an empty range appends nothing")
        b("abXX").appendReplacingRuns(of: b("bXX"), with: b("!"), in: 0..<3, to: &out)
        XCTAssertEqual(out, b("head:a--bbabX"), "a match crossing the range's end is not one")
    }

    /// Against a plain byte-by-byte loop, on every small case of a two-letter alphabet.
    func testAgreesWithAPlainLoop() {
        func naiveFind(_ hay: [UInt8], _ needle: [UInt8], _ range: Range<Int>) -> Int? {
            guard !needle.isEmpty else { return nil }
            var i = range.lowerBound
            while i + needle.count <= range.upperBound {
                if Array(hay[i..<(i + needle.count)]) == needle { return i }
                i += 1
            }
            return nil
        }
        func naiveReplace(_ hay: [UInt8], _ needle: [UInt8], _ replacement: [UInt8], _ range: Range<Int>) -> [UInt8] {
            var out: [UInt8] = [], i = range.lowerBound
            while i < range.upperBound {
                if !needle.isEmpty, i + needle.count <= range.upperBound, Array(hay[i..<(i + needle.count)]) == needle {
                    out += replacement
                    i += needle.count
                } else {
                    out.append(hay[i])
                    i += 1
                }
            }
            return out
        }
        func words(upTo length: Int) -> [[UInt8]] {
            var all: [[UInt8]] = [[]], last: [[UInt8]] = [[]]
            for _ in 0..<length {
                last = last.flatMap { [$0 + b("a"), $0 + b("b")] }
                all += last
            }
            return all
        }
        var checked = 0
        for hay in words(upTo: 6) {
            for needle in words(upTo: 3) {
                for lower in 0...hay.count {
                    for upper in lower...hay.count {
                        let range = lower..<upper
                        XCTAssertEqual(hay.firstRun(of: needle, in: range), naiveFind(hay, needle, range), "\(hay) \(needle) \(range)")
                        var out: [UInt8] = []
                        hay.appendReplacingRuns(of: needle, with: b("XY"), in: range, to: &out)
                        XCTAssertEqual(out, naiveReplace(hay, needle, b("XY"), range), "\(hay) \(needle) \(range)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }
}
