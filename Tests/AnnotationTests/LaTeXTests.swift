@testable import Annotation
import XCTest

final class LaTeXTests: XCTestCase {
    func testLabelsAreMathInTheNotation() {
        let w = MathText([.init("w"), .init("21", .sub), .init("(1)", .sup)])
        XCTAssertEqual(LaTeX.math(w + " = 1"), "w_{21}^{(1)}=1")
        XCTAssertEqual(LaTeX.math(MathText("∂Loss/∂") + w + " = 64"), "\\partial \\mathrm{Loss}/\\partial w_{21}^{(1)}=64")
        XCTAssertEqual(LaTeX.math(MathText([.init("α"), .init("1", .sub)]) + " = −1"), "\\alpha _{1}=-1")
        XCTAssertEqual(LaTeX.math("Hidden layer 1 · ReLU"), "\\mbox{Hidden layer 1}\\cdot \\mathrm{ReLU}")
        XCTAssertEqual(LaTeX.math("… and 3 more units"), "\\ldots \\mbox{ and 3 more units}")
        XCTAssertEqual(LaTeX.math("Y log H"), "Y\\log H")
        XCTAssertEqual(LaTeX.math("ε = 1.5e−7"), "\\varepsilon =1.5 \\times 10^{-7}")
        XCTAssertEqual(LaTeX.math(MathText("b") + MathText([.init("(1)′", .sup)])), "b^{(1)\\prime }")
    }

    func testUserTextPrintsAsWritten() {
        XCTAssertEqual(LaTeX.text("_ & % # { } \\ $ ^ ~"),
                       "\\_ \\& \\% \\# \\{ \\} \\ensuremath{\\backslash} \\ensuremath{\\$} \\^{} \\~{}")
        XCTAssertEqual(LaTeX.text("a--b ''c''"), "a-{}-b '{}'c'{}'")
        XCTAssertEqual(LaTeX.text("Forward: H₁⁽¹⁾"), "Forward: H\\ensuremath{_{1}}\\ensuremath{^{(1)}}")
        XCTAssertEqual(LaTeX.text("Café 中"), "Café ?", "characters OT1 cannot set become ?")
        // In math, a name with TeX's special characters is text in a box.
        XCTAssertEqual(LaTeX.math("∂Cost in $/∂w"), "\\partial \\mbox{Cost in \\ensuremath{\\$}}/\\partial w")
        XCTAssertEqual(LaTeX.math(MathText([.init("x_&%"), .init("1", .sub)])), "x\\mbox{\\_}\\mbox{\\&}\\mbox{\\%}_{1}")
    }

    func testUnicodeScriptsReadBack() {
        XCTAssertEqual(MathText(unicode: "∂Loss/∂w₂₁⁽¹⁾"), MathText("∂Loss/∂w") + MathText([.init("21", .sub), .init("(1)", .sup)]))
    }
}
