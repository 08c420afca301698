import Annotation

/// What the slide deck's and the training player's `index.html` share: the page's frame
/// (full-height column, a header with the title, ← and → buttons and a counter) and the
/// keyboard: →, PageDown and Space step forward, ←, PageUp back, Home and End jump. Space and
/// Enter on a focused control only press it, and keys on a slider move the slider.
enum PageShell {
    static func style(theme: Theme) -> String {
        """
        html, body { margin: 0; height: 100%; background: \(theme.color("background")); color: \(theme.color("text"));
          font-family: "DejaVu Sans", Verdana, Arial, sans-serif; }
        body { display: flex; flex-direction: column; }
        header { display: flex; align-items: center; gap: 1em; padding: 0.4em 1em; border-bottom: 1px solid \(theme.color("dimmed")); }
        header h1 { font-size: 1.1em; margin: 0; flex: 1; }
        header button { font: inherit; padding: 0.2em 0.8em; background: transparent; color: inherit;
          border: 1px solid \(theme.color("dimmed")); border-radius: 4px; cursor: pointer; }
        :focus-visible { outline: 2px solid \(theme.color("highlight")); }
        """
    }

    /// The header; `counter` is the live region's id and first text; `beside` goes between
    /// the title and the buttons (a zoomed deck's overview).
    static func header(title: String, counter: (id: String, text: String), beside: String = "") -> String {
        """
        <header>
        <h1>\(MathText.htmlEscape(title))</h1>
        \(beside)        <button id="prev" type="button" aria-label="Previous frame">←</button>
        <button id="next" type="button" aria-label="Next frame">→</button>
        <span id="\(counter.id)" aria-live="polite">\(MathText.htmlEscape(counter.text))</span>
        </header>
        """
    }

    /// `bpvizNavigation(go, current, count)`: keys and the header's buttons call `go(i)` with
    /// the frame to show; `current()` is the frame shown, `count` how many there are.
    static let navigationScript = """
        function bpvizNavigation(go, current, count) {
          document.addEventListener("keydown", function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey) { return; }
            var onControl = e.target && /^(BUTTON|A|INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
            if (onControl && (e.key === " " || e.key === "Enter")) { return; }
            if (e.target && e.target.tagName === "INPUT" && /^(Arrow|Page|Home|End)/.test(e.key)) { return; }
            if (e.key === "ArrowRight" || e.key === "PageDown" || e.key === " ") { go(current() + 1); e.preventDefault(); }
            else if (e.key === "ArrowLeft" || e.key === "PageUp") { go(current() - 1); e.preventDefault(); }
            else if (e.key === "Home") { go(0); e.preventDefault(); }
            else if (e.key === "End") { go(count - 1); e.preventDefault(); }
          });
          document.getElementById("prev").addEventListener("click", function () { go(current() - 1); });
          document.getElementById("next").addEventListener("click", function () { go(current() + 1); });
        }
        """
}
