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
        let steps = 20
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
                return { text: heights[Math.floor(heights.length / 2)], width: r.width, overflowX: box.scrollWidth - box.clientWidth,
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
              key("0");
              out.back = state();
              var pre = document.createElement("pre");
              pre.id = "measured";
              pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            })();
            </script>
            """
        let dir = NSTemporaryDirectory() + "bpviz-frame-zoom-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try page.replacingOccurrences(of: "</body>", with: script + "</body>").write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
        guard let dom = try TestSupport.chromiumDOM("file://\(dir)/index.html", windowSize: (1280, 720), virtualTimeBudget: 2000),
              let json = TestSupport.text(ofElement: "measured", in: dom) else { throw XCTSkip("chromium did not run") }
        let m = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: Any]])
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
        XCTAssertEqual(n("zoomed", "cx"), n("fit", "cx"), accuracy: 0.01, "\(m)")
        XCTAssertEqual(n("zoomed", "cy"), n("fit", "cy"), accuracy: 0.01, "\(m)")
        // The next frame is shown at the same zoom and the same place.
        XCTAssertEqual(n("next", "width"), n("panned", "width"), accuracy: 1)
        XCTAssertEqual(n("next", "left"), n("panned", "left"), accuracy: 1)
        XCTAssertEqual(n("next", "cx"), n("panned", "cx"), accuracy: 0.01)
        // 0 fits it again.
        XCTAssertEqual(text("back", "level"), "fit")
        XCTAssertEqual(n("back", "width"), n("fit", "width"), accuracy: 1)
        XCTAssertEqual(n("back", "overflowX"), 0, accuracy: 1)
    }
}
