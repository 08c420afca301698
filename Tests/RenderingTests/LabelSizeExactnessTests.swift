import Annotation
import Foundation
import Graphviz
import NetworkModel
@testable import Rendering
import TestSupport
import XCTest

/// HTMLLabelSizer computes label sizes the way Graphviz does; this compares it with Graphviz
/// itself on every label bpviz makes: each label of every sample in every view and deck, with
/// every theme, top to bottom as well, legends (also as the legend's browser measure scales
/// them), the lines with stacked scripts measured on their own, and labels of random networks
/// with random values (negative, tiny, huge, hidden, long and odd names). Sizes must be equal
/// as numbers, not close: a size that differs moves something in a picture.
final class LabelSizeExactnessTests: XCTestCase {
    /// Labels by the node attributes they are measured with, each once (by its markup).
    struct Corpus {
        var groups: [String: (attributes: Attributes, labels: [String: HTML])] = [:]
        /// The lines of each element already collected, by theme and element: a deck's frames
        /// repeat most labels, and building each again took minutes.
        var seenLines: [String: [[Line]]] = [:]

        mutating func isNew(_ lines: [Line], _ id: String) -> Bool {
            if seenLines[id, default: []].contains(lines) { return false }
            seenLines[id, default: []].append(lines)
            return true
        }

        mutating func add(_ label: HTML, attributes: Attributes) {
            let key = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            groups[key, default: (attributes, [:])].labels[label.markup] = label
            for (_, line) in LabelBuilder.stackedLines(in: label) {
                groups[key]!.labels[line.markup] = line
            }
        }

        var count: Int { groups.values.reduce(0) { $0 + $1.labels.count } }
    }

    /// Every label GraphBuilder.measure and LegendBuilder measure for these diagrams.
    func collect(_ diagrams: [Diagram], theme: Theme, into corpus: inout Corpus) {
        let builder = GraphBuilder(theme: theme)
        let attributes = GraphBuilder.plainText.merging(["fontname": .text(theme.fontFamily)]) { a, _ in a }
        let themeKey = "\(theme.fontFamily) \(theme.fontSize) \(theme.direction) \(theme.color("value"))"
        for diagram in diagrams {
            for n in diagram.nodes where corpus.isNew(n.lines, themeKey + " node " + n.id.raw + "\(n.kind)\(n.emphasis.dimmed)\(n.shade != nil)") {
                corpus.add(builder.nodeLabel(n), attributes: attributes)
            }
            for e in diagram.edges where corpus.isNew(e.lines, themeKey + " edge " + e.id.raw + "\(e.emphasis.dimmed)") {
                corpus.add(builder.edgeLabel(e), attributes: attributes)
            }
            for h in diagram.headers { corpus.add(builder.headerLabel(h), attributes: attributes) }
            if let title = diagram.title { corpus.add(builder.titleLabel(title), attributes: attributes) }
            if !diagram.caption.isEmpty { corpus.add(builder.captionLabel(diagram.caption), attributes: attributes) }
            if let legend = diagram.legend {
                var legendBuilder = LegendBuilder(theme: theme)
                corpus.add(legendBuilder.html(legend), attributes: attributes)
                legendBuilder.textWidth = 157
                corpus.add(legendBuilder.html(legend), attributes: attributes)
                let k = LegendBuilder.browserScale
                let scaled = GraphBuilder.plainText.merging(["fontname": .text(theme.fontFamily), "fontsize": .text(String(theme.fontSize * k))]) { _, b in b }
                for text in legendBuilder.texts(legend) { corpus.add(LegendBuilder.scaled(text, by: k), attributes: scaled) }
            }
        }
    }

    func diagrams(_ solution: Solution, options: ViewOptions = ViewOptions(), decks: Bool = true) -> [[Diagram]] {
        var all: [[Diagram]] = View.allCases.compactMap { view in (try? view.diagram(solution, options: options)).map { [$0] } }
        for steps in SlideDeck.Steps.allCases where decks {
            let frames = SlideDeck(solution: solution, steps: steps).frames.map(\.diagram)
            if !frames.isEmpty { all.append(frames) }
        }
        return all
    }

    /// Compares every label's computed size with Graphviz's; returns how many were compared.
    @discardableResult
    func check(_ corpus: Corpus, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var compared = 0
        for (_, group) in corpus.groups.sorted(by: { $0.key < $1.key }) {
            let sizer = try XCTUnwrap(HTMLLabelSizer(nodeAttributes: group.attributes), file: file, line: line)
            let labels = group.labels.sorted { $0.key < $1.key }
            // Raw markup is never sized in Swift: these sizes are Graphviz's own.
            let measured = try GraphvizEngine.measure(labels.map { .html(.raw($0.key)) }, nodeAttributes: group.attributes)
            for ((markup, label), graphviz) in zip(labels, measured) {
                guard let computed = try sizer.size(label) else {
                    XCTFail("not sized: \(markup)", file: file, line: line)
                    continue
                }
                if computed != graphviz {
                    XCTFail("\(computed) computed, \(graphviz) measured by Graphviz: \(markup)", file: file, line: line)
                }
                // The sizes of its stacked lines, reported while the label is sized (what
                // GraphBuilder.measure uses), are each line's own (compared with Graphviz's
                // here too: the corpus holds every line as a label of its own).
                let lines = LabelBuilder.stackedLines(in: label)
                if !lines.isEmpty {
                    let reported = try sizer.size(label, withTables: LabelBuilder.isStackedLine)
                    XCTAssertEqual(reported?.size, computed, markup, file: file, line: line)
                    let own = try lines.map { try sizer.size($0.line) }
                    XCTAssertEqual(reported?.tables.map { Optional($0) }, own, markup, file: file, line: line)
                }
                compared += 1
            }
        }
        return compared
    }

    func testSamplesViewsDecksAndThemes() throws {
        var corpus = Corpus()
        let themes = try Theme.builtIns()
        for path in TestSupport.allSamples {
            let network = try NetworkFile.load(path: path)
            guard network.layers.reduce(0, { $0 + $1.weights.rows * $1.weights.columns }) <= 10_000 else { continue }
            let solution = try network.solve(learningRate: 0.1)
            // The decks of the deep samples hold nothing the others' do not (their frames are
            // the same kinds of labels, many more of them) and took minutes in a debug build;
            // BPVIZ_EXACTNESS_ALL=1 includes them (38,679 labels, all exact, when written).
            let decks = ProcessInfo.processInfo.environment["BPVIZ_EXACTNESS_ALL"] != nil || !path.contains("/deep-")
            // Every view in every theme; decks (whose frames differ in values shown or hidden
            // and emphasis) in the first theme, left to right and top to bottom.
            for options in [ViewOptions(), ViewOptions(format: NumberFormat(precision: 7), showUpdate: true, flow: .init(numbers: true))] {
                for (d, diagrams) in diagrams(solution, options: options, decks: decks).enumerated() {
                    for (t, theme) in themes.enumerated() where t == 0 || d < View.allCases.count {
                        collect(diagrams, theme: theme, into: &corpus)
                        if t == 0 {
                            var tb = theme
                            tb.direction = .topToBottom
                            collect(diagrams, theme: tb, into: &corpus)
                        }
                    }
                }
            }
        }
        let compared = try check(corpus)
        XCTAssertGreaterThan(compared, 1000)
    }

    func testRandomNetworks() throws {
        var rng = SystemRandomNumberGenerator()
        let seed = UInt64.random(in: 0...UInt64.max, using: &rng)
        var generator = SplitMix(seed: seed)
        var corpus = Corpus()
        let theme = try Theme.named("classroom")
        for _ in 0..<6 {
            let yaml = Self.randomNetwork(&generator)
            let solution = try NetworkFile.parse(text: yaml, file: "random.yaml").solve(learningRate: 0.01)
            for diagrams in diagrams(solution, options: ViewOptions(showUpdate: true, flow: .init(numbers: true))) {
                collect(diagrams, theme: theme, into: &corpus)
            }
        }
        let compared = try check(corpus)
        XCTAssertGreaterThan(compared, 100, "seed \(seed)")
    }

    /// A small network with values of every magnitude and sign and odd symbols.
    static func randomNetwork(_ g: inout SplitMix) -> String {
        func value() -> String {
            switch g.next() % 6 {
            case 0: return String(Double(Int64(g.next() % 2_000_000)) / 1000 - 1000)  // -1000…1000
            case 1: return String(Double(g.next() % 1000 + 1) * 1e-9 * (g.next() % 2 == 0 ? 1 : -1))  // tiny
            case 2: return String(Double(g.next() % 1000 + 1) * 1e7 * (g.next() % 2 == 0 ? 1 : -1))  // huge
            case 3: return "0"
            case 4: return String(Double(g.next() % 100) / 7 - 7)
            default: return String(-Double(g.next() % 1000) / 997)
            }
        }
        let symbols = ["x", "α", "Long_symbol_name", "WWWWWWWWWWWWWWWW", "a\\b", "<&>\"'", "θ̂", "日本", "x y", "∂", "W"]
        // Quoted for YAML: backslashes and quotes escaped.
        func symbol() -> String {
            symbols[Int(g.next() % UInt64(symbols.count))].replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        let widths = (0..<(2 + Int(g.next() % 3))).map { _ in 1 + Int(g.next() % 3) }
        let activations = ["relu", "sigmoid", "tanh", "identity", "leaky_relu"]
        var yaml = "name: random\ninput: [\((0..<widths[0]).map { _ in value() }.joined(separator: ", "))]\n"
        let out = widths.count > 1 ? 1 + Int(g.next() % 2) : 1
        yaml += "target: [\((0..<out).map { _ in value() }.joined(separator: ", "))]\nloss: rss\n"
        yaml += "notation: { input: \"\(symbol())\", weight: \"\(symbol())\", bias: \"\(symbol())\", activation: \"\(symbol())\", preactivation: \"\(symbol())\", loss: \"\(symbol())\" }\n"
        yaml += "layers:\n"
        var previous = widths[0]
        let units = Array(widths.dropFirst()) + [out]
        for (l, n) in units.enumerated() {
            let rows = (0..<previous).map { _ in "[" + (0..<n).map { _ in value() }.joined(separator: ", ") + "]" }.joined(separator: ", ")
            let activation = l == units.count - 1 ? "identity" : activations[Int(g.next() % UInt64(activations.count))]
            yaml += "  - { units: \(n), activation: \(activation), weights: [\(rows)], bias: [\((0..<n).map { _ in value() }.joined(separator: ", "))] }\n"
            previous = n
        }
        return yaml
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
