import Annotation
import ArgumentParser
import Foundation
import NetworkModel
import Rendering

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render one diagram of the network (DOT, SVG, PNG, PDF, laid-out JSON or a TikZ picture).")

    @Argument(help: "The network file (YAML or JSON).") var network: String
    @Option(name: .shortAndLong, help: "Output file; `-` for stdout. Default: the network's name with the format's extension.")
    var output: String?
    @Option(help: "dot, svg, png, pdf, json (Graphviz's laid-out JSON) or tikz (LaTeX, .tex). Default: from the output's extension, else svg.")
    var format: DiagramRenderer.Format?
    @Flag(help: "With tikz: a whole LaTeX document that compiles on its own, instead of a picture to \\input.")
    var standalone = false
    @Option(help: ArgumentHelp("What the diagram shows.", discussion: View.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n")))
    var view: View = .full
    @OptionGroup var style: StyleOptions
    @OptionGroup var flowOptions: FlowOptions

    func run() throws {
        try reportingFailures {
            let format = try resolvedFormat()
            if standalone && format != .tikz { throw UsageFailure("--standalone is for --format tikz; expected --format tikz or a .tex output") }
            // Before any work: a usage mistake, said in one line with the usage status (64).
            if let refusal = Self.terminalRefusal(format: format, output: output, stdoutIsTerminal: isatty(STDOUT_FILENO) != 0) {
                printError(refusal)
                throw ExitCode.validationFailure
            }
            let theme = try style.resolvedTheme()
            let (_, solution) = try loadSolved(network, learningRate: style.learningRate, sample: style.sample, maxParameters: style.maxParameters)
            let diagram = try style.diagram(solution: solution, view: view, flow: flowOptions)
            var renderer = DiagramRenderer(theme: theme)
            if style.verbose {
                renderer.onWarnings = { warnings in
                    for w in warnings { printError("Graphviz warning: \(w)") }
                }
            }
            let path = output ?? defaultOutput(format)
            let dpi = try style.validatedDPI()
            let data: Data
            if standalone {
                data = Data(TikZWriter(theme: theme).standalone(diagram, layout: try renderer.layout(diagram)).utf8)
            } else if format == .png, let dpi {
                // A resolution asked for and not given is said: the PNG is smaller than asked.
                let layout = try renderer.layout(diagram)
                if let drawn = renderer.smallerPNGDPI(dpi, layout) { printError(smallerDPINote(path + " is", drawn: drawn, asked: dpi)) }
                data = try renderer.render(diagram, format: format, layout: layout, dpi: dpi)
            } else {
                data = try renderer.render(diagram, format: format, dpi: dpi)
            }
            try writeAtomically(data, to: path)
        }
    }

    /// A PNG or PDF written to a terminal (`-o -` without a redirect) is not a picture but
    /// hundreds of escape bytes the terminal acts on: refused. Text formats (svg, dot, json,
    /// tikz) may be read there; a pipe or a file takes anything.
    static func terminalRefusal(format: DiagramRenderer.Format, output: String?, stdoutIsTerminal: Bool) -> String? {
        guard output == "-", stdoutIsTerminal, format == .png || format == .pdf else { return nil }
        let name = format.rawValue.uppercased()
        return "refusing to write a \(name) to the terminal; expected -o FILE or a redirect (-o - > out.\(format.rawValue))"
    }

    func resolvedFormat() throws -> DiagramRenderer.Format {
        if let format { return format }
        guard let output, output != "-" else { return .svg }
        let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
        guard let format = ext == "tex" ? .tikz : DiagramRenderer.Format(rawValue: ext) else {
            throw UsageFailure("\(output): cannot tell the format from the extension `.\(ext)`; expected .dot, .svg, .png, .pdf, .json or .tex, or --format")
        }
        return format
    }

    func defaultOutput(_ format: DiagramRenderer.Format) -> String {
        URL(fileURLWithPath: network).deletingPathExtension().lastPathComponent + "-\(view.rawValue).\(format == .tikz ? "tex" : format.rawValue)"
    }
}
