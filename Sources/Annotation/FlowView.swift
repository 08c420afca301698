import NetworkModel

extension View {
    /// Gradient magnitude and sign as edge width and colour, node shading, unhealthy units.
    public static let flow = View(name: "flow", summary: "gradient magnitude and sign as edge width and colour") { _, solution, options in
        FlowAnnotator(annotator: Annotator(solution: solution, format: options.format), options: options.flow).diagram()
    }

    /// One node per layer with its gradient statistics; edges carry ‖∂Loss/∂W^(L)‖.
    public static let layers = View(name: "layers", summary: "one node per layer with its gradient statistics") { _, solution, options in
        LayerSummary(annotator: Annotator(solution: solution, format: options.format)).diagram()
    }
}
