#!/usr/bin/env bash
# Checks `make test`'s summary on sample XCTest logs, and that the target fails when a test
# fails or the run crashes. `make test` runs this first (SKIP_SUMMARY_TEST=1 stops the recursion).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect NAME STATUS SUMMARY: the log on stdin gives SUMMARY as the last line, and exit STATUS,
# both from test-summary.sh and from `make test` with a swift that prints the log.
expect() {
    local name=$1 status=$2 summary=$3
    cat > "$work/$name.log"
    local out got
    out=$(bash Tests/Scripts/test-summary.sh "$work/$name.log") && got=0 || got=$?
    if [ "$out" != "$summary" ] || [ "$got" != "$status" ]; then
        echo "test-summary: $name: got \"$out\" (exit $got), expected \"$summary\" (exit $status)"; failures=$((failures + 1))
    fi
    # The make target: a stand-in swift prints the log and exits as swift test would.
    printf '#!/bin/sh\ncat "%s"\nexit %s\n' "$work/$name.log" "$status" > "$work/swift"
    chmod +x "$work/swift"
    # (make's own "*** Error" line on failure comes after the summary)
    out=$(make -s --no-print-directory test SWIFT="$work/swift" SKIP_SUMMARY_TEST=1 TEST_LOG="$work/$name.make.log" 2>&1 | grep -Ev '^make(\[[0-9]+\])?: ') && got=0 || got=$?
    if [ "$(tail -1 <<<"$out")" != "$summary" ] || { [ "$status" = 0 ] && [ "$got" != 0 ]; } || { [ "$status" != 0 ] && [ "$got" = 0 ]; }; then
        echo "make test: $name: last line \"$(tail -1 <<<"$out")\" (exit $got), expected \"$summary\" (exit ${status/1/non-zero})"; failures=$((failures + 1))
    fi
}

# A skipped test: the last per-suite line that the old pattern matched said "6 passed, 0 failed".
expect skipped 0 "96 passed, 0 failed, 1 skipped" <<'LOG'
Test Suite 'All tests' started at 2026-11-29 10:00:00.000
Test Suite 'bpvizPackageTests.xctest' started at 2026-11-29 10:00:00.000
Test Suite 'BadInputTests' started at 2026-11-29 10:00:00.000
Test Case 'BadInputTests.testCorpus' started at 2026-11-29 10:00:00.000
/x/Tests/BadInputTests.swift:9: BadInputTests.testCorpus : Test skipped - needs root
Test Case 'BadInputTests.testCorpus' skipped (0.0 seconds)
Test Suite 'BadInputTests' passed at 2026-11-29 10:00:00.000
	 Executed 91 tests, with 1 test skipped and 0 failures (0 unexpected) in 80.0 (80.0) seconds
Test Suite 'WorkedExampleTests' passed at 2026-11-29 10:00:01.000
	 Executed 6 tests, with 0 failures (0 unexpected) in 0.5 (0.5) seconds
Test Suite 'bpvizPackageTests.xctest' passed at 2026-11-29 10:00:01.000
	 Executed 97 tests, with 1 test skipped and 0 failures (0 unexpected) in 80.5 (80.5) seconds
Test Suite 'All tests' passed at 2026-11-29 10:00:01.000
	 Executed 97 tests, with 1 test skipped and 0 failures (0 unexpected) in 80.5 (80.5) seconds
LOG

# One test failing twice (XCTest's total counts 2 failures: assertions, not tests), one skipped.
expect failing 1 "3 passed, 1 failed, 1 skipped" <<'LOG'
Test Suite 'All tests' started at 2026-11-29 10:55:30.057
Test Suite 'ATests' started at 2026-11-29 10:55:30.067
Test Case 'ATests.testFailTwice' started at 2026-11-29 10:55:30.067
/tmp/ATests.swift:5: error: ATests.testFailTwice : failed - one
/tmp/ATests.swift:5: error: ATests.testFailTwice : failed - two
Test Case 'ATests.testFailTwice' failed (0.001 seconds)
Test Case 'ATests.testPass' passed (0.0 seconds)
Test Case 'ATests.testSkip' skipped (0.0 seconds)
Test Suite 'ATests' failed at 2026-11-29 10:55:30.068
	 Executed 3 tests, with 1 test skipped and 2 failures (0 unexpected) in 0.001 (0.001) seconds
Test Suite 'BTests' passed at 2026-11-29 10:55:30.068
	 Executed 2 tests, with 0 failures (0 unexpected) in 0.0 (0.0) seconds
Test Suite 'debug.xctest' failed at 2026-11-29 10:55:30.068
	 Executed 5 tests, with 1 test skipped and 2 failures (0 unexpected) in 0.001 (0.001) seconds
Test Suite 'All tests' failed at 2026-11-29 10:55:30.068
	 Executed 5 tests, with 1 test skipped and 2 failures (0 unexpected) in 0.001 (0.001) seconds
LOG

# All passing, run with --filter: the total is 'Selected tests'; "1 test" in the singular.
expect selected 0 "1 passed, 0 failed, 0 skipped" <<'LOG'
Test Suite 'Selected tests' started at 2026-11-29 10:00:00.000
Test Case 'GraphvizTests.testX' passed (0.1 seconds)
Test Suite 'GraphvizTests' passed at 2026-11-29 10:00:00.100
	 Executed 1 test, with 0 failures (0 unexpected) in 0.1 (0.1) seconds
Test Suite 'Selected tests' passed at 2026-11-29 10:00:00.100
	 Executed 1 test, with 0 failures (0 unexpected) in 0.1 (0.1) seconds
LOG

# The test process died (signal): suites finished before it, but no total.
expect crashed 1 "no XCTest total in the log (\"Executed N tests\" after Test Suite 'All tests'): the test run crashed or did not start" <<'LOG'
Test Suite 'All tests' started at 2026-11-29 10:00:00.000
Test Suite 'AnnotationTests' passed at 2026-11-29 10:00:00.100
	 Executed 17 tests, with 0 failures (0 unexpected) in 0.1 (0.1) seconds
Test Case 'GraphvizTests.testY' started at 2026-11-29 10:00:00.100
Fatal error: Recursive call to lock Mutex
error: Exited with unexpected signal code 4
LOG

if [ "$failures" -gt 0 ]; then echo "test-summary-test: $failures check(s) failed"; exit 1; fi
echo "test-summary-test: the summary and the make target hold on 4 sample logs"
