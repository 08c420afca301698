import Foundation

/// Graphviz 2.42/2.43 writes `<SUB>`/`<SUP>` as separate `<text>` elements carrying
/// `baseline-shift="sub|super"`, which Firefox ignores and Chromium applies with its own
/// size. This pass replaces the attribute by an explicit `y` offset (the smaller size is
/// already in the label, so Graphviz measured the widths right), gives each tooltip an SVG
/// `<title>` for screen readers, keeps spaces at the edges of text runs, and widens the font list for browsers without
/// DejaVu.
public enum SVGTypography {
    /// Shifts as fractions of the script's own font size.
    static let subscriptDrop = 0.32
    static let superscriptRise = 0.48

    public static func process(_ svg: String, fontFamily: String) -> String {
        var out = ""
        out.reserveCapacity(svg.utf8.count + svg.utf8.count / 8)
        var rest = Substring(svg)
        while let start = rest.range(of: "<text ") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.lowerBound...].range(of: ">") else { break }
            let tag = String(rest[start.lowerBound..<end.upperBound])
            out += rewriteTextTag(tag)
            rest = rest[end.upperBound...]
            // Browsers collapse a text element's leading and trailing spaces, which glues
            // " = 4" to the subscript before it; non-breaking spaces survive.
            if let close = rest.range(of: "</text>") {
                out += keepEdgeSpaces(rest[..<close.lowerBound])
                rest = rest[close.lowerBound...]
            }
        }
        out += rest
        out = addTitles(out)
        let escapedFamily = "font-family=\"\(fontFamily)\""
        out = out.replacingOccurrences(of: escapedFamily, with: "font-family=\"\(fontFamily), Verdana, Arial, sans-serif\"")
        return out
    }

    static func keepEdgeSpaces(_ content: Substring) -> String {
        guard content.first == " " || content.last == " " else { return String(content) }
        var text = String(content)
        var leading = "", trailing = ""
        while text.hasPrefix(" ") { text.removeFirst(); leading += "&#160;" }
        while text.hasSuffix(" ") { text.removeLast(); trailing += "&#160;" }
        return leading + text + trailing
    }

    static func rewriteTextTag(_ tag: String) -> String {
        let shift: Double
        if tag.contains("baseline-shift=\"sub\"") { shift = subscriptDrop }
        else if tag.contains("baseline-shift=\"super\"") { shift = -superscriptRise }
        else { return tag }
        var t = tag.replacingOccurrences(of: " baseline-shift=\"sub\"", with: "")
            .replacingOccurrences(of: " baseline-shift=\"super\"", with: "")
        let size = attribute("font-size", in: t).flatMap(Double.init) ?? 10
        if let yText = attribute("y", in: t), let y = Double(yText) {
            t = t.replacingOccurrences(of: "y=\"\(yText)\"", with: "y=\"\(String(format: "%.2f", y + shift * size))\"")
        }
        return t
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let r = tag.range(of: " \(name)=\"") else { return nil }
        let after = tag[r.upperBound...]
        guard let close = after.firstIndex(of: "\"") else { return nil }
        return String(after[..<close])
    }

    /// `<a xlink:title="…">` → the same, followed by `<title>…</title>`, which browsers show
    /// on hover and screen readers read; Graphviz's own group titles stay as they are.
    static func addTitles(_ svg: String) -> String {
        var out = ""
        var rest = Substring(svg)
        while let start = rest.range(of: "<a xlink:title=\"") {
            guard let close = rest[start.upperBound...].firstIndex(of: "\""),
                  let tagEnd = rest[close...].firstIndex(of: ">") else { break }
            let title = rest[start.upperBound..<close]
            out += rest[..<rest.index(after: tagEnd)]
            out += "\n<title>\(title)</title>"
            rest = rest[rest.index(after: tagEnd)...]
        }
        return out + rest
    }
}
