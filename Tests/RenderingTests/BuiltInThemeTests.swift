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

    func testUnknownThemeNamesTheBuiltIns() {
        XCTAssertThrowsError(try Theme.named("chalkbord")) { error in
            XCTAssertTrue("\(error)".contains("did you mean `chalkboard`?"), "\(error)")
            XCTAssertTrue("\(error)".contains("classroom"), "\(error)")
        }
    }
}
