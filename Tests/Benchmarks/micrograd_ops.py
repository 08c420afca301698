#!/usr/bin/env python3
"""The worked example (Samples/question-1.yaml) through micrograd and its draw_dot, as a whole
process: build the graph, forward, backward, draw, write SVG. `make bench` times it against
`bpviz render … --view ops`. Needs `pip install micrograd graphviz` and Graphviz's `dot`.

draw_dot is micrograd's own (trace_graph.ipynb in karpathy/micrograd, MIT licence); micrograd
ships only the engine, so it is copied here unchanged.
Usage: micrograd_ops.py OUT.svg             the worked example (3-2-2-1, every weight 1)
       micrograd_ops.py OUT.svg 8-16-16-4   a wider net with the weights of network_yaml()
       micrograd_ops.py --network 8-16-16-4 that net as a bpviz network file, on stdout
"""
import sys

from graphviz import Digraph
from micrograd.engine import Value


def trace(root):
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def draw_dot(root, format="svg", rankdir="LR"):
    nodes, edges = trace(root)
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
    for n in nodes:
        dot.node(name=str(id(n)), label="{ data %.4f | grad %.4f }" % (n.data, n.grad), shape="record")
        if n._op:
            dot.node(name=str(id(n)) + n._op, label=n._op)
            dot.edge(str(id(n)) + n._op, str(id(n)))
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def weight(l, j, k):
    """Layer l's weight from unit j to unit k of a generated net: tenths in [-0.5, 0.5]."""
    return ((7 * j + 13 * k + 5 * l) % 11 - 5) / 10


def inputs(n):
    return [((3 * j) % 5 - 2) / 2 for j in range(n)]


def network_yaml(widths):
    """The generated net for bpviz: ReLU hidden layers, an identity output, zero biases,
    RSS loss against zero targets, the weights of weight()."""
    lines = [f"name: generated {'-'.join(map(str, widths))}", "loss: rss",
             f"input: [{', '.join(repr(x) for x in inputs(widths[0]))}]",
             f"target: [{', '.join('0' for _ in range(widths[-1]))}]", "layers:"]
    for l in range(1, len(widths)):
        rows = ", ".join("[" + ", ".join(repr(weight(l, j, k)) for k in range(widths[l])) + "]" for j in range(widths[l - 1]))
        act = "identity" if l == len(widths) - 1 else "relu"
        lines.append(f"  - {{ units: {widths[l]}, activation: {act}, weights: [{rows}], bias: 0 }}")
    return "\n".join(lines) + "\n"


def main():
    if sys.argv[1] == "--network":
        sys.stdout.write(network_yaml([int(w) for w in sys.argv[2].split("-")]))
        return
    if len(sys.argv) > 2:
        widths = [int(w) for w in sys.argv[2].split("-")]
        x = [Value(v) for v in inputs(widths[0])]
        w_of = weight
    else:
        # Question 1: X = (1, 2, −1), Y = 0, a 3-2-2-1 network, every weight 1, every bias 0,
        # ReLU, ReLU, identity, RSS loss.
        widths = [3, 2, 2, 1]
        x = [Value(1.0), Value(2.0), Value(-1.0)]
        w_of = lambda l, j, k: 1.0
    activations = ["relu"] * (len(widths) - 2) + ["identity"]
    weights = []
    h = x
    for l in range(1, len(widths)):
        w = [[Value(w_of(l, j, k)) for k in range(widths[l])] for j in range(widths[l - 1])]
        b = [Value(0.0) for _ in range(widths[l])]
        weights.append(w)
        z = [sum((h[j] * w[j][k] for j in range(widths[l - 1])), b[k]) for k in range(widths[l])]
        h = [zk.relu() if activations[l - 1] == "relu" else zk for zk in z]
    loss = sum(((Value(0.0) - hk) ** 2 for hk in h[1:]), (Value(0.0) - h[0]) ** 2)
    loss.backward()
    if len(sys.argv) == 2:
        # The worked example's numbers, so both programs draw the same pass.
        assert loss.data == 64, loss.data
        assert weights[0][1][0].grad == 64, weights[0][1][0].grad
    svg = draw_dot(loss).pipe(format="svg")
    with open(sys.argv[1], "wb") as f:
        f.write(svg)


if __name__ == "__main__":
    main()
