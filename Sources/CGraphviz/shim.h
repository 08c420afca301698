#include <graphviz/gvc.h>
// The text-metrics cache is a text-layout plugin (Sources/Graphviz/TextMetricsCache.swift).
#include <graphviz/gvplugin_textlayout.h>

// A text-layout engine answers whether it measured the span: `boolean` (an unsigned char) up to
// Graphviz 2.4x, C99 `bool` in current Graphviz. Swift names the type through this typedef and
// makes and reads it through these two functions, so the plugin compiles against both.
typedef __typeof__(((gvtextlayout_engine_t *)0)->textlayout((textspan_t *)0, (char **)0)) bpviz_layout_answer;
static inline bpviz_layout_answer bpviz_layout_answer_make(int measured) { return measured != 0; }
static inline int bpviz_layout_answer_measured(bpviz_layout_answer answer) { return answer != 0; }
