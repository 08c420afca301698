/// The inner loops of the forward and backward pass, on raw buffers: the checked,
/// uniqueness-tested subscripts cost more than the arithmetic in a training loop.
///
/// Every value is computed with the same operations in the same order as the plain loops
/// (z_k = b_k + h_1 w_1k + h_2 w_2k + …, left to right; dH_j = w_j1 dz_1 + w_j2 dz_2 + …),
/// so results are the same bits. What changes is the schedule: four rows per sweep, so that a
/// forward sweep loads and stores z_k once for four terms, and a backward dot product's
/// additions, each waiting for the one before, run four chains side by side.
enum PassKernels {
    /// Z = H·W + b for one layer. Rows with h_j = 0 are skipped, as they always were: their
    /// terms are zeros, and skipping keeps 0·∞ from making a NaN and a zero's sign unchanged.
    static func affine(_ h: [Double], _ w: Matrix, bias: [Double]) -> [Double] {
        var z = bias
        let columns = w.columns
        var rows: [Int] = []
        rows.reserveCapacity(w.rows)
        for j in 0..<w.rows where h[j] != 0 { rows.append(j) }
        z.withUnsafeMutableBufferPointer { zp in
            w.storage.withUnsafeBufferPointer { wp in
                var r = 0
                while r + 4 <= rows.count {
                    let h0 = h[rows[r]], h1 = h[rows[r + 1]], h2 = h[rows[r + 2]], h3 = h[rows[r + 3]]
                    let w0 = wp.baseAddress! + rows[r] * columns, w1 = wp.baseAddress! + rows[r + 1] * columns
                    let w2 = wp.baseAddress! + rows[r + 2] * columns, w3 = wp.baseAddress! + rows[r + 3] * columns
                    for k in 0..<columns {
                        var s = zp[k]
                        s += h0 * w0[k]
                        s += h1 * w1[k]
                        s += h2 * w2[k]
                        s += h3 * w3[k]
                        zp[k] = s
                    }
                    r += 4
                }
                while r < rows.count {
                    let hj = h[rows[r]]
                    let wj = wp.baseAddress! + rows[r] * columns
                    for k in 0..<columns { zp[k] += hj * wj[k] }
                    r += 1
                }
            }
        }
        return z
    }

    /// dH_j = Σ_k w_jk dz_k for every row j, each sum from k = 1 up.
    static func backward(_ w: Matrix, _ dz: [Double]) -> [Double] {
        let rows = w.rows, columns = w.columns
        return [Double](unsafeUninitializedCapacity: rows) { back, count in
            w.storage.withUnsafeBufferPointer { wp in
                dz.withUnsafeBufferPointer { d in
                    var j = 0
                    while j + 4 <= rows {
                        let w0 = wp.baseAddress! + j * columns, w1 = w0 + columns, w2 = w1 + columns, w3 = w2 + columns
                        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
                        for k in 0..<columns {
                            let dk = d[k]
                            a0 += w0[k] * dk
                            a1 += w1[k] * dk
                            a2 += w2[k] * dk
                            a3 += w3[k] * dk
                        }
                        back[j] = a0; back[j + 1] = a1; back[j + 2] = a2; back[j + 3] = a3
                        j += 4
                    }
                    while j < rows {
                        let wj = wp.baseAddress! + j * columns
                        var a = 0.0
                        for k in 0..<columns { a += wj[k] * d[k] }
                        back[j] = a
                        j += 1
                    }
                }
            }
            count = rows
        }
    }

    /// ∂Loss/∂W of one example: g_jk = h_j · dz_k.
    static func gradient(_ h: [Double], _ dz: [Double]) -> Matrix {
        let rows = h.count, columns = dz.count
        let storage = [Double](unsafeUninitializedCapacity: rows * columns) { g, count in
            dz.withUnsafeBufferPointer { d in
                for j in 0..<rows {
                    let hj = h[j], base = j * columns
                    for k in 0..<columns { g[base + k] = hj * d[k] }
                }
            }
            count = rows * columns
        }
        return try! Matrix(rows: rows, columns: columns, storage: storage)
    }

    /// A batch's ∂Loss/∂W gathered without a matrix per example: acc_jk += weight · (h_j · dz_k),
    /// the very product and sum the per-example path makes.
    static func accumulateGradient(_ acc: inout Matrix, weight: Double, _ h: [Double], _ dz: [Double]) {
        let rows = h.count, columns = dz.count
        acc.storage.withUnsafeMutableBufferPointer { a in
            dz.withUnsafeBufferPointer { d in
                for j in 0..<rows {
                    let hj = h[j], row = a.baseAddress! + j * columns
                    for k in 0..<columns { row[k] += weight * (hj * d[k]) }
                }
            }
        }
    }
}
