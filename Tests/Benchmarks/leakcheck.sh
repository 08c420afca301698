#!/usr/bin/env bash
# `make leakcheck`: the binding and every output format under valgrind's memcheck. Reports the
# bytes "definitely lost" after suppressing Graphviz 2.43's own leaks (graphviz-2.43.supp
# says which and why), and every invalid read, write or free; anything left fails the check.
#
# Valgrind 3.19 cannot read the DWARF 5 that Swift 6 writes, so the binaries are stripped
# copies; stacks then show Swift frames as ???, which is enough to tell ours from Graphviz's.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "leakcheck: valgrind is not installed (apt-get install valgrind)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp .build/debug/bpviz "$work/bpviz"
strip "$work/bpviz"
status=0
check() {
  local name=$1; shift
  local log="$work/$name.log"
  valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --suppressions=Tests/Benchmarks/graphviz-2.43.supp --num-callers=40 "$@" >/dev/null 2>"$log" || true
  local lost
  lost=$(grep -E "definitely lost:" "$log" | sed -E 's/.*definitely lost: ([0-9,]+) bytes.*/\1/' | tr -d ,)
  local suppressed
  suppressed=$(grep -E "==[0-9]+== +suppressed: [0-9,]+ bytes" "$log" | sed -E "s/.*suppressed: ([0-9,]+) bytes.*/\1/" | tr -d ,)
  local invalid
  invalid=$(grep -cE "Invalid (read|write|free)|Mismatched free" "$log" || true)
  printf '%-34s definitely lost: %8s bytes (Graphviz, suppressed: %s bytes); invalid accesses: %s\n' "$name" "${lost:-0}" "${suppressed:-0}" "$invalid"
  if [ "${lost:-0}" != "0" ] || [ "$invalid" != "0" ]; then
    status=1
    grep -A25 -E "definitely lost in loss record|Invalid (read|write|free)" "$log" | head -60
  fi
}
for format in svg png pdf dot json; do
  check "render question-1 $format" "$work/bpviz" render Samples/question-1.yaml -o "$work/q1.$format" --view full
done
check "render dead-relu flow (svg)" "$work/bpviz" render Samples/dead-relu.yaml -o "$work/flow.svg" --view flow
check "slides question-1 (svg)" "$work/bpviz" slides Samples/question-1.yaml -o "$work/deck"
check "slides xor (png, layer steps)" "$work/bpviz" slides Samples/xor.yaml -o "$work/deck2" --format png --steps layer
check "values mnist" "$work/bpviz" values Samples/mnist-784-128-64-10.yaml --format json
check "explain --all latex" "$work/bpviz" explain Samples/question-1.yaml --all --format latex
check "bad input" "$work/bpviz" values Tests/BadInput/shape-rows.yaml
[ $status -eq 0 ] && echo "leakcheck: 0 bytes definitely lost from bpviz's own code, no invalid memory access" || echo "leakcheck: leaks or invalid accesses found (see above)"
exit $status
