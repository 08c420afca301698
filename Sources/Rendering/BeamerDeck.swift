import Annotation
import Foundation
import Synchronization

/// A slide deck as LaTeX Beamer: `deck.tex`, one frame per frame of the SVG deck in the same
/// order, each `\input`ting its picture (`NNN-name.tex`, the SVG frame's name) — the frame's
/// highlighting and values on the deck's one layout — above its caption set as display math.
/// `pdflatex deck.tex` gives one page per frame, with Debian's texlive-latex-base,
/// texlive-latex-recommended and texlive-pictures.
struct BeamerDeck {
    let writer: TikZWriter

    init(theme: Theme) { writer = TikZWriter(theme: theme) }

    /// The files of the deck: each frame's picture, then `deck.tex`.
    func files(_ deck: SlideDeck, title: String, layout: DiagramRenderer.Layout) -> [(name: String, text: String)] {
        var files: [(name: String, text: String)] = []
        var document = Self.preamble(title: title)
        let options = TikZWriter.Options(caption: false, title: false)
        // Each picture is pure computation on immutable data: use every core, as the SVG deck
        // does for its frames. Each is stored in its own slot; the files keep the frames' order.
        let frames = deck.frames, writer = self.writer
        let pictures = Mutex([String](repeating: "", count: frames.count))
        DispatchQueue.concurrentPerform(iterations: frames.count) { i in
            let picture = writer.picture(frames[i].diagram, layout: layout, options: options)
            pictures.withLock { $0[i] = picture }
        }
        let drawn = pictures.withLock { $0 }
        for (frame, picture) in zip(frames, drawn) {
            let file = frame.name + ".tex"
            files.append((file, picture))
            document += "\n\\begin{frame}[t]{\(LaTeX.inline(MathText(unicode: frame.title)))}\n"
            document += "\\bpvizcaption{%\n"
            document += frame.diagram.caption.map { line in
                (line.role == .title ? "\\bpvizcaptionbold{" : "\\bpvizcaptionline{") + LaTeX.math(line.text) + "}"
            }.joined(separator: "\\\\\n")
            document += "}%\n\\bpvizpicture{\(file)}\n\\end{frame}\n"
        }
        document += "\n\\end{document}\n"
        files.append(("deck.tex", document))
        return files
    }

    /// The class, packages and the three macros every frame uses: `\bpvizcaption` sets the
    /// caption lines as one display (each line shrunk to the text width if it is wider),
    /// `\bpvizpicture` inputs a picture in the height the caption leaves.
    static func preamble(title: String) -> String {
        #"""
        % bpviz: a Beamer deck. Compile with `pdflatex deck.tex`: one page per frame.
        \documentclass[aspectratio=169]{beamer}
        \usepackage{amsmath}
        \usepackage{tikz}
        \usefonttheme{serif}
        \setbeamertemplate{navigation symbols}{}
        \setbeamersize{text margin left=4mm,text margin right=4mm}
        \title{\#(LaTeX.text(title))}
        \newsavebox\bpvizcaptionbox
        \newcommand\bpvizcaptionline[1]{\sbox0{$\displaystyle #1$}\ifdim\wd0>\linewidth\resizebox{\linewidth}{!}{\usebox0}\else\usebox0\fi}
        \newcommand\bpvizcaptionbold[1]{\sbox0{\boldmath$\displaystyle #1$}\ifdim\wd0>\linewidth\resizebox{\linewidth}{!}{\usebox0}\else\usebox0\fi}
        \newcommand\bpvizcaption[1]{\sbox\bpvizcaptionbox{\begin{minipage}{\linewidth}\vspace{-\abovedisplayskip}\[\begin{gathered}#1\end{gathered}\]\end{minipage}}}
        \newcommand\bpvizpicture[1]{{\dimen0=\textheight\advance\dimen0 by -\ht\bpvizcaptionbox\advance\dimen0 by -\dp\bpvizcaptionbox
          \advance\dimen0 by -2.2cm\edef\bpvizheight{\the\dimen0}\def\bpvizwidth{\linewidth}%
          \begin{center}\input{#1}\end{center}}\vfill\usebox\bpvizcaptionbox}
        \begin{document}

        """#
    }
}
