import CGraphviz
import Foundation

/// Graphviz's SVG writer prints every coordinate of a path, polygon and text through libgvc's
/// `gvprintdouble` (lib/gvc/gvdevice.c, 2.42): `snprintf("%.02f")`, trailing zeros and a bare
/// point trimmed, values within 1e-8 of zero written as 0. glibc's exact float printing behind
/// that snprintf was ~8% of the ops view of an 8-16-16-4 net (~75,000 numbers) and ~4% of the
/// worked example's. This executable defines a function of the same name, to which the
/// dynamic linker binds the SVG plugin's calls (an executable's exported symbols come first
/// in the global scope; the plugin calls it through its PLT): the same characters, from
/// integer arithmetic on the double's bits. Values outside the fast range, and any Graphviz
/// other than 2.42/2.43 (whose function may differ), go to libgvc's own.
@_cdecl("gvprintdouble")
public func bpvizPrintDouble(_ job: UnsafeMutablePointer<GVJ_t>?, _ num: Double) {
    guard let job else { return }
    if SVGNumbers.mode == .unknown { SVGNumbers.mode = SVGNumbers.mode(for: job) }
    guard SVGNumbers.mode == .exact else {
        SVGNumbers.libgvcPrintDouble?(job, num)
        return
    }
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
        let p = buffer.baseAddress!
        let n = SVGNumbers.write(num, into: p)
        _ = gvwrite(job, p, n)
    }
}

/// The numbers of `gvprintdouble` (see `bpvizPrintDouble`).
package enum SVGNumbers {
    enum Mode { case unknown, exact, forward }

    /// Whether this Graphviz's `gvprintdouble` is the one written here: decided at the first
    /// call, from the context's version. Graphviz calls it under the binding's lock only.
    nonisolated(unsafe) static var mode = Mode.unknown

    static func mode(for job: UnsafeMutablePointer<GVJ_t>) -> Mode {
        guard let gvc = job.pointee.gvc, let version = gvcVersion(gvc).map({ String(cString: $0) }) else { return .forward }
        return version.hasPrefix("2.42.") || version.hasPrefix("2.43.") ? .exact : .forward
    }

    /// libgvc's own `gvprintdouble`, the next definition after this executable's.
    nonisolated(unsafe) static let libgvcPrintDouble: (@convention(c) (UnsafeMutablePointer<GVJ_t>?, Double) -> Void)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: -1), "gvprintdouble") else { return nil }  // RTLD_NEXT
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<GVJ_t>?, Double) -> Void).self)
    }()

    /// `num` as Graphviz 2.42's `gvprintdouble` writes it, into `p` (at least 64 bytes, not
    /// NUL-terminated); returns the length.
    package static func write(_ num: Double, into p: UnsafeMutablePointer<CChar>) -> Int {
        var value = num
        if value > -0.00000001 && value < 0.00000001 { value = 0 }
        let magnitude = value.magnitude
        // Hundredths, rounded as glibc's printf rounds (to nearest, an exact tie to even), from
        // the binary value: magnitude = m·2^(e−52), so magnitude·100 = (m·100) >> (52 − e).
        // m·100 < 2^60 fits; the shift is 13…62 for magnitudes in [2^-10, 2^40).
        guard magnitude == 0 || (magnitude >= 0x1p-10 && magnitude < 0x1p40) else { return printed(value, into: p) }
        var hundredths: UInt64 = 0
        if magnitude != 0 {
            let scaled = (UInt64(magnitude.significandBitPattern) | 1 << 52) &* 100
            let shift = UInt64(52 - Int(magnitude.exponent))
            hundredths = scaled >> shift
            let rest = scaled & ((1 << shift) - 1), half: UInt64 = 1 << (shift - 1)
            if rest > half || (rest == half && hundredths & 1 == 1) { hundredths += 1 }
        }
        var n = 0
        // printf writes the sign of a negative value even when it rounds to zero ("-0.00" → "-0").
        if value < 0 { p[n] = 45; n += 1 }  // "-"
        var whole = hundredths / 100
        let fraction = Int(hundredths % 100)
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(whole % 10) + 48
                whole /= 10
                count += 1
            } while whole > 0
            for k in stride(from: count - 1, through: 0, by: -1) { p[n] = CChar(bitPattern: d[k]); n += 1 }
        }
        if fraction != 0 {
            p[n] = 46; n += 1  // "."
            p[n] = CChar(48 + fraction / 10); n += 1
            if fraction % 10 != 0 { p[n] = CChar(48 + fraction % 10); n += 1 }
        }
        return n
    }

    /// The slow way, as Graphviz itself does it: snprintf, then the trailing zeros trimmed.
    static func printed(_ value: Double, into p: UnsafeMutablePointer<CChar>) -> Int {
        _ = withVaList([value]) { vsnprintf(p, 64, "%.02f", $0) }
        var n = strlen(p)
        if strchr(p, 46) != nil {  // gv_trim_zeros
            while n > 0 && p[n - 1] == 48 { n -= 1 }
            if n > 0 && p[n - 1] == 46 { n -= 1 }
        }
        return n
    }
}
