import Foundation
@testable import Annotation
import XCTest

/// NumberFormat prints through C's snprintf (`printed`), not Foundation's String(format:),
/// which went through NSString for every value of a large net's tooltips: the same text.
final class NumberFormatTests: XCTestCase {
    func testPrintedIsStringFormat() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0.5, 1.5, 2.5, 0.125, 1e-4, 9.99995e-5, 0.99995, 999_999.5, 1e15 - 1, 123_456_789.987654321,
                                0.1 + 0.2, 1.0 / 3, 2.0 / 3, .pi, 5e-324, .ulpOfOne, 1e300, 0.000123456789]
        for _ in 0..<3_000 {
            values.append(Double.random(in: 0..<1, using: &generator) * pow(10, Double(Int.random(in: -12...16, using: &generator))))
        }
        for x in values {
            for digits in [0, 1, 3, 4, 6, 14, 15, 16, 17] {
                for conversion in ["g", "e"] {
                    let format = "%.\(digits)\(conversion)"
                    XCTAssertEqual(NumberFormat.printed(x, format), String(format: format, x), "\(format) of \(x)")
                }
            }
        }
    }
}
