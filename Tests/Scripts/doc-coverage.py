#!/usr/bin/env python3
"""Doc-comment coverage of the library products' public declarations (`make doc-coverage`).

Reads the symbol graphs `swift package dump-symbol-graph` writes (public and open symbols,
members inherited through default implementations left out) and counts, per module, the
declarations with and without a doc comment of their own. Extensions a module makes to
another module's types (`Annotation@NetworkModel.symbols.json`) count for the module that
declares them. Not counted: extension blocks, and declarations that implement another
module's protocol requirement and carry its documentation (`init(rawValue:)`, `description`,
`init(from:)`, `==` …), which DocC shows with the protocol's words.

    doc-coverage.py [--missing] [--min PERCENT] [SYMBOLGRAPH_DIR]

--missing lists every undocumented declaration as file:line: Kind Path; --min makes the
exit status 1 when a module is below PERCENT.
"""
import glob
import json
import os
import sys

MODULES = ["NetworkModel", "Annotation", "Rendering", "Graphviz"]


def has_text(doc):
    return any(line.get("text", "").strip() for line in doc.get("lines", []))


def coverage(directory):
    """{module: (documented, [undocumented symbol], inherited count)}"""
    result = {m: [0, [], 0] for m in MODULES}
    for path in sorted(glob.glob(os.path.join(directory, "*.symbols.json"))):
        module = os.path.basename(path).split(".symbols.json")[0].split("@")[0]
        if module not in result:
            continue
        graph = json.load(open(path, encoding="utf-8"))
        for symbol in graph["symbols"]:
            if symbol["kind"]["identifier"] == "swift.extension":
                continue
            if "::SYNTHESIZED::" in symbol["identifier"]["precise"]:
                continue
            if symbol.get("accessLevel") not in ("public", "open"):
                continue
            doc = symbol.get("docComment")
            if doc and doc.get("module") not in (None, module):
                result[module][2] += 1          # the protocol's documentation
            elif doc and has_text(doc):
                result[module][0] += 1
            else:
                result[module][1].append(symbol)
    return result


def where(symbol, root):
    location = symbol.get("location", {})
    uri = location.get("uri", "").removeprefix("file://")
    line = location.get("position", {}).get("line", -1) + 1
    return f"{os.path.relpath(uri, root) if uri else '?'}:{line}"


def main(argv):
    missing = "--missing" in argv
    minimum = None
    args = [a for a in argv if a != "--missing"]
    if "--min" in args:
        i = args.index("--min")
        minimum = float(args[i + 1])
        del args[i:i + 2]
    directory = args[0] if args else ".build/symbolgraph"
    if not glob.glob(os.path.join(directory, "*.symbols.json")):
        print(f"doc-coverage: no symbol graphs in {directory}; expected `swift package dump-symbol-graph` output",
              file=sys.stderr)
        return 2
    result = coverage(directory)
    root = os.getcwd()
    print(f"{'module':<14}{'public':>8}{'documented':>12}{'missing':>9}{'coverage':>10}   (+ inherited)")
    below = False
    totals = [0, 0]
    for module in MODULES:
        documented, undocumented, inherited = result[module]
        total = documented + len(undocumented)
        percent = 100.0 * documented / total if total else 100.0
        below = below or (minimum is not None and percent < minimum)
        totals[0] += documented
        totals[1] += total
        print(f"{module:<14}{total:>8}{documented:>12}{len(undocumented):>9}{percent:>9.1f}%   (+ {inherited})")
    all_percent = 100.0 * totals[0] / totals[1] if totals[1] else 100.0
    print(f"{'all':<14}{totals[1]:>8}{totals[0]:>12}{totals[1] - totals[0]:>9}{all_percent:>9.1f}%")
    if missing:
        for module in MODULES:
            for symbol in sorted(result[module][1], key=lambda s: where(s, root)):
                kind = symbol["kind"]["displayName"]
                print(f"{where(symbol, root)}: {kind} {'.'.join(symbol['pathComponents'])}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
