import Foundation

/// A small JSON writer for the values export: numbers at full precision (the shortest text
/// that reads back to the same double; integers without a decimal point).
struct JSONWriter {
    var bytes: [UInt8] = []
    /// The key being written, and the first key whose value was not finite: JSON has no NaN
    /// or infinity, so such a document must be refused, never written with `nan` in it.
    var key = ""
    var nonFinite: (key: String, value: Double)?

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func number(_ x: Double) {
        if !x.isFinite {
            if nonFinite == nil { nonFinite = (key, x) }
            raw("null")
        } else if x == x.rounded(), abs(x) < 9e15 {
            raw(String(Int64(x)))
        } else {
            raw("\(x)")   // Swift prints the shortest round-trip form
        }
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": raw("\\\"")
            case "\\": raw("\\\\")
            case "\n": raw("\\n")
            case "\r": raw("\\r")
            case "\t": raw("\\t")
            default:
                if scalar.value < 0x20 { raw(String(format: "\\u%04x", scalar.value)) } else { raw(String(scalar)) }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func vector(_ v: [Double]) {
        bytes.append(UInt8(ascii: "["))
        for (i, x) in v.enumerated() {
            if i > 0 { raw(", ") }
            number(x)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func matrix(_ m: [[Double]], indent: Int) {
        raw("[\n")
        for (i, row) in m.enumerated() {
            raw(String(repeating: "  ", count: indent))
            vector(row)
            raw(i + 1 < m.count ? ",\n" : "\n")
        }
        raw(String(repeating: "  ", count: indent - 1) + "]")
    }

    struct Object {
        var writer: JSONWriter
        let indent: Int
        var first = true

        mutating func field(_ key: String, _ value: (inout JSONWriter) -> Void) {
            writer.raw(first ? "\n" : ",\n")
            first = false
            writer.raw(String(repeating: "  ", count: indent + 1))
            writer.string(key)
            writer.raw(" : ")
            writer.key = key
            value(&writer)
        }
    }

    mutating func object(_ indent: Int, _ body: (inout Object) -> Void) {
        raw("{")
        var o = Object(writer: self, indent: indent)
        bytes = []
        body(&o)
        // Move the bytes back rather than share them: while `o` still held them, the next
        // append copied the whole buffer, once per object (quadratic for a data set's samples).
        swap(&self, &o.writer)
        raw("\n" + String(repeating: "  ", count: indent) + "}")
    }

    mutating func array<T>(_ indent: Int, _ items: [T], _ body: (inout JSONWriter, T) -> Void) {
        raw("[")
        for (i, item) in items.enumerated() {
            raw(i == 0 ? "\n" : ",\n")
            raw(String(repeating: "  ", count: indent + 1))
            body(&self, item)
        }
        raw("\n" + String(repeating: "  ", count: indent) + "]")
    }
}
