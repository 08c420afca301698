# bpviz — the two commands README.md starts with: `make demo` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/bpviz
DEMO_DIR ?= demo

.PHONY: deps build release test demo bench leakcheck clean

# Installs Graphviz's C libraries (and the `dot` program the benchmark compares against)
# when pkg-config cannot find them. Needs root or sudo, as on Debian.
deps:
	@if ! pkg-config --exists libgvc || ! command -v dot >/dev/null 2>&1; then \
		echo "Installing libgraphviz-dev and graphviz…"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q libgraphviz-dev graphviz; \
	fi
	@if [ ! -s /usr/lib/x86_64-linux-gnu/graphviz/config6a ] && [ ! -s /usr/lib/graphviz/config6a ] && command -v dot >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); $$SUDO dot -c; fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) test

demo: release
	@mkdir -p $(DEMO_DIR)
	$(RELEASE_BIN) values Samples/question-1.yaml
	@if $(RELEASE_BIN) render --help >/dev/null 2>&1; then \
		for view in forward backward full flow; do \
			$(RELEASE_BIN) render Samples/question-1.yaml -o $(DEMO_DIR)/question-1-$$view.svg --view $$view && \
			$(RELEASE_BIN) render Samples/question-1.yaml -o $(DEMO_DIR)/question-1-$$view.png --view $$view || exit 1; \
		done; \
		$(RELEASE_BIN) slides Samples/question-1.yaml -o $(DEMO_DIR)/question-1-slides && \
		echo "Wrote $(DEMO_DIR)/question-1-*.svg|png and $(DEMO_DIR)/question-1-slides/index.html"; \
	fi

bench: release
	@bash Benchmarks/bench.sh

leakcheck: build
	@bash Benchmarks/leakcheck.sh

clean:
	rm -rf .build $(DEMO_DIR)
