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

    /// What reaches a terminal on stdout (`values`, `check`, `explain` as text) shows a name
    /// as an error message does: bidirectional and invisible characters escaped, lines kept;
    /// a file name quoted whole, its newline escaped too.
    func testTerminalTextIsShownAsMessagesShowIt() {
        let name = "a\u{202E}b\u{2066}c\u{200B}d\u{061C}e\u{FEFF}"
        XCTAssertEqual(TextPolicy.terminalLines(name + "\n  x₁ = 1\n"), #"a\u{202E}b\u{2066}c\u{200B}d\u{61C}e\u{FEFF}"# + "\n  x₁ = 1\n")
        XCTAssertEqual(TextPolicy.oneLine(name), #"a\u{202E}b\u{2066}c\u{200B}d\u{61C}e\u{FEFF}"#, "the error path, the same escapes")
        XCTAssertEqual(TextPolicy.escaped("x\u{1B}]0;TITLE\u{07}\n.yaml"), #"x\u{1B}]0;TITLE\u{7}\n.yaml"#)
        // The byte-level shortcut agrees with the characters, one by one, over the ranges near them.
        for v in Array(0...0x2FF) + Array(0x600...0x6FF) + Array(0x2000...0x20FF) + Array(0xFE00...0xFFFF) {
            guard let c = Unicode.Scalar(v) else { continue }
            let text = "a" + String(c) + "b"
            XCTAssertEqual(TextPolicy.terminalLines(text) != text, c != "\n" && TextPolicy.escaped(String(c)) != String(c), TextPolicy.codePoint(c))
        }
        let plain = "Question 1\n\n  ∂Loss/∂w₂₁⁽¹⁾ = 64 — zero\u{200D}width joiner stays 👩\u{200D}💻\n"
        XCTAssertEqual(TextPolicy.terminalLines(plain), plain)
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
