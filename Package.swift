// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: NetworkModel → Annotation → Rendering → Graphviz → CGraphviz.
// The bpviz executable is thin glue on top.
let package = Package(
    name: "bpviz",
    // Mutex (the Synchronization module) needs macOS 15; Linux has it everywhere.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bpviz", targets: ["bpviz"]),
        .library(name: "NetworkModel", targets: ["NetworkModel"]),
        .library(name: "Graphviz", targets: ["Graphviz"]),
        .library(name: "Annotation", targets: ["Annotation"]),
        .library(name: "Rendering", targets: ["Rendering"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"]), .brew(["graphviz"])]
        ),
        .target(name: "Graphviz", dependencies: ["CGraphviz"]),
        .target(name: "NetworkModel", dependencies: ["Yams"]),
        .target(name: "Annotation", dependencies: ["NetworkModel"]),
        // The built-in themes are compiled into the module (no file to find at run time);
        // Theme+BuiltIn.swift lists them, and a test checks that every file here is listed.
        .target(
            name: "Rendering", dependencies: ["Annotation", "Graphviz", "Yams"],
            resources: ["chalkboard", "classroom", "colorblind", "print"].map { .embedInCode("Themes/\($0).yaml") }
        ),
        .executableTarget(
            name: "bpviz",
            dependencies: [
                "NetworkModel", "Annotation", "Rendering", "Graphviz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`'s in-process measurements; not part of the product.
        .executableTarget(name: "bpviz-bench", dependencies: ["NetworkModel", "Annotation", "Rendering", "Graphviz"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NetworkModelTests", dependencies: ["NetworkModel", "TestSupport"]),
        .testTarget(name: "GraphvizTests", dependencies: ["Graphviz", "TestSupport"]),
        .testTarget(name: "AnnotationTests", dependencies: ["Annotation", "TestSupport"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Graphviz", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "CLITests", dependencies: ["bpviz", "TestSupport"]),
        // README's "Use as a library" example, compiled and run.
        .testTarget(name: "LibraryExampleTests", dependencies: ["NetworkModel", "Annotation", "Rendering", "Graphviz", "TestSupport"]),
        // Tests/Benchmarks holds `make bench` and `make leakcheck` (scripts and data, no tests).
    ],
    swiftLanguageModes: [.v6]
)

// `make docs` only (BPVIZ_DOCS=1): swift-docc-plugin's `generate-documentation` command. Left
// out of ordinary builds, so building and testing need nothing beyond the two dependencies.
if Context.environment["BPVIZ_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
