import Annotation
import Foundation
import FoundationXML
import NetworkModel
@testable import Rendering
import TestSupport
import XCTest

/// The deck's index.html: one caption per frame, captions that break only between terms, a
/// picture cropped to its content, and navigation by hash and history.
final class DeckHTMLTests: XCTestCase {
    func deck() throws -> (html: String, directory: String) {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let dir = try TestSupport.temporaryDirectory() + "/deck"
        try DeckWriter(theme: try Theme.named("classroom")).write(SlideDeck(solution: solution), title: "Question 1", to: dir)
        return (try String(contentsOfFile: dir + "/index.html", encoding: .utf8), dir)
    }

    /// The sections of the page, each as (inline SVG, caption HTML).
    func sections(_ html: String) -> [(svg: String, caption: String)] {
        html.components(separatedBy: "<section class=\"frame\"").dropFirst().map { section in
            let svg = section.components(separatedBy: "<div class=\"caption\">")[0]
            let caption = section.components(separatedBy: "<div class=\"caption\">").dropFirst().first?.components(separatedBy: "</section>")[0] ?? ""
            return (svg, caption)
        }
    }

    func testEachFrameHasOneCaptionAndTheTitleOnce() throws {
        let (html, dir) = try deck()
        let frames = sections(html)
        XCTAssertEqual(frames.count, 29)
        for (k, frame) in frames.enumerated() {
            XCTAssertFalse(frame.svg.contains("class=\"caption\""), "frame \(k + 1): caption also inside the picture")
            XCTAssertFalse(frame.svg.contains("id=\"f\(k + 1)-caption\""), "frame \(k + 1)")
            XCTAssertFalse(frame.svg.contains("id=\"f\(k + 1)-title\""), "frame \(k + 1): title also inside the picture")
            XCTAssertTrue(frame.caption.contains("<p"), "frame \(k + 1) has no caption")
            let start = try XCTUnwrap(frame.svg.range(of: "<svg")), end = try XCTUnwrap(frame.svg.range(of: "</svg>"))
            let svg = try XMLDocument(data: Data(frame.svg[start.lowerBound..<end.upperBound].utf8))
            XCTAssertEqual(svg.rootElement()?.localName, "svg", "frame \(k + 1): the cropped SVG is well-formed")
        }
        // The frame files keep their caption: they are pictures on their own.
        XCTAssertTrue(try String(contentsOfFile: dir + "/010-backward-w11-3.svg", encoding: .utf8).contains("id=\"caption\""))
    }

    func testCaptionsBreakOnlyBetweenTerms() throws {
        let (html, _) = try deck()
        let frames = sections(html)
        // Frame 19 derives ∂Loss/∂w₁₁⁽¹⁾ through ∂H₁⁽¹⁾/∂Z₁⁽¹⁾: every fraction is one unbreakable run.
        let caption = frames[18].caption
        // Stacked scripts (superscript above subscript) are one inline-flex span.
        let stack = { (sup: String, sub: String) in "<span class=\"ss\"><sup>\(sup)</sup><sub>\(sub)</sub></span>" }
        XCTAssertTrue(caption.contains("<span class=\"nw\">∂H\(stack("(1)", "1"))/∂Z\(stack("(1)", "1"))</span>"), caption)
        // No text outside a no-wrap run except the spaces between runs.
        for frame in frames {
            let flat = frame.caption.replacingOccurrences(of: "<span class=\"ss\">(<sup>[^<]*</sup><sub>[^<]*</sub>)</span>", with: "$1", options: .regularExpression)
            let outside = flat.replacingOccurrences(of: "<span class=\"nw\">[^<]*(<su[bp]>[^<]*</su[bp]>[^<]*)*</span>", with: "", options: .regularExpression)
                .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            XCTAssertTrue(outside.allSatisfy { $0 == " " || $0.isNewline }, "breakable text in \(frame.caption): “\(outside)”")
        }
    }

    /// An equation's last step stays with what it equals: "∂Loss/∂w₃₂⁽¹⁾" ending one line and
    /// "= −32" starting the next read as two statements. Longer arithmetic still breaks
    /// between its terms.
    func testAnEquationsResultIsNotBrokenFromItsSubject() throws {
        let caption = DeckHTML.captionHTML(MathText("a = 32,  b = −32"))
        XCTAssertEqual(caption, "<span class=\"nw\">a = 32,</span> <span class=\"nw\">b = −32</span>")
        let long = DeckHTML.captionHTML(MathText("Z = 1·1 + 2·1 = 3"))
        XCTAssertEqual(long, "<span class=\"nw\">Z</span> <span class=\"nw\">=</span> <span class=\"nw\">1·1</span> <span class=\"nw\">+</span> <span class=\"nw\">2·1 = 3</span>")
        // The worked example's summary: no gradient is cut from its value.
        let summary = try XCTUnwrap(sections(try deck().html).last).caption
        XCTAssertTrue(summary.contains("∂Loss"))
        XCTAssertFalse(summary.contains("<span class=\"nw\">=</span>"), "a break may fall around “=”: \(summary)")
    }

    /// Every frame keeps the same room for its caption, so the picture has the same area and
    /// scale in every frame and a node sits at the same spot: the longest caption's lines (the
    /// summary's: its title and a line of at most six gradients for each part of a layer),
    /// up to `reservedCaptionLines`.
    func testEveryFrameKeepsRoomForTheLongestCaption() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let frames = SlideDeck(solution: solution).frames
        let summary = try XCTUnwrap(frames.last).diagram.caption
        XCTAssertEqual(summary.count, 5, "the title, layer 3, layer 2, layer 1 in two lines of four")
        XCTAssertTrue(summary.dropFirst().allSatisfy { $0.text.plain.components(separatedBy: "=").count - 1 <= 6 })
        let html = try deck().html
        XCTAssertTrue(html.contains("<body style=\"--caption-lines: 5\">"), "room for the summary's five lines on every frame")
        XCTAssertTrue(html.contains(".caption { box-sizing: border-box; min-height: calc(var(--caption-lines) * 1.6em + 0.9em); }"))
        // A deep net's summary is longer than the room kept: only its own frame draws smaller.
        let deep = SlideDeck(solution: try NetworkFile.load(path: TestSupport.sample("deep-sigmoid.yaml")).solve()).frames
        XCTAssertGreaterThan(deep.map(\.diagram.caption.count).max()!, DeckHTML.reservedCaptionLines)
        XCTAssertTrue(DeckHTML.page(title: "t", frameCount: 1, theme: try Theme.named("classroom"), captionLines: 3).head.contains("--caption-lines: 3"))
    }

    func testThePictureIsCroppedToTheDrawing() throws {
        let (html, dir) = try deck()
        let file = try String(contentsOfFile: dir + "/001-setup.svg", encoding: .utf8)
        func viewBox(_ s: String) throws -> [Double] {
            let r = try XCTUnwrap(s.range(of: "viewBox=\"[^\"]*\"", options: .regularExpression))
            return s[r].dropFirst(9).dropLast().split(separator: " ").compactMap { Double($0) }
        }
        let whole = try viewBox(file), inline = try viewBox(sections(html)[0].svg)
        XCTAssertEqual(inline.count, 4)
        XCTAssertLessThan(inline[3], whole[3] - 40, "title and caption cropped away")
        XCTAssertGreaterThan(inline[2], whole[2] * 0.9)
        XCTAssertFalse(sections(html)[0].svg.contains("width=\"\(Int(whole[2].rounded()))pt\""), "the page's CSS sizes the picture")
    }

    func testNavigationByHashAndHistoryAndPrintLandscape() throws {
        let (html, dir) = try deck()
        XCTAssertTrue(html.contains("addEventListener(\"hashchange\""))
        XCTAssertTrue(html.contains("history.pushState"))
        XCTAssertTrue(html.contains("addEventListener(\"popstate\""))
        XCTAssertTrue(html.contains("@page { size: landscape"))
        // Space on a focused button presses the button and does nothing else.
        XCTAssertTrue(html.contains("if (onControl && (e.key === \" \" || e.key === \"Enter\")) { return; }"))

        // In a real browser, when one is installed: a hash in the address opens that frame.
        guard let dom = try TestSupport.chromiumDOM("file://\(dir)/index.html#7") else { throw XCTSkip("no chromium") }
        guard dom.contains("<section") else { throw XCTSkip("chromium did not run") }
        XCTAssertTrue(dom.contains("id=\"frame-7\" data-file=\"007-loss.svg\" aria-label=\"Loss\">"), "frame 7 shown")
        XCTAssertTrue(dom.contains("id=\"frame-1\" data-file=\"001-setup.svg\" aria-label=\"Setup\" hidden"), "frame 1 hidden")
        XCTAssertTrue(dom.contains(">7 / 29<"))
    }
}
