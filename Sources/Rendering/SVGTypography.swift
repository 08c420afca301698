import Annotation
import Foundation

/// Graphviz 2.42/2.43 writes `<SUB>`/`<SUP>` as separate `<text>` elements carrying
/// `baseline-shift="sub|super"`, which Firefox ignores and Chromium applies with its own
/// size. This pass replaces the attribute by an explicit `y` offset (the smaller size is
/// already in the label, so Graphviz measured the widths right), keeps spaces at the edges
/// of text runs (browsers would collapse them), gives each tooltip an SVG `<title>` for
/// screen readers, and widens the font list for browsers without DejaVu.
///
/// It scans the bytes once: large diagrams have hundreds of thousands of text elements.
public enum SVGTypography {
    /// Shifts as fractions of the script's own font size.
    static let subscriptDrop = 0.32
    static let superscriptRise = 0.48

    /// Graphviz's SVG with every script run rewritten to an explicit size and offset in
    /// `fontFamily`; everything else is left byte for byte as it was.
    public static func process(_ svg: String, fontFamily: String) -> String {
        String(decoding: process(bytes: Array(svg.utf8), fontFamily: fontFamily), as: UTF8.self)
    }

    /// `process` on Graphviz's bytes as they come, without making them a String and back:
    /// a large net's SVG is tens of megabytes, and each copy counted in its peak memory.
    public static func process(_ svg: Data, fontFamily: String) -> Data {
        Data(process(bytes: [UInt8](svg), fontFamily: fontFamily))
    }

    static func process(bytes input: [UInt8], fontFamily: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count + input.count / 8)
        let textOpen = Array("<text ".utf8), textClose = Array("</text>".utf8)
        let anchorOpen = Array("<a xlink:title=\"".utf8)
        let fonts = FontMarkers(family: fontFamily)
        let tagStart = UInt8(ascii: "<"), space = UInt8(ascii: " ")
        var i = 0
        while i < input.count {
            var next = i
            if input[i] == tagStart {
                if input.starts(with: textOpen, at: i), let end = input.firstIndex(of: UInt8(ascii: ">"), from: i) {
                    appendTextTag(input, i..<end + 1, fonts: fonts, to: &out)
                    i = end + 1
                    if let close = input.firstRun(of: textClose, from: i) {
                        let content = input[i..<close]
                        if content.first == space || content.last == space { out += keepEdgeSpaces(content) } else { out += content }
                        i = close
                    }
                    continue
                }
                if input.starts(with: anchorOpen, at: i), let quote = input.firstIndex(of: UInt8(ascii: "\""), from: i + anchorOpen.count),
                   let end = input.firstIndex(of: UInt8(ascii: ">"), from: quote) {
                    out += input[i...end]
                    out += Array("\n<title>".utf8) + input[(i + anchorOpen.count)..<quote] + Array("</title>".utf8)
                    i = end + 1
                    continue
                }
                next = i + 1
            }
            // Everything up to the next tag is copied as it is, in one piece.
            next = input.firstIndex(of: tagStart, from: next) ?? input.count
            out += input[i..<next]
            i = next
        }
        return out
    }

    /// The font-family values the label builder uses as markers, and what replaces them.
    struct FontMarkers {
        let plain, sub, sup, bold, boldSub, boldSup, replacement, boldReplacement: [UInt8]
        let familyKey = Array("font-family=\"".utf8)
        init(family: String) {
            plain = Array("font-family=\"\(family)\"".utf8)
            sub = Array("font-family=\"\(family)\(LabelBuilder.subFace)\"".utf8)
            sup = Array("font-family=\"\(family)\(LabelBuilder.supFace)\"".utf8)
            bold = Array("font-family=\"\(family)\(LabelBuilder.boldFace)\"".utf8)
            boldSub = Array("font-family=\"\(family)\(LabelBuilder.subFace)\(LabelBuilder.boldFace)\"".utf8)
            boldSup = Array("font-family=\"\(family)\(LabelBuilder.supFace)\(LabelBuilder.boldFace)\"".utf8)
            // Themes are validated to plain names; escaped all the same, as every attribute.
            replacement = Array("font-family=\"\(MathText.htmlEscape(family)), Verdana, Arial, sans-serif\"".utf8)
            boldReplacement = replacement + Array(" font-weight=\"bold\"".utf8)
            scripts = [(boldSub, subscriptDrop, boldReplacement), (boldSup, -superscriptRise, boldReplacement),
                       (sub, subscriptDrop, replacement), (sup, -superscriptRise, replacement)]
        }

        /// Each script face: its marker, its shift (a fraction of its size, down positive)
        /// and what replaces it.
        let scripts: [(marker: [UInt8], shift: Double, replacement: [UInt8])]
    }

    static func keepEdgeSpaces(_ content: ArraySlice<UInt8>) -> [UInt8] {
        let space = UInt8(ascii: " ")
        guard content.first == space || content.last == space else { return Array(content) }
        let nbsp = Array("&#160;".utf8)
        var start = content.startIndex, end = content.endIndex
        var leading: [UInt8] = [], trailing: [UInt8] = []
        while start < end && content[start] == space { leading += nbsp; start += 1 }
        while end > start && content[end - 1] == space { trailing += nbsp; end -= 1 }
        return leading + content[start..<end] + trailing
    }

    static let subShift = Array(" baseline-shift=\"sub\"".utf8), supShift = Array(" baseline-shift=\"super\"".utf8)

    /// `rewriteTextTag(input[range])` appended to `out`. Most tags carry no script: their
    /// font marker is replaced while copying, without making the tag an array of its own.
    static func appendTextTag(_ input: [UInt8], _ range: Range<Int>, fonts: FontMarkers, to out: inout [UInt8]) {
        // One look at each byte: every marker starts `font-family="`, every shift ` baseline-shift="`.
        let family = UInt8(ascii: "f"), space = UInt8(ascii: " ")
        var scripted = false, bold = false
        var i = range.lowerBound
        while i < range.upperBound && !scripted {
            let byte = input[i]
            if byte == family, input.starts(with: fonts.familyKey, at: i) {
                scripted = fonts.scripts.contains { input.fits($0.marker, at: i, before: range.upperBound) }
                bold = bold || input.fits(fonts.bold, at: i, before: range.upperBound)
            } else if byte == space, input.starts(with: shiftKey, at: i) {
                scripted = input.fits(subShift, at: i, before: range.upperBound) || input.fits(supShift, at: i, before: range.upperBound)
            }
            i += 1
        }
        if scripted {
            out += rewriteTextTag(Array(input[range]), fonts: fonts)
        } else if bold {
            input.appendReplacingRuns(of: fonts.bold, with: fonts.boldReplacement, in: range, to: &out)
        } else {
            input.appendReplacingRuns(of: fonts.plain, with: fonts.replacement, in: range, to: &out)
        }
    }

    static let shiftKey = Array(" baseline-shift=\"".utf8)

    static func rewriteTextTag(_ tag: [UInt8], fonts: FontMarkers) -> [UInt8] {
        var t = tag
        var shift = 0.0
        if let script = fonts.scripts.first(where: { t.firstRun(of: $0.marker) != nil }) {
            shift = script.shift
            t = t.replacingRuns(of: script.marker, with: script.replacement)
        } else if t.firstRun(of: fonts.bold) != nil {
            t = t.replacingRuns(of: fonts.bold, with: fonts.boldReplacement)
        } else {
            t = t.replacingRuns(of: fonts.plain, with: fonts.replacement)
        }
        // Labels drawn with <SUB>/<SUP> tags (DOT from elsewhere) carry baseline-shift.
        if t.firstRun(of: subShift) != nil { shift = subscriptDrop; t = t.replacingRuns(of: subShift, with: []) }
        if t.firstRun(of: supShift) != nil { shift = -superscriptRise; t = t.replacingRuns(of: supShift, with: []) }
        guard shift != 0 else { return t }
        let size = attribute("font-size", in: t).flatMap(Double.init) ?? 10
        if let range = attributeRange("y", in: t), let y = Double(String(decoding: t[range], as: UTF8.self)) {
            t.replaceSubrange(range, with: Array(NumberFormat.printed(y + shift * size, "%.2f").utf8))
        }
        return t
    }

    static func attributeRange(_ name: String, in tag: [UInt8]) -> Range<Int>? {
        let key = Array(" \(name)=\"".utf8)
        guard let start = tag.firstRun(of: key) else { return nil }
        let valueStart = start + key.count
        guard let close = tag.firstIndex(of: UInt8(ascii: "\""), from: valueStart) else { return nil }
        return valueStart..<close
    }

    static func attribute(_ name: String, in tag: [UInt8]) -> String? {
        attributeRange(name, in: tag).map { String(decoding: tag[$0], as: UTF8.self) }
    }
}
