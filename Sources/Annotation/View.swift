/// What a diagram shows (SPEC.md, "What every diagram shows").
public enum View: String, CaseIterable, Sendable {
    /// Inputs, Z, H and b on nodes, w on edges, the loss with Y.
    case forward
    /// ∂Loss/∂· on every node and edge.
    case backward
    /// Both.
    case full
    /// Gradient magnitude and sign as edge width and colour, node shading, unhealthy units.
    case flow
    /// One node per layer with its gradient statistics; edges carry ‖∂Loss/∂W^(L)‖.
    case layers

    /// Views with a label on every weight, whose size grows with the number of weights.
    public var labelsEveryWeight: Bool { self == .forward || self == .backward || self == .full }

    var showsForward: Bool { self == .forward || self == .full }
    var showsBackward: Bool { self == .backward || self == .full }
}
