import NetworkModel

/// What a diagram shows, as one value: its name, what it is for, and how a solved network
/// becomes its diagram (with the geometry the diagram declares). Every caller — the CLI, the
/// tests, the benchmarks — asks a view for its diagram and never switches over views, so a new
/// view is one new file (`extension View { public static let … }`) plus its name in `allCases`.
public struct View: Sendable, Hashable, CaseIterable, RawRepresentable, CustomStringConvertible {
    /// The view's name: `forward`, `backward`, `full`, `flow`, `layers` or `ops`.
    public let rawValue: String
    /// One line for `--help`.
    public let summary: String
    /// What a unit view labels: forward values, gradients, or both; nil for other views.
    let unitLabels: UnitLabels?
    let build: @Sendable (View, Solution, ViewOptions) throws -> Diagram

    struct UnitLabels: Sendable {
        var forward: Bool
        var backward: Bool
    }

    init(name: String, summary: String, unitLabels: UnitLabels? = nil,
         build: @escaping @Sendable (View, Solution, ViewOptions) throws -> Diagram) {
        rawValue = name
        self.summary = summary
        self.unitLabels = unitLabels
        self.build = build
    }

    /// The view with this name; nil for an unknown name.
    public init?(rawValue: String) {
        guard let view = View.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = view
    }

    /// Every view, in the order `--help` lists them.
    public static let allCases: [View] = [.forward, .backward, .full, .flow, .layers, .ops]

    /// The diagram of a solved network in this view. Throws `ViewError` when the network is
    /// too large for the view (see the limits in `ViewOptions`).
    public func diagram(_ solution: Solution, options: ViewOptions = ViewOptions()) throws -> Diagram {
        try build(self, solution, options)
    }

    /// Views with a label on every weight, whose size grows with the number of weights.
    var labelsEveryWeight: Bool { unitLabels != nil }

    var showsForward: Bool { unitLabels?.forward ?? false }
    var showsBackward: Bool { unitLabels?.backward ?? false }

    /// The view's name.
    public var description: String { rawValue }
    public static func == (a: View, b: View) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
}

/// What a caller may set about a view's diagram.
public struct ViewOptions: Sendable {
    /// How labels print numbers.
    public var format: NumberFormat
    /// With a learning rate: also show w′ and b′ after one gradient-descent step.
    public var showUpdate: Bool
    /// The flow view's options (its scale, numbers, folding and thresholds).
    public var flow: FlowAnnotator.Options
    /// Labelled unit views refuse networks with more weights than this.
    public var maxEdges: Int
    /// The ops view refuses graphs with more operations than this.
    public var maxOps: Int

    /// Options; the limits default to 10,000 labelled weights and 400 operations.
    public init(format: NumberFormat = NumberFormat(), showUpdate: Bool = false, flow: FlowAnnotator.Options = .init(),
                maxEdges: Int = 10_000, maxOps: Int = 400) {
        self.format = format
        self.showUpdate = showUpdate
        self.flow = flow
        self.maxEdges = maxEdges
        self.maxOps = maxOps
    }
}

/// A view that cannot draw this network, in one sentence that says what to do instead.
public struct ViewError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is too large and what to do instead.
    public var description: String
    /// An error with this sentence.
    public init(_ description: String) { self.description = description }

    /// Every weight of a labelled view gets a label that must not overlap the others, so the
    /// picture (and the time to draw it) grows with the number of weights.
    public static func checkLabelledSize(_ network: Network, maxEdges: Int, what: String,
                                         hint: String = "use --view flow, which folds wide layers, or raise --max-edges") throws {
        let weights = network.weightCount
        guard weights <= maxEdges else {
            throw ViewError("\(what) of a \(network.shape) network would label \(weights) weights; expected at most \(maxEdges) (\(hint))")
        }
    }
}

// MARK: - The unit views: layers as columns, units as rows (Annotator)

extension View {
    static func unitView(_ name: String, _ summary: String, forward: Bool, backward: Bool) -> View {
        View(name: name, summary: summary, unitLabels: UnitLabels(forward: forward, backward: backward)) { view, solution, options in
            try ViewError.checkLabelledSize(solution.network, maxEdges: options.maxEdges, what: "the \(name) view")
            return Annotator(solution: solution, format: options.format).diagram(view: view, showUpdate: options.showUpdate)
        }
    }

    /// Inputs, Z, H and b on nodes, w on edges, the loss with Y.
    public static let forward = unitView("forward", "inputs, Z, H and b on nodes, w on edges", forward: true, backward: false)
    /// ∂Loss/∂· on every node and edge.
    public static let backward = unitView("backward", "∂Loss/∂· on every node and edge", forward: false, backward: true)
    /// Both.
    public static let full = unitView("full", "forward values and gradients", forward: true, backward: true)
}
