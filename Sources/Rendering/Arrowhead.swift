import Foundation
import Graphviz

/// The arrowhead every edge ends in: Graphviz's `normal` at arrowsize 0.7, a triangle 7
/// points long and 4.9 wide, filled and stroked with the edge's pen, miter-joined.
///
/// Two things about that stroke shape the picture. Its tip reaches past the triangle's by
/// half the pen over the sine of the tip's half-angle, so a tip put on a box's border ended
/// inside the box: 1.5 points on a plain edge (pen 1), 7.3 on the flow view's thickest
/// (pen 9). And beyond a pen of 4 Graphviz 2.43 widens the triangle by pen/4 (not its
/// length), which the stroke grows again: a 9-point edge's head was 29.5 points wide, three
/// times its line. bpviz asks for arrowsize 0.7·4/pen there, so the triangle stays 4.9 wide
/// (and 28/pen long) and a 9-point edge's drawn head is 23.4 wide and 14.9 long. It stays
/// squat whatever the arrowsize (the triangle's width is 0.175·pen times its length), and
/// each tip is stopped short by its reach.
enum Arrowhead {
    /// The edge's default arrowsize (GraphBuilder's edge defaults).
    static let size = 0.7

    /// The arrowsize for an edge of this pen: 0.7, and beyond a pen of 4, where Graphviz
    /// 2.43 widens the triangle by pen/4, less, so the triangle stays 4.9 wide (arrow_gen).
    static func arrowsize(penwidth: Double) -> Double { size * min(1, 4 / penwidth) }

    /// The triangle Graphviz draws on this pen, before its stroke: 10 × arrowsize long,
    /// 0.7 as wide and, beyond a pen of 4, pen/4 times that.
    static func triangle(penwidth: Double) -> (length: Double, width: Double) {
        let a = arrowsize(penwidth: penwidth)
        return (10 * a, 7 * a * max(1, penwidth / 4))
    }

    /// How far the stroked tip reaches beyond the triangle's: half the pen over the sine of
    /// the tip's half-angle (the miter of its sharpest corner, within the miter limits of
    /// SVG, cairo and PDF).
    static func tipReach(penwidth: Double) -> Double {
        let t = triangle(penwidth: penwidth)
        return (penwidth / 2) / sin(atan((t.width / 2) / t.length))
    }

    /// The stroked head's width across the edge: with miter joins the stroke is the triangle
    /// grown about its incentre by half the pen.
    static func visibleWidth(penwidth: Double) -> Double {
        let t = triangle(penwidth: penwidth)
        let side = ((t.width / 2) * (t.width / 2) + t.length * t.length).squareRoot()
        let inradius = (t.width * t.length / 2) / ((t.width + 2 * side) / 2)
        return t.width * (1 + (penwidth / 2) / inradius)
    }

    /// Where the triangle's tip goes so the stroked tip touches `border`, on the line from
    /// `start`.
    static func tip(touching border: Point, from start: Point, penwidth: Double) -> Point {
        let dx = border.x - start.x, dy = border.y - start.y
        let length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
        let back = min(tipReach(penwidth: penwidth), length / 2)
        return Point(x: border.x - dx / length * back, y: border.y - dy / length * back)
    }
}
