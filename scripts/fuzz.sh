#!/usr/bin/env bash
# Fuzzes the parsers of outside data (tests/fuzz.rs) for a fixed budget: CASES inputs per
# target (default 100,000), in release mode. Prints the targets and the executions.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${CASES:-100000}
targets=$(grep -c '^    fn ' tests/fuzz.rs)
echo "fuzz: $targets property targets × $cases cases = $((targets * cases)) executions"
start=$(date +%s)
PROPTEST_CASES=$cases cargo test --release --quiet --test fuzz
echo "fuzz: done in $(($(date +%s) - start)) s, no findings"
