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
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
static inline double bpviz_written_inches(double points) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.5g", points / 72.0);
    return strtod(buf, NULL);
}
static inline double bpviz_node_width_inches(Agnode_t *n) { return bpviz_written_inches(ND_lw(n) + ND_rw(n)); }
static inline double bpviz_node_height_inches(Agnode_t *n) { return bpviz_written_inches(ND_ht(n)); }

// Graphviz's measure of one span of text (lib/common/textspan.c): the postscript alias of its
// font, the text-layout plugin's answer (or Graphviz's estimate when the plugin has none).
// Exported by libgvc but declared in no installed header.
extern pointf textspan_size(GVC_t *gvc, textspan_t *span);

// Graphviz's writer of a rendering's bytes (lib/gvc/gvdevice.c): exported by libgvc but
// declared in no installed header. SVGNumbers.swift writes coordinates through it.
extern size_t gvwrite(GVJ_t *job, const char *s, size_t len);

// libm's sincos (a GNU extension, which Swift's Glibc module leaves out): Graphviz's node
// shapes use it, and computing a node's size as Graphviz does needs the same numbers. Graphviz's
// arith.h stands in a macro of sin and cos for it where its own build found none; Debian's found it.
#undef sincos
void sincos(double x, double *s, double *c);
static inline void bpviz_sincos(double x, double *s, double *c) { sincos(x, s, c); }

// cgraph's graph kinds are mutable globals, which Swift 6 will not read outside an actor.
static inline Agdesc_t bpviz_graph_kind(int directed) { return directed ? Agdirected : Agundirected; }

// An arena for the graphs made through cgraph's API (CGraphWriter): cgraph allocates every
// node, edge, attribute record and string of a graph through its memory discipline, and when
// the discipline can close its heap, agclose frees the whole graph at once instead of deleting
// each node, edge and attribute string (a labelled 32-64-64-10's graph took ~150 ms to close).
// Freeing one piece is a no-op; the memory returns when the graph is closed. Everything the
// layout allocates with malloc (labels, shapes, splines) is freed by gvFreeLayout as before.
typedef struct bpviz_arena_chunk {
    struct bpviz_arena_chunk *next;
    size_t size, used;
    max_align_t data[];
} bpviz_arena_chunk;

typedef struct { bpviz_arena_chunk *current; bpviz_arena_chunk *full; } bpviz_arena;

enum { bpviz_arena_chunk_size = 256 * 1024 - 64 };

// Chunks are mapped pages, not malloc's: freeing a block of malloc's this large makes it
// consolidate every small free block first, which cost as much as deleting the graph did.
static inline bpviz_arena_chunk *bpviz_arena_map(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static inline void *bpviz_arena_open(Agdisc_t *disc) {
    (void)disc;
    return calloc(1, sizeof(bpviz_arena));
}

static inline void *bpviz_arena_alloc(void *heap, size_t request) {
    bpviz_arena *arena = heap;
    size_t align = sizeof(max_align_t);
    size_t need = (request + align - 1) / align * align;
    bpviz_arena_chunk *chunk = arena->current;
    if (need > bpviz_arena_chunk_size / 4) {
        // A large block gets a chunk of its own, kept apart from the one being filled.
        bpviz_arena_chunk *own = bpviz_arena_map(sizeof(bpviz_arena_chunk) + need);
        if (!own) return NULL;
        own->size = own->used = need;
        own->next = arena->full;
        arena->full = own;
        return own->data;
    }
    if (!chunk || chunk->used + need > chunk->size) {
        bpviz_arena_chunk *fresh = bpviz_arena_map(sizeof(bpviz_arena_chunk) + bpviz_arena_chunk_size);
        if (!fresh) return NULL;
        fresh->size = bpviz_arena_chunk_size;
        if (chunk) { chunk->next = arena->full; arena->full = chunk; }
        arena->current = chunk = fresh;
    }
    void *block = (char *)chunk->data + chunk->used;
    chunk->used += need;
    return block;  // zeroed: chunks are fresh pages and never reused
}

static inline void *bpviz_arena_resize(void *heap, void *ptr, size_t oldsize, size_t request) {
    if (request <= oldsize) return ptr;  // cgraph zeroes nothing it shrinks
    void *block = bpviz_arena_alloc(heap, request);
    if (block && ptr) memcpy(block, ptr, oldsize);
    return block;
}

static inline void bpviz_arena_free(void *heap, void *ptr) { (void)heap; (void)ptr; }

static inline void bpviz_arena_close(void *heap) {
    bpviz_arena *arena = heap;
    for (bpviz_arena_chunk *lists[2] = {arena->current, arena->full}, **l = lists; l < lists + 2; l++) {
        for (bpviz_arena_chunk *c = *l, *next; c; c = next) { next = c->next; munmap(c, sizeof(bpviz_arena_chunk) + c->size); }
    }
    free(arena);
}

// The discipline: the arena for memory, cgraph's own for identifiers and I/O.
static inline Agdisc_t *bpviz_arena_discipline(void) {
    static Agmemdisc_t memory = { bpviz_arena_open, bpviz_arena_alloc, bpviz_arena_resize, bpviz_arena_free, bpviz_arena_close };
    static Agdisc_t discipline;
    discipline.mem = &memory;
    discipline.id = &AgIdDisc;
    discipline.io = &AgIoDisc;
    return &discipline;
}

// A stream collecting what Graphviz writes, for MemoryStream. Graphviz writes a rendering a
// few bytes at a time, one fwrite for each number and each piece of a tag (~700,000 for a
// labelled 32-64-64-10's 16 MB of SVG). open_memstream copies short writes byte by byte and
// locks the stream for each (the process has threads); this one fills stdio's own 64 kB
// buffer, is not locked by stdio (Graphviz's lock is held while it is written), and appends
// whole buffers to one growing block, which MemoryStream then hands over without a copy.
// fopencookie is declared here under its own name: glibc declares it only with _GNU_SOURCE.
#include <stdio_ext.h>
#include <sys/types.h>
typedef struct {
    ssize_t (*read)(void *, char *, size_t);
    ssize_t (*write)(void *, const char *, size_t);
    int (*seek)(void *, long long *, int);
    int (*close)(void *);
} bpviz_cookie_io_functions;
extern FILE *bpviz_fopencookie(void *cookie, const char *mode, bpviz_cookie_io_functions io) __asm__("fopencookie");

typedef struct { char *bytes; size_t count, capacity; int failed; } bpviz_collector;

static inline ssize_t bpviz_collector_write(void *cookie, const char *bytes, size_t n) {
    bpviz_collector *c = cookie;
    if (n > c->capacity - c->count) {
        size_t capacity = c->capacity ? c->capacity : (size_t)1 << 16;
        while (n > capacity - c->count) capacity *= 2;
        char *grown = realloc(c->bytes, capacity);
        if (!grown) { c->failed = 1; return 0; }  // 0: stdio reports the write failed
        c->bytes = grown;
        c->capacity = capacity;
    }
    memcpy(c->bytes + c->count, bytes, n);
    c->count += n;
    return (ssize_t)n;
}

static inline FILE *bpviz_collector_open(bpviz_collector *c) {
    bpviz_cookie_io_functions io = { NULL, bpviz_collector_write, NULL, NULL };
    FILE *f = bpviz_fopencookie(c, "w", io);
    if (!f) return NULL;
    setvbuf(f, NULL, _IOFBF, (size_t)1 << 16);
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    return f;
}

// SplitSVG draws part of a large graph in a forked process: fork, the child's _exit (no atexit
// handlers, no flush of stdio buffers the parent still holds), a memory file the child writes
// its SVG into (memfd_create, declared by glibc only with _GNU_SOURCE), and a laid-out graph's
// bounding box (GD_bb) in points: x0, y0, x1, y1.
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <sys/prctl.h>
// The child ends with its parent, and ^C or kill end it: it inherits the parent's blocked
// SIGINT, SIGTERM and SIGHUP but not the thread that receives them (StagingFiles).
static inline int bpviz_fork(void) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(1);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT); sigaddset(&set, SIGTERM); sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    }
    return (int)pid;
}
static inline void bpviz_exit_child(int status) { _exit(status); }
static inline int bpviz_memory_file(void) { return (int)syscall(SYS_memfd_create, "bpviz-svg", 1u /* MFD_CLOEXEC */); }
static inline void bpviz_graph_bb(Agraph_t *g, double out[4]) {
    boxf bb = GD_bb(g);
    out[0] = bb.LL.x; out[1] = bb.LL.y; out[2] = bb.UR.x; out[3] = bb.UR.y;
}
