import Annotation
import Graphviz
import NetworkModel
@testable import Rendering
import TestSupport
import XCTest

/// An ops deck's window shows boxes whole or not at all where it can: centred on its step,
/// it showed half a node at one side and a sliver of a label ("= ?") at the other.
final class DeckZoomSnapTests: XCTestCase {
    typealias R = DeckHTML.Rect

    func cuts(_ w: R, _ boxes: [R]) -> Int {
        boxes.filter { b in
            let inside = b.x < w.x + w.width && b.x + b.width > w.x && b.y < w.y + w.height && b.y + b.height > w.y
            let whole = b.x >= w.x - 0.01 && b.x + b.width <= w.x + w.width + 0.01 && b.y >= w.y - 0.01 && b.y + b.height <= w.y + w.height + 0.01
            return inside && !whole
        }.count
    }

    func testAWindowMovesToShowABoxWholeKeepingItsFocus() {
        let whole = R(x: 0, y: 0, width: 1000, height: 200)
        let focus = R(x: 300, y: 50, width: 100, height: 100)
        let boxes = [R(x: 320, y: 60, width: 60, height: 30), R(x: 480, y: 60, width: 60, height: 30), R(x: 100, y: 60, width: 80, height: 30)]
        let centred = DeckZoom.centred(on: focus, size: Size(width: 300, height: 200), within: whole)
        XCTAssertEqual(centred.x, 200)
        XCTAssertEqual(cuts(centred, boxes), 1, "the box at 480…540 straddles the right edge at 500")
        let snapped = DeckZoom.snapped(centred, keeping: focus, within: whole, boxes: boxes)
        XCTAssertEqual(cuts(snapped, boxes), 0)
        XCTAssertEqual(snapped.width, centred.width)
        XCTAssertTrue(snapped.x <= focus.x && snapped.x + snapped.width >= focus.x + focus.width, "the focus stays in the window")
        // Positions keep 2 points clear of a box's side: the right edge at 478 would leave the
        // left one 2 points from the box at 100…180, so the nearest that cuts nothing takes
        // the box at 480…540 in, with its 2 points.
        XCTAssertEqual(snapped.x, 242, accuracy: 1e-9, "the right edge at 542")
    }

    func testAWindowThatCannotMoveStaysCentred() {
        let whole = R(x: 0, y: 0, width: 300, height: 200)
        let focus = R(x: 0, y: 0, width: 300, height: 200)
        let w = DeckZoom.centred(on: focus, size: Size(width: 300, height: 200), within: whole)
        XCTAssertEqual(DeckZoom.snapped(w, keeping: focus, within: whole, boxes: [R(x: 290, y: 0, width: 50, height: 20)]), w)
    }

    /// On the worked example's ops deck, the windows cut fewer boxes than centred ones did.
    func testTheWorkedExamplesWindowsCutFewerBoxes() throws {
        let solution = try NetworkFile.load(path: TestSupport.sample("question-1.yaml")).solve()
        let frames = SlideDeck(solution: solution, steps: .ops).frames.map(\.diagram)
        let theme = try Theme.named("classroom")
        let layout = try DiagramRenderer(theme: theme).layout(sharedBy: frames)
        let zoom = try XCTUnwrap(DeckZoom(frames: frames, geometry: layout.geometry, fontSize: theme.fontSize))
        let boxes = DeckZoom.boxes(layout.geometry)
        var before = 0, after = 0
        for (frame, view) in zip(frames, zoom.views) {
            guard let focus = DeckZoom.focus(of: frame, geometry: layout.geometry) else { continue }
            let centred = DeckZoom.centred(on: focus, size: Size(width: view.width, height: view.height), within: zoom.whole)
            before += cuts(centred, boxes)
            after += cuts(view, boxes)
            XCTAssertLessThanOrEqual(cuts(view, boxes), cuts(centred, boxes))
        }
        XCTAssertLessThan(after, before)
        print("boxes cut by the ops deck's windows: \(before) centred, \(after) snapped")
    }
}
