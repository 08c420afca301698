@testable import Annotation
import Foundation
import NetworkModel
import Rendering
import TestSupport
import XCTest

/// A deterministic fuzz test: thousands of mutations of the samples (bytes flipped, lines
/// dropped or duplicated, numbers replaced by extremes, junk inserted) through the whole
/// pipeline in-process, and a subset through the executable. Nothing may crash or hang;
/// every failure must be a one-line message; no partial output may be left.
final class FuzzTests: XCTestCase {
    static let extremes = ["0", "-0", "1e308", "-1e308", "1e-320", "99999", "100001", "1e400", "nan", ".inf", "-.inf", "3.5",
                           "-1", "2147483648", "99999999999999999999", "0x10", "1_000", "~", "null", "[]", "{}", "\"7\""]

    /// A fresh value each time: `Regex` is not Sendable, so it cannot be a shared constant.
    static var number: Regex<(Substring, Substring?, Substring?)> { #/-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?/# }

    struct Mutator {
        var rng: SeededRandom

        mutating func pick(_ n: Int) -> Int { Int(rng.nextUInt64() % UInt64(max(n, 1))) }

        mutating func mutate(_ original: [UInt8]) -> [UInt8] {
            var bytes = original
            let times = 1 + pick(3)
            for _ in 0..<times {
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                switch pick(6) {
                case 0 where !bytes.isEmpty:   // flip a byte
                    bytes[pick(bytes.count)] = UInt8(truncatingIfNeeded: rng.nextUInt64())
                    continue
                case 1 where lines.count > 1:  // drop a line
                    lines.remove(at: pick(lines.count))
                case 2 where !lines.isEmpty:   // duplicate a line
                    let i = pick(lines.count)
                    lines.insert(lines[i], at: i)
                case 3:                        // replace a number by an extreme
                    let text = String(decoding: bytes, as: UTF8.self)
                    let numbers = text.ranges(of: FuzzTests.number)
                    if !numbers.isEmpty {
                        let r = numbers[pick(numbers.count)]
                        var t = text
                        t.replaceSubrange(r, with: FuzzTests.extremes[pick(FuzzTests.extremes.count)])
                        bytes = Array(t.utf8)
                    }
                    continue
                case 4 where lines.count > 1:  // swap two lines
                    lines.swapAt(pick(lines.count), pick(lines.count))
                default:                       // insert junk
                    let junk = Array("[{:-&*!|>#%@`'\",]}".utf8)
                    let at = pick(bytes.count + 1)
                    bytes.insert(junk[pick(junk.count)], at: at)
                    continue
                }
                bytes = Array(lines.joined(separator: [10]))
            }
            return bytes
        }
    }

    var samples: [[UInt8]] {
        TestSupport.allSamples.filter { !$0.contains("mnist") }.compactMap { FileManager.default.contents(atPath: $0).map(Array.init) }
    }

    func testThousandsOfMutationsThroughThePipeline() throws {
        var mutator = Mutator(rng: SeededRandom(seed: 2026))
        let dir = try TestSupport.temporaryDirectory()
        let path = dir + "/mutant.yaml"
        let renderer = DiagramRenderer(theme: try Theme.named("classroom"))
        var outcomes = [String: Int]()
        let originals = samples
        for i in 0..<2500 {
            let bytes = mutator.mutate(originals[i % originals.count])
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            do {
                let net = try NetworkFile.load(path: path)
                let solution = try net.solve(learningRate: 0.1)
                outcomes["solved", default: 0] += 1
                let weights = net.parameterCount
                guard weights <= 2000 else { outcomes["large", default: 0] += 1; continue }
                let annotator = Annotator(solution: solution, format: NumberFormat(precision: 1 + mutator.pick(8)))
                let view = View.allCases[mutator.pick(View.allCases.count)]
                let options = ViewOptions(format: annotator.format, showUpdate: true, flow: .init(maxUnits: 2 + mutator.pick(20)))
                let diagram: Diagram
                do {
                    diagram = try view.diagram(solution, options: options)
                } catch let error as ViewError {
                    XCTAssertTrue(error.description.contains("expected at most"), "\(error)")
                    outcomes["too large for \(view)", default: 0] += 1
                    continue
                }
                let deriver = Deriver(solution: solution)
                for target in deriver.parameterOrder().prefix(4) {
                    _ = Explanation.arithmetic(deriver.derive(target)).unicode(annotator.format)
                }
                _ = Explanation(solution: solution, format: .latex).derivationText(deriver.parameterOrder()[0])
                if i % 8 == 0 {
                    // Rendering costs milliseconds: every eighth mutant goes all the way.
                    let svg = try renderer.render(diagram, format: .svg)
                    XCTAssertTrue(String(decoding: svg.prefix(200), as: UTF8.self).contains("<svg") || svg.starts(with: Data("<?xml".utf8)))
                    if weights < 60 { _ = SlideDeck(solution: solution, steps: .layer) }
                }
            } catch let error as InputError {
                XCTAssertFalse(error.description.contains("\n"), "multi-line message: \(error)")
                XCTAssertTrue(error.message.contains("expected"), "\(error)")
                outcomes["input error", default: 0] += 1
            } catch let error as SolveError {
                XCTAssertTrue(error.description.contains("expected"))
                outcomes["overflow", default: 0] += 1
            }
        }
        XCTAssertGreaterThan(outcomes["solved", default: 0], 100, "\(outcomes)")
        XCTAssertGreaterThan(outcomes["input error", default: 0], 500, "\(outcomes)")
    }

    func testMutantsThroughTheExecutable() throws {
        var mutator = Mutator(rng: SeededRandom(seed: 7))
        let dir = try TestSupport.temporaryDirectory()
        let originals = samples
        for i in 0..<40 {
            let path = dir + "/m\(i).yaml"
            FileManager.default.createFile(atPath: path, contents: Data(mutator.mutate(originals[i % originals.count])))
            let out = dir + "/out\(i)"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
            let args: [[String]] = [["render", path, "-o", out + "/x.svg", "--view", "full"], ["values", path, "--format", "json"],
                                    ["slides", path, "-o", out + "/deck", "--steps", "layer"], ["explain", path, "--all"]]
            let command = args[i % args.count]
            let r = try TestSupport.run(command)
            XCTAssertTrue(r.status == 0 || r.status == 1, "\(command): status \(r.status), \(r.stderr)")
            let written = try FileManager.default.contentsOfDirectory(atPath: out)
            if r.status == 1 {
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertEqual(written, [], "\(command) failed but left \(written)")
            } else {
                XCTAssertTrue(written.allSatisfy { !$0.hasPrefix(".") }, "temporary files left: \(written)")
            }
        }
    }
}
