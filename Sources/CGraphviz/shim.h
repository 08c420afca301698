#include <graphviz/gvc.h>
// The text-metrics cache is a text-layout plugin (Sources/Graphviz/TextMetricsCache.swift).
#include <graphviz/gvplugin_textlayout.h>

// A text-layout engine answers whether it measured the span: `boolean` (an unsigned char) up to
// Graphviz 2.4x, C99 `bool` in current Graphviz. Swift names the type through this typedef and
// makes and reads it through these two functions, so the plugin compiles against both.
typedef __typeof__(((gvtextlayout_engine_t *)0)->textlayout((textspan_t *)0, (char **)0)) bpviz_layout_answer;
static inline bpviz_layout_answer bpviz_layout_answer_make(int measured) { return measured != 0; }
static inline int bpviz_layout_answer_measured(bpviz_layout_answer answer) { return answer != 0; }

// A laid-out node's width and height in inches as Graphviz writes them into the `width` and
// `height` attributes of its `-Tdot` output ("%.5g", output.c): the measure pass reads them
// straight from the node instead of rendering the whole graph to DOT and parsing it back.
#include <stdio.h>
#include <stdlib.h>
static inline double bpviz_written_inches(double points) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.5g", points / 72.0);
    return strtod(buf, NULL);
}
static inline double bpviz_node_width_inches(Agnode_t *n) { return bpviz_written_inches(ND_lw(n) + ND_rw(n)); }
static inline double bpviz_node_height_inches(Agnode_t *n) { return bpviz_written_inches(ND_ht(n)); }

// cgraph's graph kinds are mutable globals, which Swift 6 will not read outside an actor.
static inline Agdesc_t bpviz_graph_kind(int directed) { return directed ? Agdirected : Agundirected; }
