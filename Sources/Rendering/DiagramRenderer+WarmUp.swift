import Graphviz

extension DiagramRenderer {
    /// Starts Pango on a second thread for the fonts of the theme `theme` gives, when the
    /// process will need it (a cold run: see `GraphvizEngine.warmUpTextLayout`), so its
    /// start-up overlaps reading and solving the network and building the labels. `theme`
    /// is called only in a cold run, while the thread loads Pango. Call it first thing; before
    /// exiting without a render, call `GraphvizEngine.finishTextLayoutWarmUp()`.
    public static func warmUpTextLayout(theme: () -> Theme?) {
        GraphvizEngine.warmUpTextLayout { theme().map(labelFonts) ?? [] }
    }

    /// The fonts labels ask Pango for, most used first: each kind of label's size (node
    /// lines and headers, edge labels, the title, a deck's captions: see GraphBuilder; the
    /// legend, measured at `LegendBuilder.browserScale` times its size) in the plain and bold
    /// faces, and its scripts' size in those and the sub- and superscript faces
    /// (LabelBuilder). Graphviz reads an HTML label's POINT-SIZE as a whole number. A font no
    /// label uses costs only time on the warm-up's thread, and a font missing here only what
    /// it cost before.
    static func labelFonts(_ theme: Theme) -> [(face: String, size: Double)] {
        let family = theme.fontFamily
        var fonts: [(face: String, size: Double)] = []
        var seen: Set<String> = []
        func add(_ face: String, _ size: Double) {
            let points = size.rounded(.towardZero)
            if seen.insert("\(face)@\(points)").inserted { fonts.append((face, points)) }
        }
        let legend = LegendBuilder.browserScale
        for (size, magnified) in [(theme.fontSize, 1), (theme.edgeLabelSize, 1), (theme.titleSize, 1), (theme.captionSize, 1), (theme.edgeLabelSize, legend)] {
            let small = (size * 0.72).rounded()
            for face in [family, family + LabelBuilder.boldFace] { add(face, size * magnified) }
            for face in [family, family + LabelBuilder.boldFace, family + LabelBuilder.subFace, family + LabelBuilder.supFace] {
                add(face, small * magnified)
            }
        }
        return fonts
    }
}
