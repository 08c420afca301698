import NetworkModel

extension View {
    /// Gradient magnitude and sign as edge width and colour, node shading, unhealthy units.
    public static let flow = View(name: "flow", summary: "gradient magnitude and sign as edge width and colour") { _, solution, options in
        try ViewError.checkFlowSize(solution.network, options: options)
        return FlowAnnotator(annotator: Annotator(solution: solution, format: options.format), options: options.flow).diagram()
    }

    /// One node per layer with its gradient statistics; edges carry ‖∂Loss/∂W^(L)‖.
    public static let layers = View(name: "layers", summary: "one node per layer with its gradient statistics") { _, solution, options in
        LayerSummary(annotator: Annotator(solution: solution, format: options.format)).diagram()
    }
}

extension ViewError {
    /// The flow view folds wide layers to `maxUnits` rows, but a deep network still draws
    /// up to maxUnits² edges per layer: 1,000 layers would be 256,000 edges for Graphviz.
    static func checkFlowSize(_ network: Network, options: ViewOptions) throws {
        let rows = network.widths.map { min($0, options.flow.maxUnits) }
        let edges = zip(rows, rows.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        guard edges <= options.maxEdges else {
            throw ViewError("the flow view of a \(network.shape) network would draw \(edges) edges; expected at most \(options.maxEdges) (lower --max-units, or raise --max-edges)")
        }
    }
}
