#include <graphviz/gvc.h>
// The text-metrics cache is a text-layout plugin (Sources/Graphviz/TextMetricsCache.swift).
#include <graphviz/gvplugin_textlayout.h>
