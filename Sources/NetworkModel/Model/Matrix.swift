/// A dense row-major matrix of doubles. Weights use it with one row per unit of the layer
/// before (j) and one column per unit of this layer (k), so `w[j, k]` is w_(j+1)(k+1).
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    public init(_ nested: [[Double]]) {
        rows = nested.count
        columns = nested.first?.count ?? 0
        storage = nested.flatMap { $0 }
        precondition(storage.count == rows * columns, "ragged matrix")
    }

    @inline(__always)
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public var nested: [[Double]] {
        (0..<rows).map { r in Array(storage[(r * columns)..<((r + 1) * columns)]) }
    }
}
