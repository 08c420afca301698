#!/usr/bin/env python3
"""`make bench`: every figure the issues ask for, as one table and as JSON.

Each figure is the median of several runs; where a peer exists (the `dot` program) it runs in
the same session and the ratio is computed from the two medians. Peak memory is the child's
maximum resident set size (getrusage via wait4). Run from the repository root after
`swift build -c release`.
"""
import json, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BPVIZ = os.path.join(ROOT, ".build/release/bpviz")
BENCH = os.path.join(ROOT, ".build/release/bpviz-bench")
DOT = shutil.which("dot")
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
Q1 = os.path.join(ROOT, "Samples/question-1.yaml")
MNIST = os.path.join(ROOT, "Samples/mnist-784-128-64-10.yaml")
WIDE = os.path.join(ROOT, "Tests/Benchmarks/wide-32-64-64-10.yaml")
MICROGRAD = os.path.join(ROOT, "Tests/Benchmarks/micrograd_ops.py")


# Every bpviz process gets this environment: a text-metrics cache of the benchmark's own
# (BPVIZ_CACHE_DIR, primed by main()), never the user's; cold runs start without its file.
# (Not XDG_CACHE_HOME: that would also move fontconfig's own cache and make it cold.)
ENV = dict(os.environ)
CPU = {}  # argument tuple → median CPU seconds (user + system) of its last median_run


def run(args, stdout=subprocess.DEVNULL, env=None):
    """Wall time (s) and peak RSS (MB) of one process; fails loudly."""
    start = time.perf_counter()
    p = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, env=env or ENV)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    run.cpu = usage.ru_utime + usage.ru_stime
    err = p.stderr.read().decode()
    p.stderr.close()
    if status != 0:
        sys.exit(f"bench: {' '.join(args)} failed: {err.strip()}")
    return elapsed, usage.ru_maxrss / 1024


def median_run(args, runs=RUNS, env=None, before=None):
    """Median wall time and peak RSS; the median CPU time goes to CPU[args]. On a shared,
    loaded machine CPU time is the steadier figure, so ratios are given in both."""
    results, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        results.append(run(args, env=env))
        cpu.append(run.cpu)
    CPU[tuple(args)] = statistics.median(cpu)
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def write_mnist_data(path):
    """784-128-64-10 (the MNIST sample's layers) on 256 random samples: inputs uniform in
    [0, 1) to three decimals, one-hot targets, from Python's seeded generator."""
    import random
    rng = random.Random(1)
    lines = ["name: MNIST-sized MLP on 256 random samples", "loss: cross_entropy", "data:"]
    for _ in range(256):
        x = ", ".join(f"{rng.random():.3f}" for _ in range(784))
        t = [0] * 10
        t[rng.randrange(10)] = 1
        lines.append(f"  - {{ input: [{x}], target: [{', '.join(map(str, t))}] }}")
    lines += ["layers:",
              "  - { units: 128, activation: relu, weights: { init: he, seed: 1 }, bias: 0 }",
              "  - { units: 64, activation: relu, weights: { init: he, seed: 2 }, bias: 0 }",
              "  - { units: 10, activation: softmax, weights: { init: xavier, seed: 3 }, bias: 0 }"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")



def without_cache_file():
    path = os.path.join(ENV["BPVIZ_CACHE_DIR"], "text-metrics")
    if os.path.exists(path):
        os.unlink(path)


LOAD_START = list(os.getloadavg())


def main():
    for path in (BPVIZ, BENCH):
        if not os.path.exists(path):
            sys.exit(f"bench: {path} is missing; run `swift build -c release` first")
    tmp = tempfile.mkdtemp(prefix="bpviz-bench-")
    ENV["BPVIZ_CACHE_DIR"] = os.path.join(tmp, "cache")
    ENV.pop("BPVIZ_NO_CACHE", None)
    rows, figures = [], {}

    def row(name, value, target, ok):
        rows.append((name, value, target, "ok" if ok else "MISSED" if ok is not None else ""))

    # 1. values on 784-128-64-10.
    t, mem = median_run([BPVIZ, "values", MNIST, "--format", "json"])
    figures["values_784_128_64_10"] = {"seconds": t, "peak_mb": mem}
    row("values 784-128-64-10: time", f"{t*1000:.0f} ms", "< 200 ms", t < 0.2)
    row("values 784-128-64-10: peak memory", f"{mem:.1f} MB", "< 50 MB", mem < 50)

    # 2. start-up, and the render of the worked example against one `dot -Tsvg` process on
    # its DOT: warm (the text-metrics cache file exists), cold (none) and with the cache off.
    t_version, _ = median_run([BPVIZ, "--version"], runs=RUNS * 2)
    c_version = CPU[(BPVIZ, "--version")]
    t_dot_version, _ = median_run([DOT, "-V"], runs=RUNS * 2)
    c_dot_version = CPU[(DOT, "-V")]
    figures["startup"] = {"bpviz_version_seconds": t_version, "dot_version_seconds": t_dot_version,
                          "bpviz_version_cpu_seconds": c_version, "dot_version_cpu_seconds": c_dot_version}
    row("start-up: `bpviz --version` / `dot -V`, wall", f"{t_version*1000:.1f} / {t_dot_version*1000:.1f} ms", "", None)
    row("  CPU time", f"{c_version*1000:.1f} / {c_dot_version*1000:.1f} ms", "", None)
    q1dot = os.path.join(tmp, "q1.dot")
    run([BPVIZ, "render", Q1, "-o", q1dot, "--view", "full"])
    render = [BPVIZ, "render", Q1, "-o", os.path.join(tmp, "q1.svg"), "--view", "full"]
    run(render)  # primes the warm cache
    dot_q1 = [DOT, "-Tsvg", q1dot, "-o", os.path.join(tmp, "dot.svg")]
    # Interleaved rounds, so a change in the machine's load hits every variant alike.
    walls = {k: [] for k in ("warm", "cold", "off", "dot")}
    cpus = {k: [] for k in walls}
    for _ in range(RUNS):
        for key, args, env, before in (("warm", render, None, None), ("cold", render, None, without_cache_file),
                                       ("off", render, dict(ENV, BPVIZ_NO_CACHE="1"), None), ("dot", dot_q1, None, None)):
            if before:
                before()
            walls[key].append(run(args, env=env)[0])
            cpus[key].append(run.cpu)
    t_warm, t_cold, t_off, t_dot = (statistics.median(walls[k]) for k in ("warm", "cold", "off", "dot"))
    c_warm, c_cold, c_off, c_dot = (statistics.median(cpus[k]) for k in ("warm", "cold", "off", "dot"))
    figures["render_q1_svg"] = {"warm_seconds": t_warm, "cold_seconds": t_cold, "no_cache_seconds": t_off, "dot_seconds": t_dot,
                                "warm_cpu_seconds": c_warm, "cold_cpu_seconds": c_cold, "no_cache_cpu_seconds": c_off,
                                "dot_cpu_seconds": c_dot, "warm_ratio": t_warm / t_dot, "cold_ratio": t_cold / t_dot,
                                "warm_cpu_ratio": c_warm / c_dot, "cold_cpu_ratio": c_cold / c_dot}
    row("render question-1 SVG, warm text-metrics cache: wall / CPU", f"{t_warm*1000:.1f} / {c_warm*1000:.1f} ms", "", None)
    row("  cold (no cache file; it is written)", f"{t_cold*1000:.1f} / {c_cold*1000:.1f} ms", "", None)
    row("  BPVIZ_NO_CACHE=1 (stock Graphviz text layout)", f"{t_off*1000:.1f} / {c_off*1000:.1f} ms", "", None)
    row("  one `dot -Tsvg` process on its DOT", f"{t_dot*1000:.1f} / {c_dot*1000:.1f} ms", "", None)
    row("  ratio warm / dot: wall, CPU", f"{t_warm/t_dot:.2f}, {c_warm/c_dot:.2f}", "≤ 1.0", t_warm / t_dot <= 1.0)
    row("  ratio cold / dot: wall, CPU", f"{t_cold/t_dot:.2f}, {c_cold/c_dot:.2f}", "≤ 1.2", t_cold / t_dot <= 1.2)
    row("  ratio cache off / dot: wall, CPU", f"{t_off/t_dot:.2f}, {c_off/c_dot:.2f}", "", None)

    # 3. in-process renders per second and memory over 1,000 renders.
    out = subprocess.run([BENCH, Q1], capture_output=True, text=True, check=True, env=ENV).stdout
    inproc = json.loads(out)
    plain_dot = os.path.join(tempfile.gettempdir(), "bpviz-bench-plain.dot")
    t_dot_plain, _ = median_run([DOT, "-Knop2", "-Tsvg", plain_dot, "-o", os.path.join(tmp, "plain.svg")])
    t_dot_html, _ = median_run([DOT, "-Knop2", "-Tsvg", q1dot, "-o", os.path.join(tmp, "html.svg")])
    inproc["dot_process_ms_plain"] = t_dot_plain * 1000
    inproc["dot_process_ms_html"] = t_dot_html * 1000
    figures["in_process"] = inproc
    speedup = t_dot_html * 1000 / inproc["html_ms_per_render"]
    row("in-process renders/s, worked example (HTML labels)", f"{inproc['html_renders_per_second']:.0f}/s", "", None)
    row("  vs one `dot` process per render", f"{speedup:.1f}× faster", "≥ 5×", speedup >= 5)
    row("in-process renders/s, same graph, plain labels", f"{inproc['plain_renders_per_second']:.0f}/s", "", None)
    row("  RSS growth, 1,000 renders after 10 (plain labels)", f"{inproc['plain_rss_growth_mb']:.2f} MB", "< 2 MB", inproc["plain_rss_growth_mb"] < 2)
    row("  RSS growth, 1,000 renders (HTML labels; Graphviz 2.43 leak)", f"{inproc['html_rss_growth_mb']:.1f} MB", "(see README)", None)
    row("whole in-process pipeline (model→SVG), per diagram", f"{inproc['pipeline_ms_per_render']:.1f} ms", "", None)

    # 4. the worked example's deck against dot processes (CPU times from the same runs).
    deck = os.path.join(tmp, "deck")
    slides = [BPVIZ, "slides", Q1, "-o", deck]
    t_deck, mem_deck = median_run(slides, runs=max(3, RUNS // 2))
    c_deck = CPU[tuple(slides)]
    t_deck_cold, _ = median_run(slides, runs=max(3, RUNS // 2), before=without_cache_file)
    c_deck_cold = CPU[tuple(slides)]
    run(slides)  # leaves the cache warm for what follows
    frames = len([f for f in os.listdir(deck) if f.endswith(".svg")])
    start = time.perf_counter()
    c_per_frame = 0
    for _ in range(frames):
        run([DOT, "-Tsvg", q1dot, "-o", os.path.join(tmp, "frame.svg")])
        c_per_frame += run.cpu
    t_per_frame = time.perf_counter() - start
    figures["deck_q1"] = {"frames": frames, "seconds": t_deck, "cold_seconds": t_deck_cold, "one_dot_seconds": t_dot,
                          "dot_per_frame_seconds": t_per_frame, "cpu_seconds": c_deck, "cold_cpu_seconds": c_deck_cold,
                          "one_dot_cpu_seconds": c_dot, "dot_per_frame_cpu_seconds": c_per_frame, "peak_mb": mem_deck}
    row(f"deck of the worked example ({frames} SVG frames + HTML), warm: wall / CPU", f"{t_deck*1000:.0f} / {c_deck*1000:.0f} ms", "", None)
    row("  cold (no cache file): wall / CPU", f"{t_deck_cold*1000:.0f} / {c_deck_cold*1000:.0f} ms", "", None)
    row("  warm ÷ one `dot -Tsvg` process on one frame: wall, CPU", f"{t_deck/t_dot:.2f}×, {c_deck/c_dot:.2f}×", "≤ 2.5×", t_deck / t_dot <= 2.5)
    row("  cold ÷ one `dot -Tsvg` process on one frame: wall, CPU", f"{t_deck_cold/t_dot:.2f}×, {c_deck_cold/c_dot:.2f}×", "", None)
    row("  one `dot` process per frame, in a loop: wall / CPU", f"{t_per_frame*1000:.0f} / {c_per_frame*1000:.0f} ms", "", None)
    row("  speed-up over a process per frame (warm): wall, CPU", f"{t_per_frame/t_deck:.1f}×, {c_per_frame/c_deck:.1f}×", "≥ 15×",
        t_per_frame / t_deck >= 15)

    # 4b. decks of growing networks: time against frames × frame size, and peak memory.
    growth_rows = {}
    for widths in ("3-2-2-1", "4-4-4-2", "5-6-6-3", "6-8-8-3"):
        net = os.path.join(tmp, f"deck-{widths}.yaml")
        with open(net, "w") as f:
            f.write(subprocess.run([sys.executable, MICROGRAD, "--network", widths], capture_output=True, text=True, check=True).stdout)
        out_dir = os.path.join(tmp, f"deck-{widths}")
        args = [BPVIZ, "slides", net, "-o", out_dir, "--max-frames", "1000", "--max-deck-weights", "1000000"]
        run(args)  # warms the cache with this net's labels
        tg, mg = median_run(args, runs=3)
        cg = CPU[tuple(args)]
        svgs = [f for f in os.listdir(out_dir) if f.endswith(".svg")]
        size = sum(os.path.getsize(os.path.join(out_dir, f)) for f in svgs)
        page = os.path.getsize(os.path.join(out_dir, "index.html"))
        growth_rows[widths] = {"frames": len(svgs), "frame_mb": size / 1e6, "page_mb": page / 1e6, "seconds": tg,
                               "cpu_seconds": cg, "peak_mb": mg, "cpu_ms_per_frame_mb": cg * 1000 / (size / 1e6)}
        row(f"  deck of a {widths} net: {len(svgs)} frames, {size/1e6:.1f} MB of SVG + {page/1e6:.1f} MB page",
            f"{cg*1000:.0f} ms CPU, {mg:.0f} MB", "", None)
        row("    CPU per MB of frames", f"{cg*1000/(size/1e6):.0f} ms/MB", "", None)
    figures["deck_growth"] = growth_rows

    # 5. flow view of 784-128-64-10, and growth with width.
    t, mem = median_run([BPVIZ, "render", MNIST, "-o", os.path.join(tmp, "flow.svg"), "--view", "flow"], runs=max(3, RUNS // 2))
    figures["flow_784_128_64_10"] = {"seconds": t, "peak_mb": mem}
    row("flow view 784-128-64-10: time", f"{t*1000:.0f} ms", "≤ 2 s", t <= 2)
    row("flow view 784-128-64-10: peak memory", f"{mem:.1f} MB", "≤ 200 MB", mem <= 200)
    text = open(MNIST).read()
    growth = {}
    for width in (64, 128, 256):
        net = os.path.join(tmp, f"w{width}.yaml")
        t2 = re.sub(r"units: 128", f"units: {width}", text)
        t2 = re.sub(r"units: 64", f"units: {width}", t2)
        open(net, "w").write(t2)
        tw, _ = median_run([BPVIZ, "render", net, "-o", os.path.join(tmp, f"w{width}.svg"), "--view", "flow",
                            "--max-parameters", "1000000"], runs=3)
        growth[width] = tw
        weights = 784 * width + width * width + width * 10
        row(f"  flow view 784-{width}-{width}-10 ({weights:,} weights)", f"{tw*1000:.0f} ms", "", None)
    figures["flow_growth_seconds"] = growth

    # 6. the full view of a labelled 32-64-64-10 network.
    wide = [BPVIZ, "render", WIDE, "-o", os.path.join(tmp, "wide.svg"), "--view", "full"]
    t, mem = run(wide)
    c = run.cpu
    if t < 20:  # a slow render is timed once: repeating it would take the benchmark minutes
        t, mem = median_run(wide, runs=3)
        c = CPU[tuple(wide)]
    figures["full_32_64_64_10"] = {"seconds": t, "cpu_seconds": c, "peak_mb": mem}
    row("full view 32-64-64-10 (6,784 labelled edges): wall / CPU", f"{t*1000:.0f} / {c*1000:.0f} ms", "≤ 1.5 s", t <= 1.5)
    row("  peak memory", f"{mem:.0f} MB", "≤ 250 MB", mem <= 250)

    # 7. LaTeX: the worked example's TikZ figure against its SVG render, and the Beamer deck
    # against the SVG deck (pdflatex's compile time is LaTeX's and not counted). Each pair runs
    # in interleaved rounds, as the renders above, so a change in the machine's load hits both
    # alike (the SVG figures measured minutes earlier are not a fair peer).
    tikz = [BPVIZ, "render", Q1, "-o", os.path.join(tmp, "q1.tex"), "--view", "full"]
    beamer = [BPVIZ, "slides", Q1, "-o", os.path.join(tmp, "beamer"), "--format", "beamer"]
    pairs = {k: ([], []) for k in ("tikz", "svg", "beamer", "deck")}
    for i in range(RUNS):
        for key, args in (("tikz", tikz), ("svg", render)) + ((("beamer", beamer), ("deck", slides)) if i < max(3, RUNS // 2) else ()):
            pairs[key][0].append(run(args)[0])
            pairs[key][1].append(run.cpu)
    (t_tikz, t_render, t_beamer, t_svg_deck), (c_tikz, c_render, c_beamer, c_svg_deck) = (
        [statistics.median(pairs[k][n]) for k in ("tikz", "svg", "beamer", "deck")] for n in (0, 1))
    figures["render_q1_tikz"] = {"tikz_seconds": t_tikz, "svg_seconds": t_render, "ratio": t_tikz / t_render,
                                 "tikz_cpu_seconds": c_tikz, "svg_cpu_seconds": c_render, "cpu_ratio": c_tikz / c_render}
    row("render question-1 TikZ (whole process): wall / CPU", f"{t_tikz*1000:.0f} / {c_tikz*1000:.0f} ms", "", None)
    row("  ÷ the same render to SVG (interleaved): wall, CPU", f"{t_tikz/t_render:.2f}×, {c_tikz/c_render:.2f}×", "≤ 1", t_tikz <= t_render)
    figures["deck_q1_beamer"] = {"seconds": t_beamer, "svg_deck_seconds": t_svg_deck, "ratio": t_beamer / t_svg_deck,
                                 "cpu_seconds": c_beamer, "svg_deck_cpu_seconds": c_svg_deck, "cpu_ratio": c_beamer / c_svg_deck}
    row(f"Beamer deck of the worked example ({frames} frames): wall / CPU", f"{t_beamer*1000:.0f} / {c_beamer*1000:.0f} ms", "", None)
    row("  ÷ the SVG deck (interleaved): wall, CPU", f"{t_beamer/t_svg_deck:.2f}×, {c_beamer/c_svg_deck:.2f}×", "≤ 1", t_beamer <= t_svg_deck)

    # 8. training: XOR for 10,000 full-batch steps with a frame every 500 steps, and an
    # MNIST-sized net on 256 random samples (seeded), 100 steps of mini-batches of 32.
    XOR_DATA = os.path.join(ROOT, "Samples/xor-data.yaml")
    t, mem = median_run([BPVIZ, "train", XOR_DATA, "--steps", "10000", "--every", "500", "-o", os.path.join(tmp, "xor-run")], runs=max(3, RUNS // 2))
    figures["train_xor_10000"] = {"seconds": t, "peak_mb": mem}
    row("train XOR, 10,000 full-batch steps, 21 frames", f"{t*1000:.0f} ms", "< 1 s", t < 1)
    mnist_data = os.path.join(tmp, "mnist-data.yaml")
    write_mnist_data(mnist_data)
    t, mem = median_run([BPVIZ, "train", mnist_data, "--steps", "100", "--batch-size", "32", "--learning-rate", "0.05",
                         "--every", "50", "-o", os.path.join(tmp, "mnist-run")], runs=3)
    c = CPU[(BPVIZ, "train", mnist_data, "--steps", "100", "--batch-size", "32", "--learning-rate", "0.05",
             "--every", "50", "-o", os.path.join(tmp, "mnist-run"))]
    t_load, _ = median_run([BPVIZ, "values", mnist_data, "--format", "csv"], runs=3)
    c_load = CPU[(BPVIZ, "values", mnist_data, "--format", "csv")]
    figures["train_784_128_64_10"] = {"seconds": t, "cpu_seconds": c, "peak_mb": mem, "values_same_file_seconds": t_load,
                                      "values_same_file_cpu_seconds": c_load}
    row("train 784-128-64-10, 256 samples, 100 steps of 32, 3 frames: wall / CPU", f"{t*1000:.0f} / {c*1000:.0f} ms", "< 2 s", c < 2)
    row("  peak memory", f"{mem:.1f} MB", "< 200 MB", mem < 200)
    row("  (values on the same 1.4 MB file: reading it, one batch pass): wall / CPU", f"{t_load*1000:.0f} / {c_load*1000:.0f} ms", "", None)

    # 9. the ops view against micrograd's draw_dot pipeline (build, backward, draw, SVG
    # through the `dot` process), each as a whole process: the worked example (3-2-2-1) and a
    # generated 8-16-16-4 net with the same weights in both (micrograd_ops.py).
    t_ops, mem_ops = median_run([BPVIZ, "render", Q1, "-o", os.path.join(tmp, "ops.svg"), "--view", "ops"])
    c_ops = CPU[(BPVIZ, "render", Q1, "-o", os.path.join(tmp, "ops.svg"), "--view", "ops")]
    figures["ops_q1"] = {"bpviz_seconds": t_ops, "bpviz_cpu_seconds": c_ops, "peak_mb": mem_ops}
    row("ops view of the worked example (whole process): wall / CPU", f"{t_ops*1000:.0f} / {c_ops*1000:.0f} ms", "", None)
    has_micrograd = subprocess.run([sys.executable, "-c", "import micrograd, graphviz"], capture_output=True).returncode == 0
    if has_micrograd:
        mg_args = [sys.executable, MICROGRAD, os.path.join(tmp, "micrograd.svg")]
        t_mg, mem_mg = median_run(mg_args)
        c_mg = CPU[tuple(mg_args)]
        figures["ops_q1"].update({"micrograd_seconds": t_mg, "micrograd_cpu_seconds": c_mg, "micrograd_peak_mb": mem_mg,
                                  "speedup": t_mg / t_ops, "cpu_speedup": c_mg / c_ops})
        row("  micrograd + draw_dot, same network: wall / CPU", f"{t_mg*1000:.0f} / {c_mg*1000:.0f} ms", "", None)
        row("  speed-up of bpviz over micrograd: wall, CPU", f"{t_mg/t_ops:.1f}×, {c_mg/c_ops:.1f}×", "≥ 5×", t_mg / t_ops >= 5)
        net = os.path.join(tmp, "ops-8-16-16-4.yaml")
        with open(net, "w") as f:
            f.write(subprocess.run([sys.executable, MICROGRAD, "--network", "8-16-16-4"], capture_output=True, text=True, check=True).stdout)
        big = [BPVIZ, "render", net, "-o", os.path.join(tmp, "ops-big.svg"), "--view", "ops", "--max-ops", "1000"]
        t_big, mem_big = median_run(big, runs=3)
        c_big = CPU[tuple(big)]
        mg_big = [sys.executable, MICROGRAD, os.path.join(tmp, "micrograd-big.svg"), "8-16-16-4"]
        t_mg_big, mem_mg_big = median_run(mg_big, runs=3)
        c_mg_big = CPU[tuple(mg_big)]
        figures["ops_8_16_16_4"] = {"bpviz_seconds": t_big, "bpviz_cpu_seconds": c_big, "peak_mb": mem_big,
                                    "micrograd_seconds": t_mg_big, "micrograd_cpu_seconds": c_mg_big, "micrograd_peak_mb": mem_mg_big,
                                    "speedup": t_mg_big / t_big, "cpu_speedup": c_mg_big / c_big}
        row("ops view of an 8-16-16-4 net: wall / CPU", f"{t_big*1000:.0f} / {c_big*1000:.0f} ms", "", None)
        row("  micrograd + draw_dot, same network: wall / CPU", f"{t_mg_big*1000:.0f} / {c_mg_big*1000:.0f} ms", "", None)
        row("  speed-up of bpviz over micrograd: wall, CPU", f"{t_mg_big/t_big:.1f}×, {c_mg_big/c_big:.1f}×", "≥ 10×", t_mg_big / t_big >= 10)
    else:
        row("  micrograd + draw_dot: not installed", "skipped", "pip install micrograd graphviz", None)
    deck_ops = os.path.join(tmp, "deck-ops")
    t_deck_ops, _ = median_run([BPVIZ, "slides", Q1, "-o", deck_ops, "--steps", "ops"], runs=max(3, RUNS // 2))
    frames_ops = len([f for f in os.listdir(deck_ops) if f.endswith(".svg")])
    figures["deck_ops_q1"] = {"frames": frames_ops, "seconds": t_deck_ops}
    row(f"ops deck of the worked example ({frames_ops} SVG frames + HTML)", f"{t_deck_ops*1000:.0f} ms", "", None)

    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    gv = subprocess.run([DOT, "-V"], capture_output=True, text=True).stderr.strip()
    figures["machine"] = machine
    figures["graphviz"] = gv
    width = max(len(r[0]) for r in rows)
    load = os.getloadavg()
    figures["load_average"] = {"start": LOAD_START, "end": list(load)}
    print(f"bpviz benchmarks — median of {RUNS} runs where not stated; {machine}; {gv}")
    print(f"load average at the start {LOAD_START[0]:.1f}, at the end {load[0]:.1f} (1 min) on {os.cpu_count()} cores: "
          "wall times grow with it, CPU times much less")
    print(f"{'figure'.ljust(width)}  {'measured':>14}  {'target':>10}")
    for name, value, target, verdict in rows:
        print(f"{name.ljust(width)}  {value:>14}  {target:>10}  {verdict}")
    out_path = os.path.join(ROOT, "Tests/Benchmarks/results.json")
    with open(out_path, "w") as f:
        json.dump(figures, f, indent=2, sort_keys=True)
    print(f"\nwrote {os.path.relpath(out_path, ROOT)}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
