import Foundation
import FoundationXML
import TestSupport
import XCTest

/// Hostile text in a network's name and notation through every command and format: outputs
/// stay well-formed, nothing from the input becomes a tag, an event handler, a formula or a
/// Graphviz escape, and the text comes out exactly as written (or the file is refused, see
/// the bad-input corpus for control characters, over-long text and theme fonts).
final class HostileOutputTests: XCTestCase {
    static let name = #"<script>alert(1)</script> " onmouseover="alert(2)" ' \N \G \\ \T \L \E \H \n & $5 =cmd|' /C calc'!A0 [x](javascript:alert(3)) ]]> <![CDATA[ &amp; end"#
    static let notation = ["input": "<script>", "weight": #"="onload="a(1)"#, "bias": #"\L"#, "activation": #"\N"#,
                           "preactivation": "@SUM(A1)", "loss": #"-L\T&<b>"#]

    /// The network file, written as JSON so every character arrives exactly.
    func hostileFile() throws -> String {
        let dir = try TestSupport.temporaryDirectory()
        let network: [String: Any] = [
            "name": Self.name, "input": [1, 2], "target": [0], "notation": Self.notation, "learning_rate": 0.1,
            "layers": [["units": 2, "activation": "relu", "weights": 1, "bias": 0], ["units": 1, "activation": "identity", "weights": 1, "bias": 0]],
        ]
        let path = dir + "/hostile.json"
        try JSONSerialization.data(withJSONObject: network).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every element's name and attributes, and every text, of an XML document.
    func walk(_ node: XMLNode, elements: inout [XMLElement], texts: inout [String]) {
        if let element = node as? XMLElement { elements.append(element) }
        if node.kind == .text, let text = node.stringValue { texts.append(text) }
        for child in node.children ?? [] { walk(child, elements: &elements, texts: &texts) }
    }

    /// Well-formed (Foundation's XML parser), no script element, no event-handler attribute.
    func assertSafeSVG(_ data: Data, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let document = try XMLDocument(data: data)
        var elements: [XMLElement] = [], texts: [String] = []
        walk(document, elements: &elements, texts: &texts)
        for element in elements {
            XCTAssertNotEqual(element.localName?.lowercased(), "script", what, file: file, line: line)
            for attribute in element.attributes ?? [] {
                XCTAssertFalse(attribute.localName?.lowercased().hasPrefix("on") == true, "\(what): attribute \(attribute.name ?? "")", file: file, line: line)
            }
        }
        return texts
    }

    /// Tags of an HTML page (user text is escaped, so every `<` opens a tag bpviz wrote).
    func tags(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "<[a-zA-Z!/][^>]*>")
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range, in: html)!]) }
    }

    func testEveryViewAndFormatOfRender() throws {
        let file = try hostileFile()
        let dir = try TestSupport.temporaryDirectory()
        for view in ["forward", "backward", "full", "flow", "layers"] {
            let r = try TestSupport.run(["render", file, "-o", "\(dir)/\(view).svg", "--view", view, "--show-update"].filter { view != "flow" && view != "layers" || $0 != "--show-update" })
            XCTAssertEqual(r.status, 0, "\(view): \(r.stderr)")
            let texts = try assertSafeSVG(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(view).svg")), view)
            // Exactly as written: no \N, \G, \\ rewritten, no entity decoded twice.
            // (The flow and layers views add what they show to the title.)
            XCTAssertTrue(texts.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(Self.name) }, "\(view): the title is not exact: \(texts.filter { $0.contains("script") })")
        }
        let full = try String(contentsOfFile: "\(dir)/full.svg", encoding: .utf8)
        let document = try XMLDocument(data: Data(full.utf8))
        var elements: [XMLElement] = [], texts: [String] = []
        walk(document, elements: &elements, texts: &texts)
        for symbol in Self.notation.values { XCTAssertTrue(texts.contains { $0.contains(symbol) }, "symbol \(symbol) is not exact") }
        // Tooltips are exact too (Graphviz substitutes \T, \L there unless escaped twice).
        let tooltips = elements.compactMap { $0.attribute(forName: "xlink:title")?.stringValue }.filter { $0.contains("∂") }
        XCTAssertFalse(tooltips.isEmpty)
        for tip in tooltips { XCTAssertTrue(tip.contains(#"-L\T&<b>"#), tip) }
        XCTAssertTrue(tooltips.contains { $0.contains(#"\L"#) && $0.contains("@SUM(A1)") })
        XCTAssertFalse(tooltips.contains { $0.contains("<TABLE>") || $0.contains("L0_1") })

        for format in ["png", "pdf", "json", "dot"] {
            let r = try TestSupport.run(["render", file, "-o", "\(dir)/q.\(format)"])
            XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
        }
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/q.json"))))
        // The DOT reads back in Graphviz with the name intact.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") {
            let dot = Process()
            dot.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
            dot.arguments = ["-Tsvg", "\(dir)/q.dot", "-o", "\(dir)/readback.svg"]
            try dot.run()
            dot.waitUntilExit()
            XCTAssertEqual(dot.terminationStatus, 0)
            let texts = try assertSafeSVG(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/readback.svg")), "DOT read back")
            XCTAssertTrue(texts.contains { $0.contains(Self.name) }, "DOT: the name is not exact")
        }
    }

    func testDecksInEveryStepAndTheirPage() throws {
        let file = try hostileFile()
        let dir = try TestSupport.temporaryDirectory()
        for steps in ["node", "layer"] {
            let deck = "\(dir)/\(steps)"
            let r = try TestSupport.run(["slides", file, "-o", deck, "--steps", steps])
            XCTAssertEqual(r.status, 0, r.stderr)
            for frame in try FileManager.default.contentsOfDirectory(atPath: deck) where frame.hasSuffix(".svg") {
                _ = try assertSafeSVG(try Data(contentsOf: URL(fileURLWithPath: "\(deck)/\(frame)")), frame)
            }
            let html = try String(contentsOfFile: "\(deck)/index.html", encoding: .utf8)
            let pageTags = tags(html)
            XCTAssertEqual(pageTags.filter { $0.lowercased().hasPrefix("<script") }.count, 1, "only bpviz's own navigation script")
            for tag in pageTags {
                XCTAssertNil(tag.range(of: #"\son[a-z]+\s*="#, options: [.regularExpression, .caseInsensitive]), tag)
                XCTAssertFalse(tag.contains("javascript:"), tag)
            }
            XCTAssertTrue(html.contains("<title>" + MathTextEscape.html(Self.name) + "</title>"))
        }
        let png = try TestSupport.run(["slides", file, "-o", "\(dir)/png", "--steps", "layer", "--format", "png"])
        XCTAssertEqual(png.status, 0, png.stderr)
    }

    func testValuesInEveryFormat() throws {
        let file = try hostileFile()
        let json = try TestSupport.run(["values", file, "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        XCTAssertEqual(object?["name"] as? String, Self.name, "JSON round trip")

        let csv = try TestSupport.run(["values", file, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        var formulas = 0
        for line in csv.stdoutText.split(separator: "\n").dropFirst() {
            // The symbol cell may be quoted; the value is the last field and stays a number.
            let value = line.split(separator: ",").last.map(String.init) ?? ""
            XCTAssertNotNil(Double(value), "value cell \(value) is a number")
            let symbol = line.split(separator: ",", maxSplits: 2)[2].dropLast(value.count + 1)
            let cell = symbol.hasPrefix("\"") ? symbol.dropFirst() : symbol
            XCTAssertFalse(["=", "@", "+", "-"].contains { cell.hasPrefix($0) }, "formula cell: \(line)")
            if cell.hasPrefix("'") { formulas += 1 }
        }
        XCTAssertGreaterThan(formulas, 0, "the cells that start like formulas are neutralised with '")

        let markdown = try TestSupport.run(["values", file, "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0)
        XCTAssertFalse(markdown.stdoutText.contains("<script") || markdown.stdoutText.contains("<b>"))
        let table = try TestSupport.run(["values", file])
        XCTAssertTrue(table.stdoutText.contains(#"-L\T&<b>"#), "plain text stays exact")
    }

    func testExplainAndCheck() throws {
        let file = try hostileFile()
        let markdown = try TestSupport.run(["explain", file, "--all", "--format", "markdown"])
        XCTAssertEqual(markdown.status, 0, markdown.stderr)
        // bpviz writes no `<` in Markdown: every `<` would come from the input.
        XCTAssertFalse(markdown.stdoutText.contains("<"), String(markdown.stdoutText.prefix(300)))
        XCTAssertTrue(markdown.stdoutText.hasPrefix("# &lt;script&gt;alert\\(1\\)&lt;/script&gt;"), String(markdown.stdoutText.prefix(200)))
        XCTAssertFalse(markdown.stdoutText.contains("[x](javascript"), "no link from the name")
        let one = try TestSupport.run(["explain", file, "b_1^(1)", "--format", "markdown"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertFalse(one.stdoutText.contains("<"))

        let text = try TestSupport.run(["explain", file, "--all"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdoutText.hasPrefix(Self.name + " — worked solution\n"), "text is exact")
        for args in [["explain", file, "--all", "--format", "latex"], ["check", file]] {
            let r = try TestSupport.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stdoutText.unicodeScalars.contains { $0.value == 0x1B }, "no escape sequence reaches the terminal")
        }
    }

    /// Notation symbols that are Markdown links and images: `values` escapes them as the
    /// title is escaped, and `explain`'s math (plain Markdown to a viewer without math
    /// support) holds no `](`, so neither a link nor an image forms. A data set's prose
    /// names the loss symbol too: escaped for Markdown and for LaTeX, where `\input{…}`
    /// would read a file into the PDF.
    func testNotationSymbolsBecomeNoLinkImageOrCommand() throws {
        let dir = try TestSupport.temporaryDirectory()
        let file = dir + "/links.json"
        let notation = ["input": "![](//e.co/a)", "weight": "[a](javascript:)", "loss": "[L](//e.co)"]
        try JSONSerialization.data(withJSONObject: ["input": [1, 2], "target": [0], "notation": notation,
                                                    "layers": [["units": 1, "activation": "identity", "weights": 1, "bias": 0]]] as [String: Any])
            .write(to: URL(fileURLWithPath: file))
        let values = try TestSupport.run(["values", file, "--format", "markdown"])
        XCTAssertEqual(values.status, 0, values.stderr)
        // Every bracket is escaped (`\[`, `\]`), so none can open or close a link.
        XCTAssertNil(values.stdoutText.range(of: #"(?<!\\)[\[\]]"#, options: .regularExpression), values.stdoutText)
        XCTAssertTrue(values.stdoutText.contains(#"| \!\[\](//e.co/a)<sub>1</sub> | 1 |"#), values.stdoutText)
        XCTAssertTrue(values.stdoutText.contains(#"| ∂\[L\](//e.co)/∂\[a\](javascript:)<sub>11</sub><sup>(1)</sup> |"#), values.stdoutText)
        for args in [["explain", file, "--all", "--format", "markdown"], ["explain", file, "w_11^(1)", "--format", "markdown"]] {
            let r = try TestSupport.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stdoutText.contains("]("), "\(args): \(r.stdoutText)")
            XCTAssertTrue(r.stdoutText.contains("[a]{}(\\mbox{javascript:})_{11}^{(1)}"), "the math draws the symbol as written: \(r.stdoutText)")
        }

        let batch = dir + "/batch.json"
        for (loss, format) in [("[a](javascript:)", "markdown"), (#"<b>x"#, "markdown"), (#"\input{~/.netrc}"#, "latex")] {
            try JSONSerialization.data(withJSONObject: ["data": [["input": [0, 1], "target": [1]], ["input": [1, 1], "target": [0]]],
                                                        "loss_reduction": "mean", "notation": ["loss": loss],
                                                        "layers": [["units": 1, "activation": "identity", "weights": 1, "bias": 0]]] as [String: Any])
                .write(to: URL(fileURLWithPath: batch))
            for args in [["explain", batch, "--all", "--format", format], ["explain", batch, "b_1^(1)", "--format", format]] {
                let r = try TestSupport.run(args)
                XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
                XCTAssertFalse(r.stdoutText.contains("](") || r.stdoutText.contains("<b>") || r.stdoutText.contains(#"\input{"#), "\(loss): \(r.stdoutText)")
            }
        }
    }

    /// What reaches the terminal on stdout shows file text as an error message does: a file
    /// name's escape sequences, and a name's or a symbol's bidirectional overrides and
    /// invisible characters, as `\u{…}`. JSON keeps the text exactly (it is data).
    func testTerminalTextOnStdoutIsEscapedAsMessagesAre() throws {
        let dir = try TestSupport.temporaryDirectory()
        let titled = dir + "/x\u{1B}]0;TITLE\u{07}\u{1B}[31m.yaml"
        try FileManager.default.copyItem(atPath: TestSupport.sample("question-1.yaml"), toPath: titled)
        let check = try TestSupport.run(["check", titled])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertFalse(check.stdoutText.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, check.stdoutText)
        XCTAssertTrue(check.stdoutText.hasPrefix(dir + #"/x\u{1B}]0;TITLE\u{7}\u{1B}[31m.yaml: valid; "#), check.stdoutText)

        let name = "a\u{202E}b\u{2066}c\u{200B}d"
        let file = dir + "/bidi.json"
        try JSONSerialization.data(withJSONObject: ["name": name, "input": [1, 2], "target": [0], "notation": ["input": "x\u{202E}", "loss": "L\u{2066}"],
                                                    "layers": [["units": 1, "activation": "identity", "weights": 1, "bias": 0]]] as [String: Any])
            .write(to: URL(fileURLWithPath: file))
        let hidden: Set<UInt32> = [0x202E, 0x2066, 0x200B]
        for args in [["values", file], ["check", file], ["explain", file, "--all"], ["explain", file, "w_11^(1)"]] {
            let r = try TestSupport.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stdoutText.unicodeScalars.contains { hidden.contains($0.value) }, "\(args): \(r.stdoutText)")
            XCTAssertTrue(r.stdoutText.contains(#"L\u{2066}"#), "\(args): \(r.stdoutText)")
        }
        XCTAssertTrue(try TestSupport.run(["values", file]).stdoutText.hasPrefix(#"a\u{202E}b\u{2066}c\u{200B}d"# + "\n"))
        let json = try TestSupport.run(["values", file, "--format", "json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])?["name"] as? String, name)
    }

    func testErrorMessagesAreOneLineWhateverTheyQuote() throws {
        let dir = try TestSupport.temporaryDirectory()
        let key = "\u{1B}]0;pwned\u{07}\u{1B}[2J"
        let file = dir + "/keys.json"
        // JSON's \u escapes: the file itself is plain text.
        try JSONSerialization.data(withJSONObject: ["input": [1], "target": [0], "layers": [["units": 1]], key: 1] as [String: Any])
            .write(to: URL(fileURLWithPath: file))
        let r = try TestSupport.run(["values", file])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
        XCTAssertFalse(r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, r.stderr)
        XCTAssertTrue(r.stderr.contains(#"unknown key `\u{1B}]0;pwned\u{7}\u{1B}[2J`"#), r.stderr)

        // A long value is cut; the sentence still ends with what was expected.
        let long = dir + "/long.json"
        try Data(#"{"input": [1], "target": [0], "layers": [{"units": 1, "activation": "\#(String(repeating: "x", count: 100_000))"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: long))
        let cut = try TestSupport.run(["values", long])
        XCTAssertEqual(cut.status, 1)
        XCTAssertLessThan(cut.stderr.count, 400, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("x…`; expected one of identity"), cut.stderr)

        // ArgumentParser's own errors quote the command line: the same filter.
        let option = try TestSupport.run(["render", file, "--view", "a\nb\u{1B}[2J"])
        XCTAssertEqual(option.status, 64)
        let first = option.stderr.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.hasPrefix("Error: ") && first.contains(#"a\nb\u{1B}[2J"#), option.stderr)
        XCTAssertFalse(option.stderr.unicodeScalars.contains { $0.value == 0x1B })
        // A missing file whose name holds an escape sequence.
        let missing = try TestSupport.run(["values", dir + "/\u{1B}[31mred.yaml"])
        XCTAssertTrue(missing.stderr.contains(#"\u{1B}[31mred.yaml"#), missing.stderr)
    }
}

/// The five XML specials as entities, as bpviz writes them in HTML (kept here so the test
/// does not trust the code under test for its expectation).
enum MathTextEscape {
    static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
