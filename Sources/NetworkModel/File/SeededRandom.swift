/// The generator behind `weights: { init: …, seed: N }`, chosen so the same seed gives the
/// same weights on every platform and every Swift version:
///
/// - SplitMix64 (Steele, Lea & Flood 2014) for the bits: integer arithmetic only.
/// - Uniform doubles from the top 53 bits: `(x >> 11) · 2⁻⁵³`, in [0, 1).
/// - Normal doubles by Marsaglia's polar method, with a logarithm written here in plain IEEE
///   arithmetic, because the C library's `log` may differ in the last bit between platforms.
///
/// Layer L's stream starts from `seed &+ L &* 0x9E3779B97F4A7C15`, so layers that share a seed
/// still get different weights.
package struct SeededRandom: Sendable {
    private var state: UInt64
    private var spareNormal: Double?

    package init(seed: UInt64) { state = seed }

    package mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    package mutating func nextUnit() -> Double {
        Double(nextUInt64() >> 11) * 0x1p-53
    }

    package mutating func nextUniform(low: Double, high: Double) -> Double {
        let u = nextUnit()
        let span = high - low
        // high − low overflows for bounds near ±1.8e308; the weighted mean of the bounds does not.
        return span.isFinite ? low + span * u : low * (1 - u) + high * u
    }

    /// Standard normal, mean 0 and standard deviation 1.
    package mutating func nextNormal() -> Double {
        if let spare = spareNormal { spareNormal = nil; return spare }
        while true {
            let u = 2 * nextUnit() - 1
            let v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * SeededRandom.portableLog(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }

    /// Natural logarithm for x in (0, 1], from basic IEEE operations only (square root is
    /// correctly rounded by IEEE 754, so it is portable too). x = m·2^e with m in [√½, √2);
    /// ln m = 2·atanh(s), s = (m−1)/(m+1), |s| < 0.172, summed until the terms vanish.
    package static func portableLog(_ x: Double) -> Double {
        var m = x.significand          // in [1, 2)
        var e = Double(x.exponent)
        if m > 1.4142135623730951 { m /= 2; e += 1 }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s, sum = 0.0, n = 1.0
        while true {
            let next = sum + term / n
            if next == sum { break }
            sum = next
            term *= s2
            n += 2
        }
        return 2 * sum + e * 0.6931471805599453
    }
}

/// How a layer's weights are drawn when the file gives a recipe instead of numbers.
package enum WeightInit: Equatable, Sendable {
    case uniform(low: Double, high: Double)
    case normal(std: Double)
    /// Glorot uniform: U(−a, a) with a = √(6 / (fan_in + fan_out)).
    case xavier
    /// He normal: N(0, 2 / fan_in).
    case he

    package func matrix(rows: Int, columns: Int, seed: UInt64, layer: Int) -> Matrix {
        var rng = SeededRandom(seed: seed &+ UInt64(layer) &* 0x9E37_79B9_7F4A_7C15)
        var m = Matrix(rows: rows, columns: columns)
        for i in m.storage.indices {
            switch self {
            case let .uniform(low, high): m.storage[i] = rng.nextUniform(low: low, high: high)
            case let .normal(std): m.storage[i] = std * rng.nextNormal()
            case .xavier:
                let a = (6.0 / Double(rows + columns)).squareRoot()
                m.storage[i] = rng.nextUniform(low: -a, high: a)
            case .he:
                m.storage[i] = (2.0 / Double(rows)).squareRoot() * rng.nextNormal()
            }
        }
        return m
    }
}
