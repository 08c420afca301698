import Foundation

/// Text boxes read from Graphviz's laid-out JSON (its xdot drawing operations), for checking
/// that no two labels overlap. Graphviz reports each text run's anchor, alignment and width
/// from its own font metrics; heights follow the font size, and sub/superscripts get the
/// same shifts as the SVG pass.
struct TextBox: CustomStringConvertible {
    var owner: String
    var text: String
    var x0, x1, y0, y1: Double
    var baseline: Double
    /// Font size and place in the drawing order: a stacked superscript and subscript (w₁₁⁽¹⁾)
    /// are drawn one right after the other, from the same x, at the same size.
    var size = 0.0, index = 0

    var description: String { "\(owner): “\(text)” [\(Int(x0))…\(Int(x1)) × \(Int(y0))…\(Int(y1))]" }

    func overlaps(_ o: TextBox, slack: Double = 0.5) -> Bool {
        x0 + slack < o.x1 - slack && o.x0 + slack < x1 - slack && y0 + slack < o.y1 - slack && o.y0 + slack < y1 - slack
    }

    static func boxes(fromGraphvizJSON data: Data) throws -> (texts: [TextBox], nodes: [(String, TextBox)]) {
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var texts: [TextBox] = []
        var nodes: [(String, TextBox)] = []
        func read(_ ops: [[String: Any]], owner: String) {
            var size = 14.0, flags = 0
            for op in ops {
                switch op["op"] as? String {
                case "F": size = op["size"] as? Double ?? size
                case "t": flags = op["fontchar"] as? Int ?? 0
                case "T":
                    guard let pt = op["pt"] as? [Double], let width = op["width"] as? Double, let text = op["text"] as? String else { continue }
                    if text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                    var y = pt[1]
                    if flags & 16 != 0 { y -= 0.32 * size }   // subscript
                    if flags & 8 != 0 { y += 0.48 * size }    // superscript
                    let x0: Double
                    switch op["align"] as? String {
                    case "c": x0 = pt[0] - width / 2
                    case "r": x0 = pt[0] - width
                    default: x0 = pt[0]
                    }
                    texts.append(TextBox(owner: owner, text: text, x0: x0, x1: x0 + width, y0: y - 0.22 * size, y1: y + 0.74 * size, baseline: pt[1],
                                         size: size, index: texts.count))
                default: break
                }
            }
        }
        for object in root["objects"] as? [[String: Any]] ?? [] {
            let name = object["name"] as? String ?? "?"
            read(object["_ldraw_"] as? [[String: Any]] ?? [], owner: name)
            if let pos = object["pos"] as? String, let w = Double(object["width"] as? String ?? ""), let h = Double(object["height"] as? String ?? ""),
               (object["shape"] as? String) == "box" {
                let p = pos.split(separator: ",").compactMap { Double($0) }
                nodes.append((name, TextBox(owner: name, text: "", x0: p[0] - w * 36, x1: p[0] + w * 36, y0: p[1] - h * 36, y1: p[1] + h * 36, baseline: 0)))
            }
        }
        for edge in root["edges"] as? [[String: Any]] ?? [] {
            read(edge["_ldraw_"] as? [[String: Any]] ?? [], owner: "edge \(edge["id"] as? String ?? "?")")
        }
        return (texts, nodes)
    }

    /// Pairs of overlapping texts (runs on one line of one label touch, and are skipped),
    /// and texts of edges or headers that run into a node's box.
    static func collisions(in data: Data) throws -> [String] {
        let (texts, nodes) = try boxes(fromGraphvizJSON: data)
        var found: [String] = []
        let sorted = texts.sorted { $0.x0 < $1.x0 }
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count && sorted[j].x0 < sorted[i].x1 {
                let a = sorted[i], b = sorted[j]
                let sameLine = a.owner == b.owner && abs(a.baseline - b.baseline) < 0.01
                // A stack's two scripts: their font boxes meet by design, their glyphs do not.
                let stack = a.owner == b.owner && abs(a.index - b.index) == 1 && abs(a.x0 - b.x0) < 0.5 && a.size == b.size
                if !sameLine && !stack && a.overlaps(b) { found.append("\(a) overlaps \(b)") }
                j += 1
            }
        }
        for t in texts where !nodes.contains(where: { $0.0 == t.owner }) {
            for (name, box) in nodes where t.overlaps(box, slack: 1) { found.append("\(t) runs into node \(name)") }
        }
        return found
    }
}

import Graphviz

extension Graph {
    /// A copy with one node moved onto another, to prove the overlap check notices.
    func movingNode(_ id: String, onto other: String) -> Graph {
        var g = Graph(name: name, directed: directed, attributes: attributes, nodeDefaults: nodeDefaults, edgeDefaults: edgeDefaults)
        let target = nodes.first { $0.id == other }?.attributes["pos"]
        for var n in nodes {
            if n.id == id, let target { n.attributes["pos"] = target }
            g.add(n)
        }
        for e in edges { g.add(e) }
        return g
    }
}
