#!/usr/bin/env bash
# `make test`'s last line, from an XCTest log: "N passed, F failed, S skipped".
#
# The counts come from XCTest's total for the whole run, the "Executed …" line that follows
# "Test Suite 'All tests'" (or 'Selected tests' under --filter). A per-suite line is not the
# total, and the pattern must allow "with 1 test skipped and 0 failures". That total counts
# failed assertions, not tests, so the failed tests are the "Test Case '…' failed" lines.
# Exits non-zero when a test failed or the log has no total (the run crashed or never ran).
set -euo pipefail
log=${1:?usage: test-summary.sh XCTEST-LOG}
awk '
    /^Test Suite '\''(All tests|Selected tests)'\'' (passed|failed) at / { total = 1; next }
    total && $1 == "Executed" {
        # "Executed 5 tests, with 1 test skipped and 2 failures (0 unexpected) in …"
        # "Executed 5 tests, with 2 failures (0 unexpected) in …"
        executed = $2 + 0
        if ($7 == "skipped") { skipped = $5 + 0; failures = $9 + 0 } else { skipped = 0; failures = $5 + 0 }
        found = 1; total = 0; failedCases = failedSoFar
        next
    }
    /^Test Case '\''.*'\'' failed \(/ { failedSoFar++ }
    END {
        if (!found) {
            print "no XCTest total in the log (\"Executed N tests\" after Test Suite '\''All tests'\''): the test run crashed or did not start"
            exit 1
        }
        failed = failedCases
        # Failures recorded outside any test case still fail the run.
        if (failures > 0 && failed == 0) failed = failures
        printf "%d passed, %d failed, %d skipped\n", executed - skipped - failed, failed, skipped
        exit (failed > 0 ? 1 : 0)
    }
' "$log"
