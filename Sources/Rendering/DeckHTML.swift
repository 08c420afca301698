import Annotation
import Foundation

/// The deck's `index.html`: frames inline, captions as HTML, ←/→/Home/End navigation, a
/// counter, and a print stylesheet that puts one frame on each page.
enum DeckHTML {
    /// A frame's section: the picture without its own title and caption (the page shows
    /// both, large, once), cropped to `picture` so it can fill the frame, and the caption as
    /// HTML. A `zoomed` frame's picture is a window onto the drawing (see DeckZoom), which
    /// the page's script glides to from the last frame's.
    static func section(index: Int, frame: SlideDeck.Frame, svg: String, file: String, picture: Rect? = nil, zoomed: Bool = false) -> String {
        String(decoding: section(index: index, frame: frame, svg: Array(svg.utf8), file: file, picture: picture, zoomed: zoomed), as: UTF8.self)
    }

    /// The section as bytes, from the frame's SVG bytes: each step is one pass over the
    /// picture, so a deck's page costs time in proportion to its size.
    static func section(index: Int, frame: SlideDeck.Frame, svg: [UInt8], file: String, picture: Rect? = nil, zoomed: Bool = false) -> [UInt8] {
        let caption = frame.diagram.caption.map { line -> String in
            let cls = line.role == .title ? "main" : (line.role == .gradient ? "grad" : "")
            return "<p class=\"\(cls)\">\(captionHTML(line.text))</p>"
        }.joined(separator: "\n")
        var inline = inlineSVG(svg, prefix: "f\(index + 1)-")
        if let picture { inline = cropped(withoutGroups(inline, ids: ["f\(index + 1)-title", "f\(index + 1)-caption"]), to: picture) }
        let head = """
        <section class="frame" id="frame-\(index + 1)" data-file="\(MathText.htmlEscape(file))" aria-label="\(MathText.htmlEscape(frame.title))"\(zoomed ? picture.map { " data-view=\"\($0.text)\"" } ?? "" : "")\(index == 0 ? "" : " hidden")>
        <div class="picture">
        """
        let tail = """
        </div>
        <div class="caption">\(caption)</div>
        </section>
        """
        var out: [UInt8] = []
        out.reserveCapacity(head.utf8.count + inline.count + tail.utf8.count)
        out += head.utf8
        out += inline
        out += tail.utf8
        return out
    }

    /// Graphviz's SVG without its XML prologue, with ids made unique per frame.
    static func inlineSVG(_ svg: String, prefix: String) -> String {
        String(decoding: inlineSVG(Array(svg.utf8), prefix: prefix), as: UTF8.self)
    }

    static func inlineSVG(_ bytes: [UInt8], prefix: String) -> [UInt8] {
        // Byte-level: Foundation's replacingOccurrences is slow on large strings.
        let start = bytes.firstRun(of: Array("<svg".utf8)) ?? 0
        return bytes.replacingRuns(of: Array(" id=\"".utf8), with: Array(" id=\"\(prefix)".utf8), from: start)
    }

    /// A rectangle in the SVG's user units (points, y down).
    struct Rect: Equatable {
        var x, y, width, height: Double

        /// "x y width height", as a viewBox reads.
        var text: String { [x, y, width, height].map { String(format: "%.2f", $0) }.joined(separator: " ") }
    }

    /// Caption text as HTML that breaks only at spaces: each run between spaces (a fraction
    /// like ∂H₁⁽¹⁾/∂Z₁⁽¹⁾, a scripted symbol, a number) is one unbreakable span. An equation's
    /// last step — ` = value` at the end of the line or before a comma — stays with what it
    /// equals: a summary's "∂Loss/∂w₃₂⁽¹⁾" at the end of one line and "= −32" at the start of
    /// the next read as two statements.
    static func captionHTML(_ text: MathText) -> String {
        var words: [(html: String, plain: String)] = []
        var word = "", plain = ""
        func flush() {
            if !word.isEmpty { words.append((word, plain)); word = ""; plain = "" }
        }
        let spans = text.spans.filter { !$0.text.isEmpty }
        var i = 0
        while i < spans.count {
            let span = spans[i]
            i += 1
            // A subscript beside a superscript stacks, the superscript above (see `.ss`).
            if i < spans.count, Set([span.position, spans[i].position]) == [.sub, .sup] {
                let (sub, sup) = span.position == .sub ? (span, spans[i]) : (spans[i], span)
                word += "<span class=\"ss\"><sup>\(MathText.htmlEscape(sup.text))</sup><sub>\(MathText.htmlEscape(sub.text))</sub></span>"
                plain += sup.text + sub.text
                i += 1
                continue
            }
            guard span.position == .base else {
                let tag = span.position == .sub ? "sub" : "sup"
                word += "<\(tag)>\(MathText.htmlEscape(span.text))</\(tag)>"
                plain += span.text
                continue
            }
            for c in span.text {
                if c == " " { flush() } else { word += MathText.htmlEscape(String(c)); plain.append(c) }
            }
        }
        flush()
        // Which words go with the next one: `x = value` where value ends the line or a term.
        var glued = Array(repeating: false, count: words.count)
        for k in words.indices.dropFirst().dropLast() where words[k].plain == "=" {
            let value = words[k + 1].plain
            if k + 2 == words.count || value.hasSuffix(",") || value.hasSuffix(";") { glued[k - 1] = true; glued[k] = true }
        }
        var out = "", k = 0
        while k < words.count {
            if k > 0 { out += " " }
            var run = words[k].html
            while glued[k] { k += 1; run += " " + words[k].html }
            out += "<span class=\"nw\">\(run)</span>"
            k += 1
        }
        return out
    }

    /// The SVG without the `<g>` elements with these ids (and what they contain).
    static func withoutGroups(_ svg: String, ids: [String]) -> String {
        String(decoding: withoutGroups(Array(svg.utf8), ids: ids), as: UTF8.self)
    }

    static func withoutGroups(_ svg: [UInt8], ids: [String]) -> [UInt8] {
        var bytes = svg
        for id in ids {
            guard let start = bytes.firstRun(of: Array("<g id=\"\(id)\"".utf8)) else { continue }
            let open = Array("<g".utf8), close = Array("</g>".utf8)
            var depth = 0, i = start
            while i < bytes.count {
                if bytes[i] != UInt8(ascii: "<") {
                    i = bytes.firstIndex(of: UInt8(ascii: "<"), from: i) ?? bytes.count
                } else if bytes.starts(with: close, at: i) {
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
        return bytes
    }

    /// The SVG's viewBox narrowed to `r`, its fixed size dropped: the page's CSS sizes it.
    static func cropped(_ svg: String, to r: Rect) -> String {
        String(decoding: cropped(Array(svg.utf8), to: r), as: UTF8.self)
    }

    /// Only the `<svg>` tag changes; the bytes around it are copied once.
    static func cropped(_ svg: [UInt8], to r: Rect) -> [UInt8] {
        guard let open = svg.firstRun(of: Array("<svg ".utf8)),
              let end = svg.firstIndex(of: UInt8(ascii: ">"), from: open) else { return svg }
        var tag = Array(svg[open...end])
        for name in ["width", "height", "viewBox"] {
            let key = Array(" \(name)=\"".utf8)
            if let a = tag.firstRun(of: key), let q = tag.firstIndex(of: UInt8(ascii: "\""), from: a + key.count) {
                tag.removeSubrange(a...q)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(svg.count + 64)
        out += svg[..<open]
        out += Array("<svg viewBox=\"\(r.text)\" preserveAspectRatio=\"xMidYMid meet\"".utf8)
        out += tag.dropFirst(4)
        out += svg[(end + 1)...]
        return out
    }

    /// The most caption lines a deck keeps room for under every picture: a deep net's
    /// summary (14 lines for deep-sigmoid) would leave every other frame's picture a sliver;
    /// only a frame with a longer caption than this draws its picture smaller.
    static let reservedCaptionLines = 5

    static func page(title: String, sections: [String], theme: Theme, zoom: DeckZoom? = nil) -> String {
        let parts = page(title: title, frameCount: sections.count, theme: theme, zoom: zoom)
        return parts.head + sections.joined(separator: "\n") + parts.tail
    }

    /// The page around its sections, which go between `head` and `tail`, separated by
    /// newlines: a deck writes the head, then each section as its frame is drawn.
    /// `captionLines`: the most lines any frame's caption has, at most `reservedCaptionLines`
    /// (a zoomed deck's own count wins): the page keeps that much room under every picture,
    /// so every frame's picture has the same area and scale, and a node sits at the same spot
    /// in every frame.
    static func page(title: String, frameCount: Int, theme: Theme, zoom: DeckZoom? = nil, captionLines: Int = 0) -> (head: String, tail: String) {
        // Escaped text cannot hold a NUL (control characters become their pictures).
        let marker = "\u{0}sections\u{0}"
        let accent = theme.color("highlight")
        // Room for the longest caption under every picture; a zoomed deck also has the whole
        // drawing small in the header with the window shown marked on it.
        var bodyAttributes = " style=\"--caption-lines: \(zoom?.captionLines ?? captionLines)\"", overview = ""
        if let zoom {
            bodyAttributes = " class=\"zoomed\"" + bodyAttributes
            let height = 34.0, width = min(300, (height * zoom.whole.width / max(zoom.whole.height, 1)).rounded())
            overview = """
            <svg id="overview" viewBox="\(zoom.whole.text)" preserveAspectRatio="xMidYMid meet" width="\(Int(width))" height="\(Int(height))" aria-hidden="true">\
            <use id="overview-use" href="#f1-graph0"/>\
            <rect id="overview-view" fill="\(accent)" fill-opacity="0.15" stroke="\(accent)" stroke-width="2" vector-effect="non-scaling-stroke"/>\
            </svg>

            """
        }
        let page = """
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
        /* A zoomed deck's picture is exactly its window (DeckZoom.aspect wide for 1 high):
           on a screen of another shape the svg would show the drawing beyond the window,
           cutting boxes at the screen's edge where the window was placed to cut none. On
           screen only: printed, the box has no height of its own to size the picture by. */
        @media screen {
          .zoomed .picture { container-type: size; }
          .zoomed .picture svg { width: min(100cqw, \(DeckZoom.aspect * 100)cqh); height: min(100cqh, \(100 / DeckZoom.aspect)cqw); }
        }
        .caption { padding: 0.2em 1em 0.6em; text-align: center; font-size: 1.15em; line-height: 1.5; }
        .caption { box-sizing: border-box; min-height: calc(var(--caption-lines) * 1.6em + 0.9em); }
        #overview { flex: none; border: 1px solid \(theme.color("dimmed")); background: \(theme.color("background")); }
        .nw { white-space: nowrap; }
        .caption p { margin: 0.1em 0; }
        .caption .main { font-weight: bold; }
        .caption .grad { color: \(theme.color("gradient")); }
        sub, sup { font-size: 0.7em; line-height: 0; }
        /* w₁₁⁽¹⁾ as textbooks set it: the superscript above the subscript, both at the symbol's
           right. The stack's baseline is its first row's, raised 0.33em; the rows are 0.63em
           apart, so the subscript's baseline is 0.3em below the text's. */
        .ss { display: inline-flex; flex-direction: column; align-items: flex-start; vertical-align: 0.33em; }
        .ss > sup, .ss > sub { line-height: 0.9; vertical-align: baseline; }
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
        <body\(bodyAttributes)>
        \(PageShell.header(title: title, counter: ("counter", "1 / \(frameCount)"), beside: overview))
        <main>
        \(marker)
        </main>
        <script>
        \(PageShell.navigationScript)
        (function () {
          var frames = Array.prototype.slice.call(document.querySelectorAll(".frame"));
          var counter = document.getElementById("counter");
          var current = 0;
          // A zoomed deck's frames are windows onto one drawing (data-view): a step glides
          // from the window shown to the next (centres linearly, sizes geometrically, so a
          // zoom reads as steady), unless the reader asks for reduced motion.
          var overviewUse = document.getElementById("overview-use"), overviewView = document.getElementById("overview-view");
          var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
          var view = null, viewed = -1, glide = 0;
          function viewOf(i) { return frames[i].getAttribute("data-view").split(" ").map(Number); }
          function place(svg, v) {
            svg.setAttribute("viewBox", v.map(function (n) { return n.toFixed(2); }).join(" "));
            ["x", "y", "width", "height"].forEach(function (k, j) { overviewView.setAttribute(k, v[j].toFixed(2)); });
            view = v;
          }
          function zoomTo(i) {
            if (!overviewUse || !frames[i].hasAttribute("data-view")) { return; }
            cancelAnimationFrame(glide);
            // A frame left mid-glide keeps its own window, for printing and for coming back.
            if (viewed >= 0 && viewed !== i) { frames[viewed].querySelector(".picture svg").setAttribute("viewBox", frames[viewed].getAttribute("data-view")); }
            viewed = i;
            overviewUse.setAttribute("href", "#f" + (i + 1) + "-graph0");
            var svg = frames[i].querySelector(".picture svg"), to = viewOf(i), from = view, start = null;
            if (!from || still) { place(svg, to); return; }
            function step(now) {
              if (start === null) { start = now; }
              var t = Math.min(1, (now - start) / 450), e = t < 0.5 ? 4 * t * t * t : 1 - Math.pow(2 - 2 * t, 3) / 2;
              var w = from[2] * Math.pow(to[2] / from[2], e), h = from[3] * Math.pow(to[3] / from[3], e);
              var cx = from[0] + from[2] / 2 + (to[0] + to[2] / 2 - from[0] - from[2] / 2) * e;
              var cy = from[1] + from[3] / 2 + (to[1] + to[3] / 2 - from[1] - from[3] / 2) * e;
              place(svg, t < 1 ? [cx - w / 2, cy - h / 2, w, h] : to);
              if (t < 1) { glide = requestAnimationFrame(step); }
            }
            glide = requestAnimationFrame(step);
          }
          // Each step is a history entry (Back steps back); the hash names the frame, and
          // changing it by hand, by a link or by Back shows that frame.
          function show(i, push) {
            current = Math.max(0, Math.min(frames.length - 1, i));
            frames.forEach(function (f, j) { f.hidden = j !== current; });
            zoomTo(current);
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
        let split = page.components(separatedBy: marker)
        return (split[0], split[1])
    }
}
