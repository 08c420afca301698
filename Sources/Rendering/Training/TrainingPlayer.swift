import Annotation
import Foundation

/// The training run's `index.html`: one self-contained page (frames and charts inline, no
/// network access) with a step slider, the deck's keys (PageShell), the flow view of the frame
/// shown (zoomed and panned by FrameZoom), and the loss and gradient-norm charts with a marker
/// at the frame's step.
enum TrainingPlayer {
    struct FrameSection {
        var step: Int
        var svg: String
        /// What the frame's step measured, already formatted: `loss 0.1234`, …
        var summary: String
    }

    static func page(title: String, frames: [FrameSection], lossChart: String, gradientChart: String, theme: Theme) -> String {
        let accent = theme.color("highlight")
        let sections = frames.enumerated().map { i, frame in
            """
            <section class="frame" data-step="\(frame.step)" data-summary="\(MathText.htmlEscape(frame.summary))" aria-label="step \(frame.step)"\(i == 0 ? "" : " hidden")>
            \(DeckHTML.inlineSVG(frame.svg, prefix: "f\(i + 1)-"))
            </section>
            """
        }.joined(separator: "\n")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(MathText.htmlEscape(title))</title>
        <style>
        \(PageShell.style(theme: theme))
        \(FrameZoom.style)
        #step { font-variant-numeric: tabular-nums; min-width: 9em; text-align: right; font-weight: bold; }
        main { flex: 1; display: flex; flex-direction: column; min-height: 0; gap: 0.3em; padding: 0.3em 0.5em; }
        /* The flow frame takes what the charts leave; the charts (panels of 640 × 320) keep
           at least 42 % of the height, so their text stays at least 12 px at 1280 × 720. */
        #frames { flex: 1 1 0; display: flex; min-width: 0; min-height: 0; }
        .frame { flex: 1; display: flex; align-items: center; justify-content: center; min-height: 0; }
        .frame[hidden] { display: none; }
        .frame svg { width: 100%; height: 100%; }
        #charts { flex: 0 0 auto; height: max(300px, 42vh); display: flex; gap: 0.5em; min-width: 0; }
        .chart { flex: 1; min-width: 0; min-height: 0; display: flex; }
        .chart svg { width: 100%; height: 100%; }
        footer { display: flex; flex-direction: column; gap: 0.2em; padding: 0.2em 1em 0.5em; }
        #slider { width: 100%; accent-color: \(accent); }
        #summary { font-variant-numeric: tabular-nums; text-align: center; line-height: 1.4; }
        /* The summary breaks only between its terms, never inside ‖∂Loss/∂W⁽ˡ⁾‖. */
        #summary span { white-space: nowrap; }
        @media (max-aspect-ratio: 1/1) { #charts { flex-direction: column; height: 60vh; } }
        </style>
        </head>
        <body>
        \(PageShell.header(title: title, counter: ("step", "step \(frames.first?.step ?? 0)"), beside: FrameZoom.controls))
        <main>
        <div id="frames">
        \(sections)
        </div>
        <div id="charts">
        <div class="chart">\(DeckHTML.inlineSVG(lossChart, prefix: "loss-"))</div>
        <div class="chart">\(DeckHTML.inlineSVG(gradientChart, prefix: "grad-"))</div>
        </div>
        </main>
        <footer>
        <input id="slider" type="range" min="0" max="\(max(0, frames.count - 1))" value="0" step="1" aria-label="Frame">
        <span id="summary"></span>
        </footer>
        <script>
        \(PageShell.navigationScript)
        \(FrameZoom.script)
        (function () {
          var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
          var charts = Array.prototype.slice.call(document.querySelectorAll("svg.training-chart"));
          var slider = document.getElementById("slider");
          var label = document.getElementById("step");
          var summary = document.getElementById("summary");
          var current = 0;
          function fillSummary(i) {
            summary.textContent = "";
            frames[i].getAttribute("data-summary").split(" · ").forEach(function (term, j) {
              if (j > 0) { summary.appendChild(document.createTextNode(" · ")); }
              var span = document.createElement("span");
              span.textContent = term;
              summary.appendChild(span);
            });
          }
          function show(i) {
            current = Math.max(0, Math.min(frames.length - 1, i));
            frames.forEach(function (f, j) { f.hidden = j !== current; });
            var step = parseInt(frames[current].getAttribute("data-step"), 10);
            slider.value = current;
            label.textContent = "step " + step + " (frame " + (current + 1) + " / " + frames.length + ")";
            fillSummary(current);
            charts.forEach(function (svg) {
              var left = parseFloat(svg.getAttribute("data-left")), right = parseFloat(svg.getAttribute("data-right"));
              var steps = parseFloat(svg.getAttribute("data-steps"));
              var x = left + (right - left) * step / Math.max(1, steps);
              var marker = svg.querySelector(".marker");
              marker.setAttribute("x1", x); marker.setAttribute("x2", x);
              marker.setAttribute("visibility", "visible");
            });
            if (history.replaceState) { history.replaceState(null, "", "#" + step); }
          }
          slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
          // The header and the frame keep still while stepping: the step counter as wide as
          // its widest text (the buttons beside it moved), the summary as tall as the tallest
          // (a summary that wraps once more took height from the frame).
          var steps = frames.map(function (f) { return parseInt(f.getAttribute("data-step"), 10); });
          label.textContent = "step " + Math.max.apply(null, steps) + " (frame " + frames.length + " / " + frames.length + ")";
          label.style.minWidth = Math.ceil(label.getBoundingClientRect().width) + "px";
          function reserveSummary() {
            summary.style.minHeight = "";
            var tallest = 0;
            frames.forEach(function (f, j) { fillSummary(j); tallest = Math.max(tallest, summary.getBoundingClientRect().height); });
            summary.style.minHeight = Math.ceil(tallest) + "px";
            fillSummary(current);
          }
          reserveSummary();
          window.addEventListener("resize", reserveSummary);
          bpvizNavigation(show, function () { return current; }, frames.length);
          bpvizFrameZoom(document.getElementById("frames"), frames);
          var wanted = parseInt((location.hash || "#0").slice(1), 10), start = 0;
          frames.forEach(function (f, j) { if (parseInt(f.getAttribute("data-step"), 10) <= wanted) { start = j; } });
          show(start);
        })();
        </script>
        </body>
        </html>

        """
    }
}
