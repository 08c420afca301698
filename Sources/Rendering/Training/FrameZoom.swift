/// Zoom and pan for the training player's flow frame. A wide network's frame is fitted to the
/// page's width, so at 1280 × 720 an 8-layer net's labels are 5–7 pixels high: the reader
/// zooms in (+, −, 0 to fit, the header's buttons, or Ctrl+wheel at the pointer) and pans by
/// dragging or scrolling. One zoom and one scroll position serve every frame, so stepping
/// through the run keeps the same part of the network in view.
enum FrameZoom {
    /// Zoom factors over the fitted frame.
    static let levels = [1, 1.5, 2, 3, 4, 6, 8]

    /// The header's zoom group: out, the level (pressing it fits the frame again), in.
    static let controls = """
        <span class="zoom" role="group" aria-label="Zoom the frame (drag or scroll to pan)">
        <button id="zoom-out" type="button" aria-label="Zoom out (−)">−</button>
        <button id="zoom-fit" type="button" aria-label="Fit the frame to the page (0)">fit</button>
        <button id="zoom-in" type="button" aria-label="Zoom in (+)">+</button>
        </span>

        """

    /// Zoomed, the frame box scrolls and each frame is its drawing's fitted size times the
    /// zoom (set by the script), centred while it is smaller than the box.
    static let style = """
        .zoom { display: flex; gap: 0.3em; }
        #zoom-fit { width: 3.8em; font-variant-numeric: tabular-nums; }
        #frames { position: relative; }
        #frames.zoomed { display: block; overflow: auto; cursor: grab; }
        #frames.zoomed.panning { cursor: grabbing; user-select: none; }
        #frames.zoomed .frame { display: block; flex: none; }
        #frames.zoomed .frame[hidden] { display: none; }
        #frames.zoomed .frame svg { display: block; }
        """

    /// `bpvizFrameZoom(box, frames)`: zoom for the `.frame` sections in the scrolling `box`.
    static let script = """
        function bpvizFrameZoom(box, frames) {
          var levels = [\(levels.map { "\($0)" }.joined(separator: ", "))], level = 0;
          var fit = document.getElementById("zoom-fit");
          function shown() { return frames.filter(function (f) { return !f.hidden; })[0] || frames[0]; }
          // The drawing's point under (x, y) of the box, as fractions of the drawing: the svg
          // letterboxes it (fitted, the svg is the whole box; zoomed, exactly the drawing).
          function drawingAt(x, y) {
            var svg = shown().querySelector("svg"), r = svg.getBoundingClientRect(), b = box.getBoundingClientRect();
            var v = svg.viewBox.baseVal, s = Math.min(r.width / v.width, r.height / v.height);
            var left = r.left + (r.width - v.width * s) / 2, top = r.top + (r.height - v.height * s) / 2;
            return { fx: (b.left + x - left) / (v.width * s), fy: (b.top + y - top) / (v.height * s) };
          }
          // What the box's centre shows, kept while the reader scrolls: a resize keeps it. A
          // scroll the zoom made itself (clamped at an edge) leaves the point it asked for.
          var view = { fx: 0.5, fy: 0.5 }, placed = null;
          box.addEventListener("scroll", function () {
            if (placed && box.scrollLeft === placed.left && box.scrollTop === placed.top) { return; }
            placed = null;
            if (level > 0) { view = drawingAt(box.clientWidth / 2, box.clientHeight / 2); }
          });
          // Shows the zoom of `level` with the drawing's point p under the box's (x, y) (its
          // centre when no anchor is given, measured once the scroll bars are there).
          function apply(p, anchor) {
            var zoom = levels[level];
            fit.textContent = zoom === 1 ? "fit" : "×" + zoom;
            if (zoom === 1) {
              box.classList.remove("zoomed");
              frames.forEach(function (f) { f.style.width = f.style.height = f.style.marginLeft = f.style.marginTop = ""; });
              view = { fx: 0.5, fy: 0.5 };
              return;
            }
            // Fitted to the box's outer size, so the fit does not depend on the scroll bars
            // the zoom brings; centred in what they leave.
            var outer = box.getBoundingClientRect();
            box.classList.add("zoomed");
            frames.forEach(function (f) {
              var v = f.querySelector("svg").viewBox.baseVal;
              if (!v || !v.width || !v.height) { return; }
              var s = Math.min(outer.width / v.width, outer.height / v.height) * zoom;
              f.style.width = v.width * s + "px";
              f.style.height = v.height * s + "px";
            });
            frames.forEach(function (f) {
              f.style.marginLeft = Math.max(0, (box.clientWidth - parseFloat(f.style.width)) / 2) + "px";
              f.style.marginTop = Math.max(0, (box.clientHeight - parseFloat(f.style.height)) / 2) + "px";
            });
            var x = anchor ? anchor.x : box.clientWidth / 2, y = anchor ? anchor.y : box.clientHeight / 2;
            var f = shown();
            box.scrollLeft = p.fx * f.offsetWidth + f.offsetLeft - x;
            box.scrollTop = p.fy * f.offsetHeight + f.offsetTop - y;
            placed = { left: box.scrollLeft, top: box.scrollTop };
            view = anchor ? drawingAt(box.clientWidth / 2, box.clientHeight / 2) : p;
          }
          function zoomTo(next, anchor) {
            next = Math.max(0, Math.min(levels.length - 1, next));
            if (next === level) { return; }
            var p = anchor ? drawingAt(anchor.x, anchor.y) : drawingAt(box.clientWidth / 2, box.clientHeight / 2);
            level = next;
            apply(p, anchor);
          }
          document.getElementById("zoom-in").addEventListener("click", function () { zoomTo(level + 1); });
          document.getElementById("zoom-out").addEventListener("click", function () { zoomTo(level - 1); });
          fit.addEventListener("click", function () { zoomTo(0); });
          document.addEventListener("keydown", function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey) { return; }
            if (e.key === "+" || e.key === "=") { zoomTo(level + 1); e.preventDefault(); }
            else if (e.key === "-" || e.key === "_") { zoomTo(level - 1); e.preventDefault(); }
            else if (e.key === "0") { zoomTo(0); e.preventDefault(); }
          });
          // Ctrl+wheel (and a touchpad's pinch) zooms at the pointer, a level per notch of a
          // wheel (100 pixels, 3 lines); a pinch's small steps add up, until it turns or
          // pauses. The plain wheel scrolls.
          var wheel = 0, lastWheel = 0;
          box.addEventListener("wheel", function (e) {
            if (!e.ctrlKey || e.deltaY === 0) { return; }
            e.preventDefault();
            var delta = e.deltaY * (e.deltaMode === 1 ? 100 / 3 : e.deltaMode === 2 ? 800 : 1);
            if ((delta < 0) !== (wheel < 0) || e.timeStamp - lastWheel > 500) { wheel = 0; }
            lastWheel = e.timeStamp;
            wheel += delta;
            if (Math.abs(wheel) < 100) { return; }
            var steps = wheel < 0 ? 1 : -1;
            wheel = 0;
            var b = box.getBoundingClientRect();
            zoomTo(level + steps, { x: e.clientX - b.left, y: e.clientY - b.top });
          }, { passive: false });
          var drag = null;
          box.addEventListener("pointerdown", function (e) {
            var b = box.getBoundingClientRect();
            // Not on the scroll bars, which move the view themselves.
            if (level === 0 || e.button !== 0 || e.clientX - b.left >= box.clientWidth || e.clientY - b.top >= box.clientHeight) { return; }
            drag = { x: e.clientX, y: e.clientY, left: box.scrollLeft, top: box.scrollTop, id: e.pointerId };
            box.setPointerCapture(e.pointerId);
            box.classList.add("panning");
          });
          box.addEventListener("pointermove", function (e) {
            if (!drag || e.pointerId !== drag.id) { return; }
            box.scrollLeft = drag.left - (e.clientX - drag.x);
            box.scrollTop = drag.top - (e.clientY - drag.y);
          });
          function endDrag() { drag = null; box.classList.remove("panning"); }
          box.addEventListener("pointerup", endDrag);
          box.addEventListener("pointercancel", endDrag);
          window.addEventListener("resize", function () { if (level > 0) { apply(view); } });
        }
        """
}
