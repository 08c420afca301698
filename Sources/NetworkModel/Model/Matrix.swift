/// A dense row-major matrix of doubles. Weights use it with one row per unit of the layer
/// before (j) and one column per unit of this layer (k), so `w[j, k]` is w_(j+1)(k+1).
/// The shape is fixed at creation; `storage` always holds `rows × columns` values.
public struct Matrix: Equatable, Sendable {
    /// The number of rows (for weights: units of the layer before, j).
    public let rows: Int
    /// The number of columns (for weights: units of this layer, k).
    public let columns: Int
    /// Writable inside the module (the backward pass and the initialisers fill it in place),
    /// never resizable from outside, so the shape cannot disagree with the values.
    public internal(set) var storage: [Double]

    /// A `rows × columns` matrix with every entry `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "a matrix shape is never negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from its values in row-major order; throws when their number is not rows × columns.
    public init(rows: Int, columns: Int, storage: [Double]) throws {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw NetworkError(.matrix, "a \(rows) × \(columns) matrix needs \(max(0, rows) * max(0, columns)) values, got \(storage.count)")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from its rows; throws when the rows differ in length.
    public init(_ nested: [[Double]]) throws {
        let columns = nested.first?.count ?? 0
        if let ragged = nested.firstIndex(where: { $0.count != columns }) {
            throw NetworkError(.matrix, "row \(ragged + 1) of the matrix has \(nested[ragged].count) values; expected \(columns), as row 1")
        }
        try self.init(rows: nested.count, columns: columns, storage: nested.flatMap { $0 })
    }

    /// The entry at 0-based `row` and `column`: `weights[j-1, k-1]` is w_jk.
    @inline(__always)
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The rows as arrays, as JSON writes a matrix.
    public var nested: [[Double]] {
        (0..<rows).map { r in Array(storage[(r * columns)..<((r + 1) * columns)]) }
    }
}
