import Foundation

/// How values print in diagrams and captions (SPEC.md): integers without a decimal point,
/// other values with `precision` significant digits and trailing zeros trimmed, and a real
/// minus sign (−), not a hyphen.
public struct NumberFormat: Equatable, Sendable {
    /// Significant digits of non-integers, 1…17.
    public var precision: Int

    /// A format with `precision` significant digits, clamped to 1…17.
    public init(precision: Int = 4) { self.precision = max(1, min(17, precision)) }

    /// `x` as diagrams print it: `64`, `0.1235`, `−2`, `1.5e−7`, `∞`, `NaN`.
    public func string(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        var text: String
        if x == x.rounded(), magnitude < 1e15 {
            text = String(Int64(magnitude))
        } else if magnitude >= 1e-4 && magnitude < 1e15 {
            text = Self.printed(magnitude, "%.\(precision)g")
            if text.utf8.contains(UInt8(ascii: "e")) { text = scientific(magnitude) } else { text = trimZeros(text) }
        } else {
            text = scientific(magnitude)
        }
        return (x < 0 ? "−" : "") + text
    }

    /// 1.5e−07 → "1.5e−7": mantissa trimmed, exponent without padding, real minus.
    private func scientific(_ magnitude: Double) -> String {
        let raw = Self.printed(magnitude, "%.\(max(0, precision - 1))e")
        let parts = raw.split(separator: "e")
        let mantissa = trimZeros(String(parts[0]))
        let exponent = Int(parts[1]) ?? 0
        return "\(mantissa)e\(exponent < 0 ? "−" : "")\(abs(exponent))"
    }

    /// `String(format: format, x)` for one double, through C's snprintf: Foundation's
    /// String(format:) goes through NSString on every call, which was most of annotating a
    /// labelled 32-64-64-10 (~40,000 values in its tooltips). The same digits: both print a
    /// double with the C library's formatting, in the C locale the process runs in.
    /// Always with a decimal point: in the C locale, whatever the host program set.
    package static func printed(_ x: Double, _ format: String) -> String {
        let previous = uselocale(cNumbers)
        defer { uselocale(previous) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let n = withVaList([x]) { vsnprintf(buffer.baseAddress!, 64, format, $0) }
            return n >= 0 && n < 64 ? String(cString: buffer.baseAddress!) : String(format: format, x)
        }
    }

    /// The C locale's numbers, for this thread's `printed` (uselocale is per thread).
    nonisolated(unsafe) private static let cNumbers = newlocale(LC_NUMERIC_MASK, "C", nil)

    private func trimZeros(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: ".")) else { return text }
        var t = text
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// Every digit that matters: the shortest text that reads back to the same double, with
    /// integers still written without a decimal point. For tooltips and exports to people.
    public static func exact(_ x: Double) -> String {
        if x.isFinite && x == x.rounded() && abs(x) < 1e15 {
            return (x < 0 ? "−" : "") + String(Int64(abs(x)))
        }
        let text = "\(abs(x))"
        return (x < 0 ? "−" : "") + text
    }

    /// A value for a tooltip: `precision` significant digits as in the diagram, then the value
    /// to 15 significant digits in parentheses where that says more — `0.1235 (0.123456)`,
    /// but `0.8` for 0.7999999999999999 (15 digits is what a double holds reliably; the
    /// digits beyond are float noise).
    public func detailed(_ x: Double) -> String {
        let shown = string(x)
        guard x.isFinite else { return shown }
        let full = NumberFormat(precision: 15).string(x)
        return full == shown ? shown : "\(shown) (\(full))"
    }

    /// A value as a factor in a product: negative values in parentheses, `(−1)`.
    public func factor(_ x: Double) -> String {
        let s = string(x)
        return s.hasPrefix("−") ? "(\(s))" : s
    }
}
