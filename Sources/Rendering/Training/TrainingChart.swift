import Annotation
import Foundation

/// A line chart of values per training step, as a hand-written SVG sized for a slide
/// (960 × 540) or for a panel of the training player (`Size`): axes with round ticks, linear or logarithmic y, one line per series and a
/// legend in the network's notation. Every text is XML-escaped. The chart carries a marker
/// line (`class="marker"`) and the plot's extent (`data-left`, `data-right`, `data-steps`) so
/// the training player can move the marker to the step it shows.
public struct TrainingChart: Sendable {
    /// The y axis.
    public enum Scale: String, CaseIterable, Sendable {
        /// Linear from zero (or the smallest value, when negative).
        case linear
        /// Logarithmic, over at most 16 decades below the largest value.
        case log
    }

    /// One line of the chart.
    public struct Series: Sendable {
        /// The legend's name for it, in the network's notation.
        public var name: MathText
        /// One value per step, step 0 first.
        public var values: [Double]
        /// A line named `name` through `values`.
        public init(name: MathText, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// The heading above the plot.
    public var title: MathText
    /// The y axis's label.
    public var yLabel: MathText
    /// The lines, drawn in the palette's order.
    public var series: [Series]
    /// Linear or logarithmic y.
    public var scale: Scale
    /// Font, text and background colours.
    public var theme: Theme

    /// A chart of `series`.
    public init(title: MathText, yLabel: MathText, series: [Series], scale: Scale, theme: Theme) {
        self.title = title
        self.yLabel = yLabel
        self.series = series
        self.scale = scale
        self.theme = theme
    }

    /// Where a chart is shown. A slide of its own (the run's `loss.svg`, `gradients.svg`), or a
    /// panel of the training player, where two charts share the width under the flow frame:
    /// a smaller canvas with the text nearly as large, so that at 1280 × 720 the charts'
    /// text is still at least 12 pixels.
    public struct Size: Sendable {
        var width: Double, height: Double
        /// Text sizes and the room around the plot, relative to the slide's.
        var scale: Double
        var titleSize: Double

        /// 960 × 540, a slide of its own.
        public static let slide = Size(width: 960, height: 540, scale: 1, titleSize: 24)
        /// 640 × 320 with text at 0.9 of the slide's, a panel of the training player.
        public static let panel = Size(width: 640, height: 320, scale: 0.9, titleSize: 17)
    }

    /// Log axes span at most this many decades below the largest value.
    static let maxDecades = 16.0

    /// Colours for the lines, told apart by people with colour-vision deficiencies (Okabe &
    /// Ito), ordered so neighbouring layers differ; lighter ones on a dark background.
    func palette() -> [String] {
        if Self.isDark(theme.color("background")) {
            return ["#56B4E9", "#E69F00", "#F0E442", "#CC79A7", "#009E73", "#FFFFFF", "#D55E00", "#9AD0F5"]
        }
        return ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#8C6D1F"]
    }

    static func isDark(_ hex: String) -> Bool {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let v = Int(digits, radix: 16) else { return false }
        let r = Double(v >> 16 & 255), g = Double(v >> 8 & 255), b = Double(v & 255)
        return 0.299 * r + 0.587 * g + 0.114 * b < 128
    }

    /// The chart as a standalone SVG document of `size` (960 × 540 for a slide).
    public func svg(size: Size = .slide) -> String {
        let width = size.width, height = size.height, k = size.scale
        let font = theme.fontFamily
        let text = theme.color("text"), grid = theme.color("dimmed"), background = theme.color("background")
        let steps = max(1, (series.map(\.values.count).max() ?? 1) - 1)
        let legendWidth = series.count > 1 ? 230 * k : 0
        let left = 110 * k, right = width - 30 * k - legendWidth, top = 70 * k, bottom = height - 75 * k
        let tick = 17 * k, label = 19 * k
        let y = YAxis(values: series.flatMap(\.values), scale: scale)
        func px(_ step: Double) -> Double { left + (right - left) * step / Double(steps) }
        func py(_ v: Double) -> Double { bottom - (bottom - top) * y.fraction(v) }

        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(svgNumber(width)) \(svgNumber(height))" width="\(svgNumber(width))" height="\(svgNumber(height))" class="training-chart" data-left="\(svgNumber(left))" data-right="\(svgNumber(right))" data-steps="\(steps)" font-family="\(MathText.htmlEscape(font))" role="img">
        <title>\(MathText.htmlEscape(title.plain))</title>
        <rect x="0" y="0" width="\(svgNumber(width))" height="\(svgNumber(height))" fill="\(MathText.htmlEscape(background))"/>
        <text x="\(svgNumber(width / 2))" y="\(svgNumber(12 * k + size.titleSize))" text-anchor="middle" font-size="\(svgNumber(size.titleSize))" font-weight="bold" fill="\(MathText.htmlEscape(text))">\(tspans(title, size: size.titleSize))</text>

        """
        // Grid and ticks.
        for t in y.ticks {
            let yy = py(t.value)
            out += "<line x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(yy))\" x2=\"\(svgNumber(right))\" y2=\"\(svgNumber(yy))\" stroke=\"\(MathText.htmlEscape(grid))\" stroke-width=\"1\" stroke-dasharray=\"3 4\"/>\n"
            out += "<text x=\"\(svgNumber(left - 10 * k))\" y=\"\(svgNumber(yy + 6 * k))\" text-anchor=\"end\" font-size=\"\(svgNumber(tick))\" fill=\"\(MathText.htmlEscape(text))\">\(tspans(t.label, size: tick))</text>\n"
        }
        for step in Self.niceTicks(low: 0, high: Double(steps), count: 6) where step >= 0 && step <= Double(steps) {
            let xx = px(step)
            out += "<line x1=\"\(svgNumber(xx))\" y1=\"\(svgNumber(bottom))\" x2=\"\(svgNumber(xx))\" y2=\"\(svgNumber(bottom + 6 * k))\" stroke=\"\(MathText.htmlEscape(text))\" stroke-width=\"1.5\"/>\n"
            out += "<text x=\"\(svgNumber(xx))\" y=\"\(svgNumber(bottom + 26 * k))\" text-anchor=\"middle\" font-size=\"\(svgNumber(tick))\" fill=\"\(MathText.htmlEscape(text))\">\(MathText.htmlEscape(Self.integerText(step)))</text>\n"
        }
        out += "<polyline points=\"\(svgNumber(left)),\(svgNumber(top)) \(svgNumber(left)),\(svgNumber(bottom)) \(svgNumber(right)),\(svgNumber(bottom))\" fill=\"none\" stroke=\"\(MathText.htmlEscape(text))\" stroke-width=\"1.5\"/>\n"
        out += "<text x=\"\(svgNumber((left + right) / 2))\" y=\"\(svgNumber(height - 22 * k))\" text-anchor=\"middle\" font-size=\"\(svgNumber(label))\" fill=\"\(MathText.htmlEscape(text))\">step</text>\n"
        out += "<text transform=\"translate(\(svgNumber(28 * k)) \(svgNumber((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"\(svgNumber(label))\" fill=\"\(MathText.htmlEscape(text))\">\(tspans(yLabel + (scale == .log ? " (log scale)" : ""), size: label))</text>\n"

        // The lines: at most about two points per pixel column, keeping each column's extremes.
        let colors = palette()
        for (i, s) in series.enumerated() {
            let color = colors[i % colors.count]
            let dash = i >= colors.count ? " stroke-dasharray=\"8 4\"" : ""
            var points = ""
            for (step, v) in Self.envelope(s.values, columns: Int(right - left)) {
                points += "\(svgNumber(px(Double(step)))),\(svgNumber(py(v))) "
            }
            out += "<polyline class=\"series\" points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"3\" stroke-linejoin=\"round\"\(dash)><title>\(MathText.htmlEscape(s.name.plain))</title></polyline>\n"
        }
        if series.count > 1 {
            let lx = right + 24 * k
            for (i, s) in series.enumerated() {
                let ly = top + 8 * k + Double(i) * 34 * k
                let dash = i >= colors.count ? " stroke-dasharray=\"8 4\"" : ""
                out += "<line x1=\"\(svgNumber(lx))\" y1=\"\(svgNumber(ly))\" x2=\"\(svgNumber(lx + 34 * k))\" y2=\"\(svgNumber(ly))\" stroke=\"\(colors[i % colors.count])\" stroke-width=\"4\"\(dash)/>\n"
                out += "<text x=\"\(svgNumber(lx + 44 * k))\" y=\"\(svgNumber(ly + 7 * k))\" font-size=\"\(svgNumber(label))\" fill=\"\(MathText.htmlEscape(text))\">\(tspans(s.name, size: label))</text>\n"
            }
        }
        out += "<line class=\"marker\" x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(top - 8 * k))\" x2=\"\(svgNumber(left))\" y2=\"\(svgNumber(bottom))\" stroke=\"\(MathText.htmlEscape(theme.color("highlight")))\" stroke-width=\"2.5\" visibility=\"hidden\"/>\n"
        out += "</svg>\n"
        return out
    }

    /// (step, value) pairs to draw: every point when they fit, else the first, smallest,
    /// largest and last value of each pixel column, in step order.
    static func envelope(_ values: [Double], columns: Int) -> [(Int, Double)] {
        let n = values.count
        guard n > 2 * max(columns, 1) else { return values.enumerated().map { ($0.offset, $0.element) } }
        var out: [(Int, Double)] = []
        let per = Double(n) / Double(columns)
        var start = 0
        for c in 0..<columns {
            let end = min(n, Int((Double(c + 1) * per).rounded(.up)))
            guard start < end else { continue }
            var lo = start, hi = start
            for i in start..<end {
                if values[i] < values[lo] { lo = i }
                if values[i] > values[hi] { hi = i }
            }
            for i in Set([start, lo, hi, end - 1]).sorted() { out.append((i, values[i])) }
            start = end
        }
        return out
    }

    /// The y axis: its range and ticks.
    struct YAxis {
        var low: Double, high: Double
        var scale: Scale
        var ticks: [(value: Double, label: MathText)] = []

        init(values: [Double], scale: Scale) {
            self.scale = scale
            let finite = values.filter(\.isFinite)
            switch scale {
            case .linear:
                let lo = min(0, finite.min() ?? 0), hi = max(finite.max() ?? 1, lo + 1e-12)
                let t = TrainingChart.niceTicks(low: lo, high: hi, count: 6)
                low = t.first ?? lo
                high = max(t.last ?? hi, hi)
                let format = NumberFormat(precision: 3)
                ticks = t.map { ($0, MathText(format.string($0))) }
            case .log:
                let positive = finite.filter { $0 > 0 }
                let top = (positive.max() ?? 1)
                let bottom = max(positive.min() ?? top / 10, top * pow(10, -TrainingChart.maxDecades))
                high = pow(10, Foundation.log10(top).rounded(.up))
                low = min(pow(10, Foundation.log10(bottom).rounded(.down)), high / 10)
                let decades = Int((Foundation.log10(high) - Foundation.log10(low)).rounded())
                let every = max(1, (decades + 7) / 8)
                var e = Int(Foundation.log10(low).rounded())
                while Double(e) <= Foundation.log10(high) + 1e-9 {
                    if (e - Int(Foundation.log10(low).rounded())) % every == 0 {
                        ticks.append((pow(10, Double(e)), e == 0 ? "1" : MathText([.init("10"), .init(e < 0 ? "−\(-e)" : "\(e)", .sup)])))
                    }
                    e += 1
                }
            }
        }

        /// Where a value sits between the bottom (0) and the top (1); zero and below on a log
        /// axis sit at the bottom.
        func fraction(_ v: Double) -> Double {
            switch scale {
            case .linear: return high > low ? (v - low) / (high - low) : 0
            case .log:
                guard v > 0 else { return 0 }
                return max(0, (Foundation.log10(v) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low)))
            }
        }
    }

    /// Round tick values (1, 2 or 5 × 10ᵏ apart) covering low…high.
    static func niceTicks(low: Double, high: Double, count: Int) -> [Double] {
        guard high > low else { return [low] }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, Foundation.log10(raw).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var v = (low / step).rounded(.down) * step
        while v <= high + step * 1e-9 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        if let last = ticks.last, last < high { ticks.append(last + step) }
        return ticks
    }

    static func integerText(_ x: Double) -> String {
        let n = Int(x.rounded())
        return n >= 10_000 ? n.formatted(.number.grouping(.automatic)).replacingOccurrences(of: ",", with: " ") : String(n)
    }

    /// Math text as SVG tspans: scripts smaller and shifted with explicit `dy` offsets (which
    /// every browser honours, unlike `baseline-shift`), the baseline restored after each.
    func tspans(_ t: MathText, size: Double) -> String {
        var out = ""
        var shift = 0.0
        for span in t.spans {
            let target: Double
            switch span.position {
            case .base: target = 0
            case .sub: target = size * 0.3
            case .sup: target = -size * 0.4
            }
            let dy = target - shift
            shift = target
            let fontSize = span.position == .base ? "" : " font-size=\"\(svgNumber(size * 0.7))\""
            out += "<tspan\(dy != 0 ? " dy=\"\(svgNumber(dy))\"" : "")\(fontSize)>\(MathText.htmlEscape(span.text))</tspan>"
        }
        if shift != 0 { out += "<tspan dy=\"\(svgNumber(-shift))\"></tspan>" }
        return out
    }
}

/// Coordinates with two decimals at most, trailing zeros trimmed.
func svgNumber(_ x: Double) -> String {
    let r = (x * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}
