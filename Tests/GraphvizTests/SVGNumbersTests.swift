import Foundation
@testable import Graphviz
import TestSupport
import XCTest

/// The coordinates of an SVG: SVGNumbers writes each number exactly as Graphviz 2.42's
/// `gvprintdouble` (snprintf "%.02f", zeros trimmed) does, which the SVG plugin calls instead.
final class SVGNumbersTests: XCTestCase {
    func fast(_ x: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBufferPointer { SVGNumbers.write(x, into: $0.baseAddress!) }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func graphviz(_ x: Double) -> String {
        var value = x
        if value > -0.00000001 && value < 0.00000001 { value = 0 }
        var buffer = [CChar](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBufferPointer { SVGNumbers.printed(value, into: $0.baseAddress!) }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func testKnownNumbers() {
        let expected: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1e-9, "0"), (-1e-9, "0"), (-0.003, "-0"), (0.003, "0"), (0.005, "0.01"),
            (-532.8, "-532.8"), (153.5, "153.5"), (100, "100"), (-100.004, "-100"), (2.675, "2.67"),
            (0.125, "0.12"), (0.375, "0.38"), (-0.125, "-0.12"), (1.005, "1"), (1.015, "1.01"), (9.999, "10"),
            (-99.995, "-100"), (5071.9122, "5071.91"), (0x1p40, "1099511627776"), (1e300, graphviz(1e300)),
        ]
        for (x, text) in expected {
            XCTAssertEqual(fast(x), text, "\(x)")
            XCTAssertEqual(graphviz(x), text, "\(x)")
        }
    }

    /// Every kind of value a picture has, and the awkward ones: exact ties at every binary
    /// scale, values a unit in the last place either side of a decimal tie, both signs,
    /// magnitudes from the clamp to beyond the fast range.
    func testSameAsGraphvizPrintf() {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        func check(_ x: Double) {
            for v in [x, -x, x.nextUp, x.nextDown, -x.nextUp, -x.nextDown] {
                let a = fast(v), b = graphviz(v)
                if a != b { XCTFail("\(v): \(a) != \(b)"); return }
                checked += 1
            }
        }
        for _ in 0..<20_000 {
            check(Double.random(in: 0..<10_000, using: &rng))
            check(Double(Int.random(in: 0..<2_000_000, using: &rng)) / 100 + 0.005)  // decimal ties
            check(Double(Int.random(in: 0..<1_000_000, using: &rng)) / 8)  // binary ties of hundredths
            check(Double.random(in: 0..<1, using: &rng) * pow(2, Double(Int.random(in: -40...50, using: &rng))))
        }
        for e in -30...45 { check(pow(2, Double(e))) }
        for x in [0.00000001, 0.000000009999, 0x1p-10, 0x1p-10.nextDown, 0x1p40.nextDown, 0x1p40, 0.0049999999, 0.005] { check(x) }
        XCTAssertGreaterThan(checked, 400_000)
    }
}
