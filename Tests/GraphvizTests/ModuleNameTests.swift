import Graphviz
import XCTest

// Types of the same names as the binding's, as a program using it may well have: the module
// name must still reach the binding's (this file does not compile if a type shadows the module).
private struct Node { var weight = 0 }
private struct Layout {}

final class ModuleNameTests: XCTestCase {
    func testModuleQualifiedTypesReachTheBindingWhenNamesCollide() throws {
        let mine = Node(weight: 3)
        var graph = Graphviz.Graph(name: "g")
        graph.addNode("a", ["label": "A"])
        XCTAssertEqual(graph.nodes, [Graphviz.Node("a", ["label": "A"])])
        let laidOut: Graphviz.Layout = try GraphvizEngine.layout(graph)
        XCTAssertEqual(mine.weight, 3)
        XCTAssertNotNil(laidOut.nodes["a"])
    }
}
