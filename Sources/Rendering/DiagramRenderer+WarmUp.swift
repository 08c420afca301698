import Graphviz

extension DiagramRenderer {
    /// Starts Pango on a second thread for the fonts of the theme `theme` gives, when the
    /// process will need it (a cold run: see `GraphvizEngine.warmUpTextLayout`), so its
    /// start-up overlaps reading and solving the network and building the labels. `theme`
    /// is called only in a cold run, on that thread, once it has loaded Pango. Call it first
    /// thing; before exiting without a render, call `GraphvizEngine.finishTextLayoutWarmUp()`.
    public static func warmUpTextLayout(theme: @escaping @Sendable () -> Theme?) {
        GraphvizEngine.warmUpTextLayout { theme().map(labelFonts) ?? [] }
    }

    /// The fonts labels ask Pango for, those of every labelled view first: a warm-up that
    /// gets ahead of the render loads the fonts it will need before those it may not. First
    /// the node lines' size in the plain and bold faces, their scripts' size in those and the
    /// sub- and superscript faces, plain and bold (LabelBuilder), the edge labels' size and their scripts'
    /// in the plain face, and the title's in bold (GraphBuilder); then each kind of label's
    /// size (those, a deck's captions; the legend, measured at `LegendBuilder.browserScale`
    /// times its size) in every face. Graphviz reads an HTML label's POINT-SIZE as a whole
    /// number. A font no label uses costs only time on the warm-up's thread, and a font
    /// missing here only what it cost before.
    static func labelFonts(_ theme: Theme) -> [(face: String, size: Double)] {
        let family = theme.fontFamily
        let bold = family + LabelBuilder.boldFace
        let scripts = [family, bold, family + LabelBuilder.subFace, family + LabelBuilder.supFace,
                       family + LabelBuilder.subFace + LabelBuilder.boldFace, family + LabelBuilder.supFace + LabelBuilder.boldFace]
        var fonts: [(face: String, size: Double)] = []
        var seen: Set<String> = []
        func add(_ face: String, _ size: Double) {
            let points = size.rounded(.towardZero)
            if seen.insert("\(face)@\(points)").inserted { fonts.append((face, points)) }
        }
        func small(_ size: Double) -> Double { (size * 0.72).rounded() }
        add(family, theme.fontSize)
        add(bold, theme.fontSize)
        for face in scripts { add(face, small(theme.fontSize)) }
        add(family, theme.edgeLabelSize)
        add(family, small(theme.edgeLabelSize))
        add(bold, theme.titleSize)
        let legend = LegendBuilder.browserScale
        for (size, magnified) in [(theme.fontSize, 1), (theme.edgeLabelSize, 1), (theme.titleSize, 1), (theme.captionSize, 1), (theme.edgeLabelSize, legend)] {
            for face in [family, bold] { add(face, size * magnified) }
            for face in scripts { add(face, small(size) * magnified) }
        }
        return fonts
    }
}
