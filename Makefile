# bpviz — the two commands README.md starts with: `make demo` and `make test`.
SWIFT ?= swift
SHELL := /bin/bash
RELEASE_BIN := .build/release/bpviz
DEMO_DIR ?= demo
# The Swift standard library and Foundation linked into the executable: a few milliseconds
# less start-up for every command (fewer shared libraries to load and relocate). A build
# flag, not an unsafeFlags setting, so the library products stay usable as dependencies.
# Position-independent, as Debian builds every executable: a fixed-address link
# (-Xlinker --no-pie) saves ~0.8 ms of relocations per command, within the noise of a cold
# render, and would give up address randomisation of the code that parses untrusted
# network files. Instead the binary's ~79,000 relative relocations are packed (DT_RELR:
# 15 kB instead of a 1.9 MB table the loader reads at every start; `bpviz --version` 4.6 →
# 3.9 ms), which needs lld, shipped with the Swift toolchain (GNU gold cannot), and
# glibc ≥ 2.36 to load it; without either the link is the usual one.
SWIFT_LLD := $(wildcard $(dir $(shell command -v $(SWIFT) 2>/dev/null))ld.lld)
GLIBC_RELR := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ split($$2, v, "."); if (v[1] > 2 || (v[1] == 2 && v[2] >= 36)) print "yes" }')
PACKED_RELOCS := $(if $(and $(SWIFT_LLD),$(GLIBC_RELR)),-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
# Generic types the code names (ArgumentParser's Option<String>, our Dictionary<Key, Entry>…)
# get their metadata from an accessor the compiler writes, not from a mangled name the runtime
# decodes at first use: decoding checks each generic requirement by scanning all ~5,900
# protocol-conformance records of the static binary. Interleaved, 41 runs: warm render of the
# worked example 16.8 → 16.1 ms, cold 30.6 → 29.7 ms, `bpviz --version` 4.1 → 3.7 ms; the
# binary grows by 0.1 %. Also a build-command flag, so the library products are unaffected.
DIRECT_METADATA := -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
RELEASE_FLAGS := -c release --static-swift-stdlib $(PACKED_RELOCS) $(DIRECT_METADATA)

# `make install PREFIX=/usr/local DESTDIR=…`: the binary, its man page and shell completions.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR := $(DESTDIR)$(PREFIX)/bin
MAN1DIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
# What install-files copies; the CLI tests point these at a debug build.
BPVIZ ?= $(RELEASE_BIN)
MANPAGE ?= .build/plugins/GenerateManual/outputs/bpviz/bpviz.1

.PHONY: deps build release test demo readme-images bench leakcheck clean manual install install-files uninstall docs doc-coverage

# Installs Graphviz's C libraries (and the `dot` program the benchmark compares against)
# when pkg-config cannot find them, and TeX Live's LaTeX, TikZ and Beamer when pdflatex or
# they are missing. Needs root or sudo, as on Debian.
deps:
	@if ! pkg-config --exists libgvc || ! command -v dot >/dev/null 2>&1; then \
		echo "Installing libgraphviz-dev and graphviz…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q libgraphviz-dev graphviz pkg-config; \
	fi
	@if [ ! -s /usr/lib/x86_64-linux-gnu/graphviz/config6a ] && [ ! -s /usr/lib/graphviz/config6a ] && command -v dot >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); $$SUDO dot -c; fi

	@# pdflatex, TikZ and Beamer for the LaTeX outputs' tests, pdftotext/pdfinfo to read the PDFs back.
	@if ! command -v pdflatex >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 \
		|| ! kpsewhich tikz.sty >/dev/null 2>&1 || ! kpsewhich beamer.cls >/dev/null 2>&1; then \
		echo "Installing texlive-latex-base, texlive-pictures, texlive-latex-recommended and poppler-utils…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q texlive-latex-base texlive-pictures texlive-latex-recommended poppler-utils; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product bpviz

# The tests are XCTest; Swift Testing is switched off so the run does not end on its
# "0 tests" line. The last line is "N passed, F failed, S skipped" from XCTest's total
# (Tests/Scripts/test-summary.sh), and the target fails when a test failed or the run crashed.
# First, Tests/Scripts/test-summary-test.sh checks that summary on sample logs.
TEST_LOG ?= .build/test.log
test: deps
	@[ -n "$(SKIP_SUMMARY_TEST)" ] || bash Tests/Scripts/test-summary-test.sh
	@mkdir -p "$$(dirname "$(TEST_LOG)")"; set -o pipefail; \
		$(SWIFT) test --disable-swift-testing 2>&1 | tee "$(TEST_LOG)"; status=$$?; \
		bash Tests/Scripts/test-summary.sh "$(TEST_LOG)" || status=1; \
		exit $$status

demo: release
	@mkdir -p $(DEMO_DIR)
	$(RELEASE_BIN) values Samples/question-1.yaml
	@for view in forward backward full flow; do \
		$(RELEASE_BIN) render Samples/question-1.yaml -o $(DEMO_DIR)/question-1-$$view.svg --view $$view && \
		$(RELEASE_BIN) render Samples/question-1.yaml -o $(DEMO_DIR)/question-1-$$view.png --view $$view || exit 1; \
	done
	$(RELEASE_BIN) slides Samples/question-1.yaml -o $(DEMO_DIR)/question-1-slides
	$(RELEASE_BIN) explain Samples/question-1.yaml --all --format markdown > $(DEMO_DIR)/question-1-solution.md
	@echo "Wrote $(DEMO_DIR)/question-1-{forward,backward,full,flow}.{svg,png}, $(DEMO_DIR)/question-1-solution.md"
	@echo "and the slide deck $(DEMO_DIR)/question-1-slides/index.html"

# The pictures README.md shows, regenerated from the samples.
readme-images: release
	@mkdir -p Samples/pictures
	$(RELEASE_BIN) render Samples/question-1.yaml -o Samples/pictures/question-1-full.png --view full --dpi 110
	$(RELEASE_BIN) render Samples/dead-relu.yaml -o Samples/pictures/dead-relu-flow.png --view flow --dpi 110
	@for n in sigmoid relu; do rm -rf .build/train-$$n && $(RELEASE_BIN) train Samples/deep-$$n-data.yaml -o .build/train-$$n && \
		cp .build/train-$$n/gradients.svg Samples/pictures/deep-$$n-gradients.svg || exit 1; done
	$(RELEASE_BIN) render Samples/question-1.yaml -o Samples/pictures/question-1-ops.png --view ops --dpi 60

bench: release
	$(SWIFT) build $(RELEASE_FLAGS) --product bpviz-bench
	@python3 Tests/Benchmarks/bench.py

leakcheck: build
	@bash Tests/Benchmarks/leakcheck.sh

# The man page, generated from the command definitions by swift-argument-parser's
# generate-manual plugin (it builds the package in release mode first, so `install` links
# the static binary after it).
manual: deps
	$(SWIFT) package plugin generate-manual

install: manual
	$(SWIFT) build $(RELEASE_FLAGS) --product bpviz
	@$(MAKE) --no-print-directory install-files

# Copies what `install` built; completions come from the binary itself.
install-files:
	@test -x "$(BPVIZ)" || { echo "install: $(BPVIZ) is missing; run make install" >&2; exit 1; }
	@test -s "$(MANPAGE)" || { echo "install: $(MANPAGE) is missing; run make install" >&2; exit 1; }
	install -d "$(BINDIR)" "$(MAN1DIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 755 "$(BPVIZ)" "$(BINDIR)/bpviz"
	install -m 644 "$(MANPAGE)" "$(MAN1DIR)/bpviz.1"
	"$(BINDIR)/bpviz" --generate-completion-script bash > "$(BASHDIR)/bpviz"
	"$(BINDIR)/bpviz" --generate-completion-script zsh > "$(ZSHDIR)/_bpviz"
	"$(BINDIR)/bpviz" --generate-completion-script fish > "$(FISHDIR)/bpviz.fish"
	@echo "Installed $(BINDIR)/bpviz, its man page and bash, zsh and fish completions."

uninstall:
	rm -f "$(BINDIR)/bpviz" "$(MAN1DIR)/bpviz.1" "$(BASHDIR)/bpviz" "$(ZSHDIR)/_bpviz" "$(FISHDIR)/bpviz.fish"

# DocC documentation of the four libraries (an overview and a walkthrough each), one
# archive per library in .build/docs; not part of `make test`.
DOC_TARGETS := NetworkModel Annotation Rendering Graphviz
docs: deps
	BPVIZ_DOCS=1 $(SWIFT) package generate-documentation $(addprefix --target ,$(DOC_TARGETS))
	@rm -rf .build/docs && mkdir -p .build/docs
	@for t in $(DOC_TARGETS); do cp -R .build/plugins/Swift-DocC/outputs/$$t.doccarchive .build/docs/; done
	@echo "Wrote .build/docs/{$$(echo $(DOC_TARGETS) | tr ' ' ,)}.doccarchive (open with: xcrun docc preview, or serve one with a static web server)"

# How many of the libraries' public declarations have a doc comment, per module, from the
# symbol graphs of a debug build (Tests/Scripts/doc-coverage.py says what counts).
# `make doc-coverage DOC_COVERAGE_FLAGS=--missing` lists the undocumented ones; not part of `make test`.
DOC_COVERAGE_FLAGS ?=
doc-coverage:
	@out=$$($(SWIFT) package dump-symbol-graph --skip-synthesized-members 2>&1); \
		dir=$$(printf '%s\n' "$$out" | sed -n 's/^Files written to //p'); \
		if [ -z "$$dir" ]; then printf '%s\n' "$$out" >&2; echo "doc-coverage: swift package dump-symbol-graph failed" >&2; exit 1; fi; \
		python3 Tests/Scripts/doc-coverage.py $(DOC_COVERAGE_FLAGS) "$$dir"

clean:
	rm -rf .build $(DEMO_DIR)
