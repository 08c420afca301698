import Annotation
import Foundation

/// The deck's `index.html`: frames inline, captions as HTML, ←/→/Home/End navigation, a
/// counter, and a print stylesheet that puts one frame on each page.
enum DeckHTML {
    static func section(index: Int, frame: SlideDeck.Frame, svg: String, file: String) -> String {
        let caption = frame.diagram.caption.map { line -> String in
            let cls = line.role == .title ? "main" : (line.role == .gradient ? "grad" : "")
            return "<p class=\"\(cls)\">\(line.text.html)</p>"
        }.joined(separator: "\n")
        return """
        <section class="frame" id="frame-\(index + 1)" data-file="\(MathText.htmlEscape(file))" aria-label="\(MathText.htmlEscape(frame.title))"\(index == 0 ? "" : " hidden")>
        <div class="picture">\(inlineSVG(svg, prefix: "f\(index + 1)-"))</div>
        <div class="caption">\(caption)</div>
        </section>
        """
    }

    /// Graphviz's SVG without its XML prologue, with ids made unique per frame.
    static func inlineSVG(_ svg: String, prefix: String) -> String {
        // Byte-level: Foundation's replacingOccurrences is slow on large strings.
        let bytes = Array(svg.utf8)
        let start = bytes.firstIndex(of: Array("<svg".utf8), from: 0) ?? 0
        let renamed = Array(bytes[start...]).replacing(Array(" id=\"".utf8), with: Array(" id=\"\(prefix)".utf8))
        return String(decoding: renamed, as: UTF8.self)
    }

    static func page(title: String, sections: [String], theme: Theme) -> String {
        let background = theme.color("background"), text = theme.color("text"), accent = theme.color("highlight")
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(MathText.htmlEscape(title))</title>
        <style>
        html, body { margin: 0; height: 100%; background: \(background); color: \(text);
          font-family: "DejaVu Sans", Verdana, Arial, sans-serif; }
        body { display: flex; flex-direction: column; }
        header { display: flex; align-items: center; gap: 1em; padding: 0.4em 1em; border-bottom: 1px solid \(theme.color("dimmed")); }
        header h1 { font-size: 1.1em; margin: 0; flex: 1; }
        header button { font: inherit; padding: 0.2em 0.8em; background: transparent; color: inherit;
          border: 1px solid \(theme.color("dimmed")); border-radius: 4px; cursor: pointer; }
        #counter { font-variant-numeric: tabular-nums; min-width: 6em; text-align: right; }
        main { flex: 1; display: flex; min-height: 0; }
        .frame { flex: 1; display: flex; flex-direction: column; min-height: 0; }
        .frame[hidden] { display: none; }
        .picture { flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; padding: 0.5em; }
        .picture svg { width: 100%; height: 100%; }
        .caption { padding: 0.3em 1em 0.8em; text-align: center; font-size: 1.15em; line-height: 1.5; }
        .caption p { margin: 0.1em 0; }
        .caption .main { font-weight: bold; }
        .caption .grad { color: \(theme.color("gradient")); }
        sub, sup { font-size: 0.7em; line-height: 0; }
        :focus-visible { outline: 2px solid \(accent); }
        @media print {
          header { display: none; }
          html, body { height: auto; display: block; }
          main { display: block; }
          .frame, .frame[hidden] { display: block; page-break-after: always; break-after: page; height: auto; }
          .picture svg { max-height: 80vh; }
        }
        </style>
        </head>
        <body>
        <header>
        <h1>\(MathText.htmlEscape(title))</h1>
        <button id="prev" type="button" aria-label="Previous frame">←</button>
        <button id="next" type="button" aria-label="Next frame">→</button>
        <span id="counter" aria-live="polite">1 / \(sections.count)</span>
        </header>
        <main>
        \(sections.joined(separator: "\n"))
        </main>
        <script>
        (function () {
          var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
          var counter = document.getElementById("counter");
          var current = 0;
          function show(i) {
            current = Math.max(0, Math.min(frames.length - 1, i));
            frames.forEach(function (f, j) { f.hidden = j !== current; });
            counter.textContent = (current + 1) + " / " + frames.length;
            if (history.replaceState) { history.replaceState(null, "", "#" + (current + 1)); }
          }
          document.addEventListener("keydown", function (e) {
            if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") { show(current + 1); e.preventDefault(); }
            else if (e.key === "ArrowLeft" || e.key === "PageUp") { show(current - 1); e.preventDefault(); }
            else if (e.key === "Home") { show(0); e.preventDefault(); }
            else if (e.key === "End") { show(frames.length - 1); e.preventDefault(); }
          });
          document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
          document.getElementById("next").addEventListener("click", function () { show(current + 1); });
          var start = parseInt((location.hash || "#1").slice(1), 10);
          show(isNaN(start) ? 0 : start - 1);
        })();
        </script>
        </body>
        </html>

        """
    }
}
