import Annotation
import Foundation
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// The training player's zoom (FrameZoom), in Chromium at 1280 × 720 on an 8-layer net whose
/// fitted frame's text is 5 pixels high: zooming makes the drawing and its text larger by the
/// zoom, keeps the point at the box's centre where it was, survives a step to the next frame,
/// and 0 gives the fitted frame back.
final class FrameZoomTests: XCTestCase {
    func trainingPage() throws -> String {
        let net = try NetworkFile.load(path: TestSupport.sample("deep-sigmoid-data.yaml"))
        let steps = 120
        var frames: [TrainingFrames.Frame] = []
        let (history, trained) = try Trainer(network: net, options: .init(steps: steps, learningRate: 0.5)).run { step, solution in
            if step % 10 == 0 { frames.append(.init(step: step, solution: solution)) }
        }
        let report = TrainingReport(network: net, options: .init(steps: steps, learningRate: 0.5), history: history, trained: trained,
                                    frames: frames, theme: try Theme.named("classroom"), lossScale: .linear, gradientScale: .log,
                                    flow: .init(), numbers: NumberFormat(precision: 4))
        let files = try report.files()
        let index = try XCTUnwrap(files.last { $0.name == "index.html" })
        return String(decoding: index.data, as: UTF8.self)
    }

    func testZoomEnlargesTheFrameAboutTheCentreAndKeepsItAcrossFrames() throws {
        guard TestSupport.chromium != nil else { throw XCTSkip("no chromium") }
        let page = try trainingPage()
        XCTAssertTrue(page.contains("id=\"zoom-in\"") && page.contains("bpvizFrameZoom("))
        // Measures the shown frame's node text (median height in pixels), the frame box's
        // overflow and the drawing point at its centre; presses keys as a reader would.
        let script = """
            <script>
            (function () {
              var box = document.getElementById("frames");
              function shown() { return Array.prototype.slice.call(document.querySelectorAll(".frame")).filter(function (f) { return !f.hidden; })[0]; }
              function state() {
                var f = shown(), svg = f.querySelector("svg"), r = svg.querySelector("g.graph").getBoundingClientRect(), b = box.getBoundingClientRect();
                var heights = Array.prototype.slice.call(svg.querySelectorAll("g.node text")).map(function (t) { return t.getBoundingClientRect().height; })
                  .filter(function (h) { return h > 0; }).sort(function (a, c) { return a - c; });
                return { text: heights[Math.floor(heights.length / 2)], width: r.width, height: r.height, overflowX: box.scrollWidth - box.clientWidth,
                         cx: (b.left + box.clientWidth / 2 - r.left) / r.width, cy: (b.top + box.clientHeight / 2 - r.top) / r.height,
                         left: box.scrollLeft, top: box.scrollTop, level: document.getElementById("zoom-fit").textContent };
              }
              function key(k) { document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })); }
              var out = { fit: state() };
              box.scrollLeft = 0;
              key("+"); key("+"); key("+");
              out.zoomed = state();
              box.scrollLeft += 150;
              out.panned = state();
              key("ArrowRight");
              out.next = state();
              // Stepping through every frame moves neither the header's buttons nor the
              // frame's box (the counter and the summary keep their widest and tallest).
              var xs = [], hs = [];
              for (var i = 0; i < 30; i++) {
                key("ArrowRight");
                xs.push(document.getElementById("next").getBoundingClientRect().left);
                hs.push(box.getBoundingClientRect().height);
              }
              out.steady = { buttonMoves: Math.max.apply(null, xs) - Math.min.apply(null, xs), boxMoves: Math.max.apply(null, hs) - Math.min.apply(null, hs) };
              for (var k = 0; k < 30; k++) { key("ArrowLeft"); }
              key("ArrowRight");
              key("0");
              out.back = state();
              var pre = document.createElement("pre");
              pre.id = "measured";
              pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            })();
            </script>
            """
        let m = try run(page, script)
        func n(_ s: String, _ k: String) -> Double { (m[s]?[k] as? NSNumber)?.doubleValue ?? .nan }
        func text(_ s: String, _ k: String) -> String { m[s]?[k] as? String ?? "" }

        // Fitted, the wide frame's text is small and nothing scrolls.
        XCTAssertLessThan(n("fit", "text"), 9, "\(m)")
        XCTAssertEqual(n("fit", "overflowX"), 0, accuracy: 1)
        XCTAssertEqual(text("fit", "level"), "fit")
        XCTAssertEqual(n("fit", "cx"), 0.5, accuracy: 0.02)
        // Three steps in (×3): the drawing and its text three times as large, the text
        // readable, the frame scrolls, the point at the centre stays where it was.
        XCTAssertEqual(text("zoomed", "level"), "×3")
        XCTAssertEqual(n("zoomed", "width") / n("fit", "width"), 3, accuracy: 0.02, "\(m)")
        // Text boxes are whole pixels high (5 px fitted): their ratio is the zoom to within that.
        XCTAssertEqual(n("zoomed", "text") / n("fit", "text"), 3, accuracy: 0.35, "\(m)")
        XCTAssertGreaterThanOrEqual(n("zoomed", "text"), 12, "\(m)")
        XCTAssertGreaterThan(n("zoomed", "overflowX"), n("fit", "width"))
        // (To within 3 pixels of the zoomed drawing, measured after the scroll bars came: each
        // of the three steps scrolls to whole pixels.)
        XCTAssertEqual(n("zoomed", "cx"), n("fit", "cx"), accuracy: 3 / n("zoomed", "width"), "\(m)")
        XCTAssertEqual(n("zoomed", "cy"), n("fit", "cy"), accuracy: 3 / n("zoomed", "height"), "\(m)")
        // The next frame is shown at the same zoom and the same place.
        XCTAssertEqual(n("next", "width"), n("panned", "width"), accuracy: 1)
        XCTAssertEqual(n("next", "left"), n("panned", "left"), accuracy: 1)
        XCTAssertEqual(n("next", "cx"), n("panned", "cx"), accuracy: 0.01)
        XCTAssertEqual(n("steady", "buttonMoves"), 0, accuracy: 0.5, "\(m)")
        XCTAssertEqual(n("steady", "boxMoves"), 0, accuracy: 0.5, "\(m)")
        // 0 fits it again.
        XCTAssertEqual(text("back", "level"), "fit")
        XCTAssertEqual(n("back", "width"), n("fit", "width"), accuracy: 1)
        XCTAssertEqual(n("back", "overflowX"), 0, accuracy: 1)
    }

    /// The page with `script` run at its end in Chromium (1280 × 720 unless told); what the
    /// script left as JSON in #measured.
    func run(_ page: String, _ script: String, window: (Int, Int) = (1280, 720)) throws -> [String: [String: Any]] {
        let dir = NSTemporaryDirectory() + "bpviz-frame-zoom-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try page.replacingOccurrences(of: "</body>", with: script + "</body>").write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
        guard let dom = try TestSupport.chromiumDOM("file://\(dir)/index.html", windowSize: window, virtualTimeBudget: 2000),
              let json = TestSupport.text(ofElement: "measured", in: dom) else { throw XCTSkip("chromium did not run") }
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]])
    }

    /// Ctrl+wheel zooms at the pointer: the drawing's point under it stays under it, from the
    /// fitted frame (letterboxed in its box) as from a zoomed one, wherever the zoomed drawing
    /// can scroll that far; small steps (a touchpad's pinch) add up to a level. A resize
    /// keeps what the box's centre shows. At 1280 × 900 the fitted drawing fills the box's
    /// width with bands above and below; one notch (×1.5) makes it taller than the box.
    func testCtrlWheelZoomsAtThePointerAndAResizeKeepsTheView() throws {
        guard TestSupport.chromium != nil else { throw XCTSkip("no chromium") }
        let script = """
            <script>
            (function () {
              var box = document.getElementById("frames");
              function shown() { return Array.prototype.slice.call(document.querySelectorAll(".frame")).filter(function (f) { return !f.hidden; })[0]; }
              // The drawing's point under (x, y) of the page, as fractions, and its size.
              function under(at) {
                var r = shown().querySelector("g.graph").getBoundingClientRect();
                return { fx: (at.x - r.left) / r.width, fy: (at.y - r.top) / r.height, width: r.width, height: r.height,
                         overflowX: box.scrollWidth - box.clientWidth, overflowY: box.scrollHeight - box.clientHeight,
                         level: document.getElementById("zoom-fit").textContent };
              }
              function wheel(dy, at) {
                box.dispatchEvent(new WheelEvent("wheel", { deltaY: dy, ctrlKey: true, clientX: at.x, clientY: at.y, bubbles: true, cancelable: true }));
              }
              var b = box.getBoundingClientRect(), n = shown().querySelector("g.node[id$='-L4_1']").getBoundingClientRect();
              // Right of the centre and near the top: the point moves if the zoom is about
              // the centre or about the letterboxed svg element instead of the drawing.
              var at = { x: n.left + n.width / 2, y: n.top + n.height / 2 };
              var out = { fit: under(at) };
              wheel(-100, at);
              out.wheeled = under(at);
              wheel(-30, at); wheel(-30, at); wheel(-30, at);
              out.pinching = under(at);
              wheel(-30, at);
              out.pinched = under(at);
              // Small steps in, then a notch out: the part-filled total is dropped when the
              // wheel turns, so the notch zooms out one level.
              wheel(-25, at); wheel(-25, at); wheel(-25, at);
              wheel(100, at);
              out.turned = under(at);
              wheel(-100, at);
              var centre = function () { return { x: b.left + box.clientWidth / 2, y: b.top + box.clientHeight / 2 }; };
              out.before = under(centre());
              document.body.style.width = "1000px";
              document.body.style.height = "800px";
              window.dispatchEvent(new Event("resize"));
              b = box.getBoundingClientRect();
              out.resized = under(centre());
              var pre = document.createElement("pre");
              pre.id = "measured";
              pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            })();
            </script>
            """
        let m = try run(try trainingPage(), script, window: (1280, 900))
        func n(_ s: String, _ k: String) -> Double { (m[s]?[k] as? NSNumber)?.doubleValue ?? .nan }
        func text(_ s: String, _ k: String) -> String { m[s]?[k] as? String ?? "" }
        // One notch from the fitted frame: ×1.5, taller than the box, the point kept across
        // (to 2 pixels); the drawing, narrower than the box, is centred along it.
        XCTAssertEqual(text("wheeled", "level"), "×1.5")
        XCTAssertEqual(n("fit", "overflowY"), 0, accuracy: 1)
        XCTAssertGreaterThan(n("wheeled", "overflowY"), 30, "\(m)")
        XCTAssertEqual(n("wheeled", "fy"), n("fit", "fy"), accuracy: 2 / n("wheeled", "height"), "\(m)")
        // Three small steps are not a notch; the fourth makes one, about the pointer again
        // (the drawing is now wider than the box too).
        XCTAssertEqual(text("pinching", "level"), "×1.5")
        XCTAssertEqual(text("pinched", "level"), "×2")
        XCTAssertGreaterThan(n("pinched", "overflowX"), 100, "\(m)")
        XCTAssertEqual(n("pinched", "fx"), n("pinching", "fx"), accuracy: 2 / n("pinched", "width"), "\(m)")
        XCTAssertEqual(n("pinched", "fy"), n("pinching", "fy"), accuracy: 2 / n("pinched", "height"), "\(m)")
        XCTAssertEqual(text("turned", "level"), "×1.5")
        // A smaller page shows the same point of the drawing at the box's centre.
        XCTAssertNotEqual(n("resized", "height"), n("before", "height"))
        XCTAssertEqual(n("resized", "fx"), n("before", "fx"), accuracy: 2 / n("resized", "width"), "\(m)")
        XCTAssertEqual(n("resized", "fy"), n("before", "fy"), accuracy: 2 / n("resized", "height"), "\(m)")
    }
}
