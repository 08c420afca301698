import Foundation
@testable import Rendering
import TestSupport
import XCTest

final class BuiltInThemeTests: XCTestCase {
    /// Package.swift embeds each theme file by name: a new file that is not listed there and
    /// in Theme+BuiltIn.swift would silently not be built in.
    func testEveryThemeFileIsBuiltIn() throws {
        let dir = TestSupport.root.appendingPathComponent("Sources/Rendering/Themes").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }
        XCTAssertEqual(Set(files.map { String($0.dropLast(5)) }), Set(Theme.builtInNames))
        for name in Theme.builtInNames {
            let onDisk = try Theme.load(path: dir + "/" + name + ".yaml")
            XCTAssertEqual(try Theme.named(name), onDisk, "the embedded \(name) is the file's current content")
        }
    }

    /// A theme colour is what every writer draws alike, `#rrggbb` (a file's `#rgb` doubled):
    /// a name Graphviz does not know was silently black in SVG and PNG, and `transparent`
    /// was black in a standalone TikZ document.
    func testThemeColoursAreWhatEveryWriterDraws() throws {
        for name in Theme.builtInNames {
            for (key, color) in try Theme.named(name).colors { XCTAssertTrue(Theme.isColor(color), "\(name): \(key) \(color)") }
        }
        let short = try Theme.load(text: "extends: classroom\ncolors: { text: \"#1a7\", edge: \"#ABCDEF\" }\n", path: "short.yaml", depth: 0)
        XCTAssertEqual(short.colors["text"], "#11aa77")
        XCTAssertEqual(short.colors["edge"], "#ABCDEF")
        for (value, column) in [("notacolor", 17), ("transparent", 17), ("navy", 17), ("\"#12345\"", 17), ("\"#7f8c8d80\"", 17), ("\"#ggg\"", 17)] {
            XCTAssertThrowsError(try Theme.load(text: "colors: { text: \(value) }\n", path: "t.yaml", depth: 0), value) { error in
                XCTAssertTrue("\(error)".hasPrefix("t.yaml:1:\(column): `colors.text` is `"), "\(error)")
                XCTAssertTrue("\(error)".contains("; expected a colour as #rrggbb or #rgb"), "\(error)")
            }
        }
        var made = try Theme.named("classroom")
        made.colors["text"] = "notacolor"
        XCTAssertThrowsError(try made.validate()) { XCTAssertTrue("\($0)".contains("expected a colour as #rrggbb"), "\($0)") }
    }

    func testUnknownThemeNamesTheBuiltIns() {
        XCTAssertThrowsError(try Theme.named("chalkbord")) { error in
            XCTAssertTrue("\(error)".contains("did you mean `chalkboard`?"), "\(error)")
            XCTAssertTrue("\(error)".contains("classroom"), "\(error)")
        }
    }
}
