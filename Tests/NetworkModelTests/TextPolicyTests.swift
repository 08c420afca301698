import NetworkModel
import XCTest

/// Messages reach the terminal as one line whatever they quote; file text with control
/// characters is refused.
final class TextPolicyTests: XCTestCase {
    func testControlCharactersAreShownEscaped() {
        XCTAssertEqual(TextPolicy.oneLine("f.yaml:1:2: key `\u{1B}]0;x\u{07}` and `a\nb\tc\r`"),
                       #"f.yaml:1:2: key `\u{1B}]0;x\u{7}` and `a\nb\tc\r`"#)
        XCTAssertEqual(TextPolicy.oneLine("C1 \u{9B}31m, bidi \u{202E}x, DEL \u{7F}"), #"C1 \u{9B}31m, bidi \u{202E}x, DEL \u{7F}"#)
        XCTAssertEqual(TextPolicy.oneLine("plain ∂Loss/∂w — fine"), "plain ∂Loss/∂w — fine")
    }

    func testLongExcerptsAreCutButThePlaceAndTheEndStay() {
        let path = "/" + String(repeating: "d", count: 120) + "/f.yaml:3:4"
        let message = TextPolicy.oneLine("\(path): `name` is `\(String(repeating: "x", count: 100_000))`; expected at most 200")
        XCTAssertEqual(message, "\(path): `name` is `\(String(repeating: "x", count: 80))…`; expected at most 200")
        let word = TextPolicy.oneLine("f: is \"\(String(repeating: "9", count: 5000))\"; expected a number", excerpt: 10)
        XCTAssertEqual(word, "f: is \"999999999…\"; expected a number")
    }

    func testUnprintableCharacters() {
        for scalar in ["\u{0}", "\n", "\t", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{FFFE}"].flatMap(\.unicodeScalars) {
            XCTAssertTrue(TextPolicy.isUnprintable(scalar), TextPolicy.codePoint(scalar))
        }
        for scalar in [" ", "α", "∂", "\u{A0}", "😀"].flatMap(\.unicodeScalars) { XCTAssertFalse(TextPolicy.isUnprintable(scalar)) }
        XCTAssertEqual(TextPolicy.codePoint("\u{1B}"), "U+001B")
    }
}
