import Foundation
@testable import Graphviz
import XCTest

/// Where the Pango warm-up looks for Graphviz's plugins before Graphviz has started is where
/// Graphviz itself looks (`gvconfig_libdir`), and the pango plugin is there.
final class PangoTextLayoutTests: XCTestCase {
    func testThePluginDirectoryBeforeStartIsGraphvizsOwn() throws {
        try XCTSkipIf(getenv("GVBINDIR") != nil, "GVBINDIR names the directory for both")
        let before = try XCTUnwrap(PangoTextLayout.graphvizLibraryDirectoryBeforeStart())
        let graphviz = try GraphvizRuntime.shared.withContext { PangoTextLayout.graphvizLibraryDirectory($0) }
        XCTAssertEqual(before, graphviz)
        XCTAssertNotNil(PangoTextLayout.pluginPath(in: before))
    }
}
