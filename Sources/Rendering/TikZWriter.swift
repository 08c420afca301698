import Annotation
import Graphviz

/// A diagram as a TikZ picture: every node, edge, label, header, caption and legend at the
/// spot the layout gives it (the same geometry the SVG is drawn on), every label typeset by
/// LaTeX as math in the document's own fonts, colours from the theme as `xcolor` names.
///
/// The picture needs only `\usepackage{tikz}` (which loads xcolor and graphicx). It is as
/// wide as the line at most and as tall as the text at most; `\def\bpvizwidth{8cm}` (or
/// `\bpvizheight`) before `\input` sets another bound. Its labels were measured by Graphviz in
/// the theme's font; LaTeX sets them at the same nominal size, which in Computer Modern (or
/// any common text font) is narrower than DejaVu Sans, and `\bpvizlabel` shrinks any label
/// that would still not fit the room the layout gave it — so no two labels can overlap.
public struct TikZWriter: Sendable {
    /// Font, sizes, colours and spacing; the colours become `xcolor` definitions.
    public let theme: Theme

    /// What the picture includes besides the diagram.
    public struct Options: Sendable {
        /// Draw the diagram's caption inside the picture (a Beamer frame sets it as display math instead).
        public var caption = true
        /// Draw the diagram's title above the picture.
        public var title = true
        /// Options; by default the picture carries its caption and title.
        public init(caption: Bool = true, title: Bool = true) {
            self.caption = caption
            self.title = title
        }
    }

    let builder: GraphBuilder

    /// A writer drawing with `theme`.
    public init(theme: Theme) {
        self.theme = theme
        builder = GraphBuilder(theme: theme)
    }

    /// A coordinate or size: at most two decimals, trailing zeros dropped.
    func n(_ x: Double) -> String { builder.f(x) }

    /// (The label's text is in a group of its own inside the box, so that `\\color` is undone
    /// inside the box and not after it, in the surrounding document.)
    /// The TeX macros a picture uses, defined in the picture's own group: `\bpvizlabel{size}
    /// {room width}{room height}{text}` sets text at `size` layout points, shrunk to the room
    /// when it would not fit; `\bpvizrows{align}{rows}` stacks lines; `\bpvizl`, `\bpvizb` and
    /// `\bpvizs` are a plain, a bold and a small line in a colour.
    static let macros = #"""
    \ifdefined\bpvizpt\else\newdimen\bpvizpt\fi
    \ifdefined\bpvizwidth\else\def\bpvizwidth{\linewidth}\fi
    \ifdefined\bpvizheight\else\def\bpvizheight{\textheight}\fi
    \def\bpvizlabel#1#2#3#4{\setbox0\hbox{{\fontsize{10}{12}\selectfont#4}}%
    \pgfmathsetmacro\bpvizk{min(#1*\bpvizpt/10,#2*\bpvizpt/max(\wd0,0.01pt),#3*\bpvizpt/max(\ht0+\dp0,0.01pt))}%
    \scalebox{\bpvizk}{\box0}}%
    \def\bpvizrows#1#2{{\def\arraystretch{0.9}\begin{tabular}{@{}#1@{}}#2\end{tabular}}}%
    \def\bpvizl#1#2{\color{#1}$#2$}%
    \def\bpvizb#1#2{\color{#1}\bfseries\boldmath$#2$}%
    \def\bpvizs#1#2{\scalebox{0.714}{\color{#1}$#2$}}%

    """#

    /// A `tikzpicture` (with its colours and macros, in a group) to `\input` into a document.
    public func picture(_ diagram: Diagram, layout: DiagramRenderer.Layout, options: Options = Options()) -> String {
        let geometry = layout.geometry
        let labels = LabelBuilder(theme: theme)
        var colors = TikZColors(theme: theme)

        // The picture's extent: everything, or everything above the caption when the caption
        // is set outside the picture (and nothing but the caption lies below it).
        var height = geometry.height
        if !options.caption, let caption = geometry.caption, geometry.legend == nil {
            height = caption.center.y - caption.size.height / 2
        }
        // Likewise without the title, where the document has its own.
        var top = 0.0
        if !options.title, diagram.title != nil, let title = geometry.title { top = title.center.y + title.size.height / 2 }
        let width = geometry.width
        // pgfmath numbers stay below 16384: very large pictures are written in coarser units.
        let grain = max(1, (max(width, height) / 8000).rounded(.up))
        func c(_ p: Point) -> String { "(\(n(p.x / grain)),\(n(p.y / grain)))" }

        var body = ""
        body.reserveCapacity(4096 + diagram.edges.count * 400 + diagram.nodes.count * 600)
        body += "\\begin{tikzpicture}[x=\(n(grain))\\bpvizpt,y=-\(n(grain))\\bpvizpt,every node/.style={inner sep=0pt,outer sep=0pt}]\n"
        let corner = c(Point(x: 0, y: top)), opposite = c(Point(x: width, y: height))
        body += "\\useasboundingbox \(corner) rectangle \(opposite);\n"
        if let background = theme.colors["background"], !Self.isWhite(background) {
            body += "\\fill[\(colors.name(background))] \(corner) rectangle \(opposite);\n"
        }

        // Edges first, as in the SVG: node boxes cover their ends, label backgrounds their middles.
        let ports = builder.headPorts(diagram.edges, geometry: geometry)
        for edge in diagram.edges {
            guard let tail = geometry.nodes[edge.tail], let head = geometry.nodes[edge.head] else { continue }
            let paint = builder.edgePaint(edge)
            // Arrowheads are solid, as Graphviz draws them: the dash is the line's only.
            let solid = "\(colors.name(paint.color)),line width=\(n(paint.penwidth))\\bpvizpt"
            var style = solid
            // The flow's sign as a dash too, as GraphBuilder draws it (negative dashed, zero dotted).
            if let flow = edge.flow, let dash = GraphBuilder.strokePaint(flow.stroke, theme: theme).style { style += "," + dash }
            // A routed edge (the op graph) follows Graphviz's spline: Bézier pieces of three
            // points each after the first, the arrowhead from the last point to the tip.
            // Other edges are straight, from border to border, as GraphBuilder draws them.
            let path: [Point], tip: Point
            if let route = geometry.edgeRoutes[edge.id], route.points.count >= 4 {
                path = route.points
                tip = route.tip ?? route.points[route.points.count - 1]
            } else {
                // As GraphBuilder draws it: the stroked tip on the border, Graphviz's triangle.
                let arrow = builder.straightArrow(from: tail, to: head, sides: edge.lines.isEmpty, penwidth: paint.penwidth, headAcross: ports[edge.id])
                path = [arrow.start, arrow.base]
                tip = arrow.tip
            }
            body += "\\draw[\(style)] \(c(path[0]))"
            if path.count >= 4 {
                var i = 1
                while i + 2 < path.count {
                    body += " .. controls \(c(path[i])) and \(c(path[i + 1])) .. \(c(path[i + 2]))"
                    i += 3
                }
            } else {
                body += " -- \(c(path[path.count - 1]))"
            }
            body += ";\n"
            // The arrowhead: Graphviz's `normal` triangle on this pen (0.35 of its length to
            // each side, pen/4 times that beyond a pen of 4: Arrowhead).
            let base = path[path.count - 1]
            let ux = tip.x - base.x, uy = tip.y - base.y
            if ux * ux + uy * uy > 1e-6 {
                let t = Arrowhead.triangle(penwidth: paint.penwidth), spread = t.width / 2 / t.length
                let left = Point(x: base.x - uy * spread, y: base.y + ux * spread), right = Point(x: base.x + uy * spread, y: base.y - ux * spread)
                body += "\\filldraw[\(solid),line join=miter] \(c(tip)) -- \(c(left)) -- \(c(right)) -- cycle;\n"
            }
        }

        for node in diagram.nodes {
            guard let box = geometry.nodes[node.id] else { continue }
            let paint = builder.nodePaint(node)
            var style = "fill=\(colors.name(paint.fill)),draw=\(colors.name(paint.border)),line width=\(n(paint.penwidth))\\bpvizpt"
            if paint.style.contains("dashed") { style += ",dash pattern=on \(n(5 / grain))\\bpvizpt off \(n(2 / grain))\\bpvizpt" }
            if paint.style.contains("dotted") { style += ",dash pattern=on \(n(1 / grain))\\bpvizpt off \(n(4 / grain))\\bpvizpt" }
            let half = Point(x: box.size.width / 2, y: box.size.height / 2)
            body += "% \(node.id)\n"
            if node.kind == .operation {
                body += "\\filldraw[\(style)] \(c(box.center)) ellipse [x radius=\(n(half.x / grain)),y radius=\(n(half.y / grain))];\n"
            } else {
                // Graphviz's rounded outline (RoundedBox), which edge ends touch.
                let outline = RoundedBox.outline(center: box.center, size: box.size)
                body += "\\filldraw[\(style)] \(c(outline.start))"
                for piece in outline.pieces {
                    switch piece {
                    case .line(let p): body += " -- \(c(p))"
                    case .curve(let a, let b, let p): body += " .. controls \(c(a)) and \(c(b)) .. \(c(p))"
                    }
                }
                body += " -- cycle;\n"
            }
            // An ellipse holds a box √2 smaller than itself (GraphGeometry sizes it so). A box's
            // text may use half the padding above and below: TeX's scripts stack taller than
            // Graphviz measured them, and the text still stays inside the border.
            let room = node.kind == .operation ? Size(width: (box.size.width - 6) / 1.42, height: (box.size.height - 6) / 1.42)
                : Size(width: box.size.width - 2 * DiagramGeometry.padding, height: box.size.height - DiagramGeometry.padding)
            let text = rows(node.lines, align: node.kind == .loss ? "c" : "l", dimmed: node.emphasis.dimmed, labels: labels, colors: &colors)
            body += "\\node at \(c(box.center)) {\(label(size: theme.fontSize, room: room, text))};\n"
        }

        // Edge labels above every edge and node, on the background colour, as in the SVG.
        let background = colors.name(theme.color("background"))
        for edge in diagram.edges where !edge.lines.isEmpty {
            guard let center = geometry.edgeLabels[edge.id], let room = geometry.edgeLabelSizes[edge.id] else { continue }
            let text = rows(edge.lines, align: "l", dimmed: edge.emphasis.dimmed, labels: labels, colors: &colors)
            body += "\\node[fill=\(background)] at \(c(center)) {\(label(size: theme.edgeLabelSize, room: room, text))};\n"
        }

        let header = colors.name(theme.color("header"))
        for (i, text) in diagram.headers.enumerated() where i < geometry.headers.count {
            let box = geometry.headers[i]
            body += "\\node at \(c(box.center)) {\(label(size: theme.fontSize, room: box.size, "\\bpvizl{\(header)}{\(LaTeX.math(text))}"))};\n"
        }
        if options.title, let title = diagram.title, let box = geometry.title {
            let text = "\\color{\(colors.name(theme.color("text")))}\\bfseries " + Self.text(title)
            body += "\\node at \(c(box.center)) {\(label(size: theme.titleSize, room: box.size, text))};\n"
        }
        if options.caption, !diagram.caption.isEmpty, let box = geometry.caption {
            let lines = diagram.caption.map { Line($0.text, role: $0.role == .title ? .title : .value, hidden: $0.hidden) }
            let text = rows(lines, align: "c", dimmed: false, labels: labels, colors: &colors)
            body += "\\node at \(c(box.center)) {\(label(size: theme.captionSize, room: box.size, text))};\n"
        }
        if let legend = diagram.legend, let box = geometry.legend {
            let half = Point(x: box.size.width / 2, y: box.size.height / 2)
            body += "\\filldraw[fill=\(background),draw=\(colors.name(theme.color("dimmed"))),line width=\(n(1 / grain))\\bpvizpt] "
                + "\(c(Point(x: box.center.x - half.x, y: box.center.y - half.y))) rectangle \(c(Point(x: box.center.x + half.x, y: box.center.y + half.y)));\n"
            let room = Size(width: box.size.width - 8, height: box.size.height - 8)
            body += "\\node at \(c(box.center)) {\(label(size: theme.edgeLabelSize, room: room, legendRows(legend, colors: &colors)))};\n"
        }
        body += "\\end{tikzpicture}"

        // The scale: at most 1 (the layout's points are PostScript points, TeX's bp), and
        // small enough to fit \bpvizwidth × \bpvizheight. The extents are rounded up and
        // given a thousandth to spare: a picture bound by \textheight came out 0.005pt taller
        // (a divisor rounded down, and pgfmath's five digits) and went to the next page,
        // leaving a blank one.
        var out = "% bpviz: \(Self.comment(diagram.title.map(\.plain) ?? "diagram")). Needs \\usepackage{tikz}; \\input where the figure goes.\n"
        out += "% At most \\linewidth wide and \\textheight tall; \\def\\bpvizwidth{8cm} or \\def\\bpvizheight{5cm} before \\input for other bounds.\n"
        out += "\\begingroup%\n"
        out += colors.definitions()
        out += Self.macros
        func extent(_ points: Double) -> String { n((points / grain * 1.00375 * 1.001 * 100).rounded(.up) / 100) }
        out += "\\pgfmathsetmacro\\bpvizscale{min(1,(\\bpvizwidth)/\(extent(width))/\(n(grain)),(\\bpvizheight)/\(extent(height - top))/\(n(grain)))}%\n"
        out += "\\bpvizpt=\\bpvizscale bp%\n"
        out += body
        out += "%\n\\endgroup%\n"
        return out
    }

    /// A whole LaTeX document around the picture, its page the picture's size, that compiles
    /// with pdflatex and the packages of a basic TeX installation (tikz, geometry).
    public func standalone(_ diagram: Diagram, layout: DiagramRenderer.Layout) -> String {
        let geometry = layout.geometry
        // TeX's dimensions end at 16384 pt: a larger picture is scaled down to fit the page.
        let scale = min(1, 14_000 / max(geometry.width, geometry.height, 1))
        return """
        \\documentclass{article}
        \\usepackage{tikz}
        \\usepackage[papersize={\(n(geometry.width * scale))bp,\(n(geometry.height * scale))bp},margin=0pt]{geometry}
        \\pagestyle{empty}
        \\begin{document}%
        \\noindent\\def\\bpvizwidth{\\paperwidth}\\def\\bpvizheight{\\paperheight}%

        """ + picture(diagram, layout: layout) + "\\end{document}\n"
    }

    // MARK: - Labels

    func label(size: Double, room: Size, _ text: String) -> String {
        "\\bpvizlabel{\(n(size))}{\(n(max(room.width, 1)))}{\(n(max(room.height, 1)))}{\(text)}"
    }

    /// A stack of label lines, each in its role's colour; the title line bold, notes small.
    func rows(_ lines: [Line], align: String, dimmed: Bool, labels: LabelBuilder, colors: inout TikZColors) -> String {
        let body = lines.map { line -> String in
            let color = colors.name(dimmed ? theme.color("dimmed") : labels.color(for: line))
            let macro = line.role == .title ? "\\bpvizb" : (line.role == .note ? "\\bpvizs" : "\\bpvizl")
            return "\(macro){\(color)}{\(LaTeX.math(line.text))}"
        }.joined(separator: "\\\\")
        return "\\bpvizrows{\(align)}{\(body.isEmpty ? "~" : body)}"
    }

    /// The flow and layers views' key, as LegendBuilder draws it for Graphviz: a sample of each
    /// stroke (colour and dash) and what it means, in the file's notation, then the notes.
    func legendRows(_ legend: Legend, colors: inout TikZColors) -> String {
        let text = colors.name(theme.color("text"))
        var rows: [String] = []
        for key in legend.keys {
            let paint = GraphBuilder.strokePaint(key.stroke, theme: theme)
            // Rules, not a nested picture: dashes and dots are short rules with gaps.
            let (piece, gap, count) = switch paint.style { case "dashed": (0.5, 0.25, 3); case "dotted": (0.15, 0.2, 6); default: (2.0, 0.0, 1) }
            let rule = "\\rule[0.5ex]{\(n(piece))em}{1.5pt}"
            // A size: a thin bar beside a thick one, as the edges' widths (LegendBuilder.sample).
            let pieces = key.stroke == .magnitude ? "\\rule[0.5ex]{0.7em}{0.5pt}\\hspace{0.35em}\\rule[0.38ex]{0.95em}{2.5pt}"
                : Array(repeating: rule, count: count).joined(separator: "\\hspace{\(n(gap))em}")
            let sample = "\\textcolor{\(colors.name(paint.color))}{" + pieces + "}"
            rows.append(sample + "&\\bpvizl{\(text)}{\(LaTeX.math(key.text))}")
        }
        for entry in legend.entries {
            rows.append((entry.swatch.map { swatch($0, colors: &colors) } ?? "") + "&\\bpvizl{\(text)}{\(LaTeX.math(entry.text))}")
        }
        return "\\bpvizrows{l@{\\ }l}{\(rows.joined(separator: "\\\\"))}"
    }

    /// An entry's swatch in rules, as the SVG's legend paints it (LegendBuilder.swatch): the
    /// shading from no gradient to the largest in three squares, or a small node with the
    /// health's fill and border — dashed top and bottom when the node's border is dashed.
    func swatch(_ swatch: Legend.Entry.Swatch, colors: inout TikZColors) -> String {
        let painter = GraphBuilder(theme: theme)
        func rule(_ color: String, _ width: String, _ height: String) -> String {
            "\\textcolor{\(colors.name(color))}{\\rule{\(width)}{\(height)}}"
        }
        /// Three rows stacked with no space between them, the box's bottom a little under the
        /// text's baseline, as the stroke samples sit.
        func stack(_ rows: [String]) -> String {
            "\\raisebox{-0.1em}{\\vbox{" + rows.map { "\\hbox{\($0)}" }.joined(separator: "\\nointerlineskip") + "}}"
        }
        let side = "0.4pt", height = "0.7em", body = "\\dimexpr2em-0.8pt\\relax"
        switch swatch {
        case .shading:
            let border = theme.color("node_border")
            let squares = [0.0, 0.5, 1.0].map { rule(painter.shadeFill($0), "\\dimexpr0.667em-0.267pt\\relax", height) }.joined()
            return stack([rule(border, "2em", side), rule(border, side, height) + squares + rule(border, side, height), rule(border, "2em", side)])
        case .node(let health):
            var unit = DiagramNode(id: NodeID("legend_swatch"), kind: .neuron, column: 0, row: 0, lines: [], tooltip: "")
            unit.health = health
            let paint = painter.nodePaint(unit)
            let edge = paint.style.split(separator: ",").contains("dashed")
                ? Array(repeating: rule(paint.border, "0.35em", side), count: 4).joined(separator: "\\hspace{0.2em}")
                : rule(paint.border, "2em", side)
            return stack([edge, rule(paint.border, side, height) + rule(paint.fill, body, height) + rule(paint.border, side, height), edge])
        }
    }

    /// A title: the network's name is the user's text, set as text; anything with scripts as math.
    static func text(_ m: MathText) -> String {
        m.spans.allSatisfy({ $0.position == .base }) ? LaTeX.text(m.spans.map(\.text).joined()) : "$" + LaTeX.math(m) + "$"
    }

    /// User text inside a TeX comment: one line, nothing else.
    static func comment(_ s: String) -> String {
        String(s.map { $0.isNewline || $0.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) ? " " : $0 }.prefix(80))
    }

    static func isWhite(_ color: String) -> Bool {
        let c = color.lowercased()
        return c == "#ffffff" || c == "#ffffffff" || c == "white"
    }
}
