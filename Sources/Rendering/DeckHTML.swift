import Annotation
import Foundation

/// The deck's `index.html`: frames inline, captions as HTML, ←/→/Home/End navigation, a
/// counter, and a print stylesheet that puts one frame on each page.
enum DeckHTML {
    /// A frame's section: the picture without its own title and caption (the page shows
    /// both, large, once), cropped to `picture` so it can fill the frame, and the caption as
    /// HTML.
    static func section(index: Int, frame: SlideDeck.Frame, svg: String, file: String, picture: Rect? = nil) -> String {
        let caption = frame.diagram.caption.map { line -> String in
            let cls = line.role == .title ? "main" : (line.role == .gradient ? "grad" : "")
            return "<p class=\"\(cls)\">\(captionHTML(line.text))</p>"
        }.joined(separator: "\n")
        var inline = inlineSVG(svg, prefix: "f\(index + 1)-")
        if let picture { inline = cropped(withoutGroups(inline, ids: ["f\(index + 1)-title", "f\(index + 1)-caption"]), to: picture) }
        return """
        <section class="frame" id="frame-\(index + 1)" data-file="\(MathText.htmlEscape(file))" aria-label="\(MathText.htmlEscape(frame.title))"\(index == 0 ? "" : " hidden")>
        <div class="picture">\(inline)</div>
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

    /// A rectangle in the SVG's user units (points, y down).
    struct Rect: Equatable {
        var x, y, width, height: Double
    }

    /// Caption text as HTML that breaks only at spaces: each run between spaces (a fraction
    /// like ∂H₁⁽¹⁾/∂Z₁⁽¹⁾, a scripted symbol, a number) is one unbreakable span.
    static func captionHTML(_ text: MathText) -> String {
        var words: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty { words.append("<span class=\"nw\">\(word)</span>"); word = "" }
        }
        for span in text.spans {
            guard span.position == .base else {
                let tag = span.position == .sub ? "sub" : "sup"
                word += "<\(tag)>\(MathText.htmlEscape(span.text))</\(tag)>"
                continue
            }
            for c in span.text {
                if c == " " { flush(); words.append(" ") } else { word += MathText.htmlEscape(String(c)) }
            }
        }
        flush()
        return words.joined()
    }

    /// The SVG without the `<g>` elements with these ids (and what they contain).
    static func withoutGroups(_ svg: String, ids: [String]) -> String {
        var bytes = Array(svg.utf8)
        for id in ids {
            guard let start = bytes.firstIndex(of: Array("<g id=\"\(id)\"".utf8), from: 0) else { continue }
            let open = Array("<g".utf8), close = Array("</g>".utf8)
            var depth = 0, i = start
            while i < bytes.count {
                if bytes.starts(with: close, at: i) {
                    depth -= 1
                    i += close.count
                    if depth == 0 { break }
                } else if bytes.starts(with: open, at: i), i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: " ") || bytes[i + 2] == UInt8(ascii: ">") {
                    depth += 1
                    i += open.count
                } else {
                    i += 1
                }
            }
            bytes.removeSubrange(start..<i)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The SVG's viewBox narrowed to `r`, its fixed size dropped: the page's CSS sizes it.
    static func cropped(_ svg: String, to r: Rect) -> String {
        guard let open = svg.range(of: "<svg "), let end = svg[open.upperBound...].firstIndex(of: ">") else { return svg }
        var tag = String(svg[open.lowerBound...end])
        for name in ["width", "height", "viewBox"] {
            if let a = tag.range(of: " \(name)=\""), let q = tag[a.upperBound...].firstIndex(of: "\"") {
                tag.removeSubrange(a.lowerBound...q)
            }
        }
        func n(_ x: Double) -> String { String(format: "%.2f", x) }
        tag = "<svg viewBox=\"\(n(r.x)) \(n(r.y)) \(n(r.width)) \(n(r.height))\" preserveAspectRatio=\"xMidYMid meet\"" + tag.dropFirst(4)
        return svg.replacingCharacters(in: open.lowerBound...end, with: tag)
    }

    static func page(title: String, sections: [String], theme: Theme) -> String {
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(MathText.htmlEscape(title))</title>
        <style>
        \(PageShell.style(theme: theme))
        #counter { font-variant-numeric: tabular-nums; min-width: 6em; text-align: right; }
        main { flex: 1; display: flex; min-height: 0; }
        .frame { flex: 1; display: flex; flex-direction: column; min-height: 0; }
        .frame[hidden] { display: none; }
        .picture { flex: 1; min-height: 0; display: flex; align-items: center; justify-content: center; padding: 0.3em 0.5em; }
        .picture svg { width: 100%; height: 100%; display: block; }
        .caption { padding: 0.2em 1em 0.6em; text-align: center; font-size: 1.15em; line-height: 1.5; }
        .nw { white-space: nowrap; }
        .caption p { margin: 0.1em 0; }
        .caption .main { font-weight: bold; }
        .caption .grad { color: \(theme.color("gradient")); }
        sub, sup { font-size: 0.7em; line-height: 0; }
        @page { size: landscape; margin: 1cm; }
        @media print {
          header { display: none; }
          html, body { height: auto; display: block; }
          main { display: block; }
          .frame, .frame[hidden] { display: block; page-break-after: always; break-after: page; height: auto; }
          .frame:last-child { page-break-after: auto; break-after: auto; }
          .picture { display: block; padding: 0; }
          .picture svg { width: 100%; height: auto; max-height: 80vh; }
        }
        </style>
        </head>
        <body>
        \(PageShell.header(title: title, counter: ("counter", "1 / \(sections.count)")))
        <main>
        \(sections.joined(separator: "\n"))
        </main>
        <script>
        \(PageShell.navigationScript)
        (function () {
          var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
          var counter = document.getElementById("counter");
          var current = 0;
          // Each step is a history entry (Back steps back); the hash names the frame, and
          // changing it by hand, by a link or by Back shows that frame.
          function show(i, push) {
            current = Math.max(0, Math.min(frames.length - 1, i));
            frames.forEach(function (f, j) { f.hidden = j !== current; });
            counter.textContent = (current + 1) + " / " + frames.length;
            var hash = "#" + (current + 1);
            if (location.hash !== hash) {
              if (push && history.pushState) { history.pushState(null, "", hash); }
              else if (history.replaceState) { history.replaceState(null, "", hash); }
            }
          }
          function fromHash() {
            var n = parseInt((location.hash || "#1").slice(1), 10);
            show(isNaN(n) ? 0 : n - 1, false);
          }
          function go(i) { if (i !== current && i >= 0 && i < frames.length) { show(i, true); } }
          bpvizNavigation(go, function () { return current; }, frames.length);
          window.addEventListener("hashchange", fromHash);
          window.addEventListener("popstate", fromHash);
          fromHash();
        })();
        </script>
        </body>
        </html>

        """
    }
}
