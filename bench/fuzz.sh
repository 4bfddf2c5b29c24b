#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz for a set time and reports, per target,
# executions, executions per second, coverage (edges: "cov") and features ("ft").
#   bench/fuzz.sh [SECONDS_PER_TARGET=60] [TARGET…]
# Builds the targets in build-asan/ first (clang, ASan+UBSan, see tests/fuzz/sanitize.sh).
# New inputs go to bench/results/tmp-fuzz/<target>/ (not the seed corpus in the repository);
# a crash is written there as crash-* : copy it into tests/fuzz/<target>/corpus/ as
# regress-* once fixed, so the sanitizer pass of ./test.sh replays it for ever.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_ASAN_DIR:-$root/build-asan}
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_smtpcommand fuzz_mailaddress fuzz_datareader fuzz_config fuzz_managerframe)
results=$root/bench/results/tmp-fuzz   # ignored by git: grows with every run
mkdir -p "$results"

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0

# Always through make: a build-asan/ left by an earlier run would otherwise fuzz old code.
(mkdir -p "$build" && cd "$build" \
    && { [ -f Makefile ] || qmake6 -r -spec linux-clang \
               "QMAKE_CXXFLAGS+=-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
               "QMAKE_LFLAGS+=-fsanitize=address,undefined" "$root/tmail.pro" >/dev/null; } \
    && make -s -j"$(nproc)" sub-shared && make -s -j"$(nproc)" -C server -f Makefile.serverlib) \
    || { echo "fuzz.sh: cannot build the sanitized libraries"; exit 1; }
(mkdir -p "$build/tests/fuzz" && cd "$build/tests/fuzz" \
    && qmake6 -r -spec linux-clang "TMAIL_FUZZ_BUILD_ROOT=$build" "$root/tests/fuzz/fuzz.pro" >/dev/null \
    && make -s -j"$(nproc)") || { echo "fuzz.sh: cannot build the fuzz targets"; exit 1; }

summary=$root/bench/results/fuzz-summary.txt
{ echo "# bench/fuzz.sh $seconds, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  printf '%-20s %8s %12s %10s %8s %8s %s\n' target seconds executions exec/s cov ft result; } | tee "$summary"
status=0
for target in "${targets[@]}"; do
    out=$results/$target
    mkdir -p "$out"
    log=$out/run.log
    # Bounded twice: libFuzzer's own clock and a hard timeout.
    timeout -k 10 $((seconds + 60)) "$build/tests/fuzz/$target/$target" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/" \
        "$out" "$root/tests/fuzz/$target/corpus" >"$log" 2>&1
    code=$?
    runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1)
    [ -n "$runs" ] || runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    result=ok
    if [ "$code" -ne 0 ]; then
        result="CRASH: $(ls "$out"/crash-* "$out"/leak-* "$out"/timeout-* 2>/dev/null | head -1)"
        status=1
    fi
    printf '%-20s %8s %12s %10s %8s %8s %s\n' "$target" "$seconds" "${runs:-?}" \
        "$(( ${runs:-0} / (seconds > 0 ? seconds : 1) ))" "${cov:-?}" "${ft:-?}" "$result" | tee -a "$summary"
done
exit $status
