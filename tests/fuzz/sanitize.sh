#!/usr/bin/env bash
# The sanitizer pass of ./test.sh: builds libtmailshared, libtmailserver, the tmail binary,
# a subset of the tests and every fuzz target with clang and
# -fsanitize=address,undefined (+ fuzzer coverage) in build-asan/, then runs
#   - the test suites below under ASan/UBSan (any report fails the suite),
#   - each fuzz target over its seed corpus (tests/fuzz/*/corpus) as a regression test.
# Prints one line per suite like test.sh, then "SANITIZE_TOTALS passed failed skipped".
# Usage: sanitize.sh [WORKDIR]   (BUILD_ASAN_DIR overrides build-asan/)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_ASAN_DIR:-$root/build-asan}
work=${1:-$(mktemp -d /tmp/tmail-asan.XXXXXX)}
mkdir -p "$work"
suites=(tests/shared/tst_mailaddress tests/shared/tst_config tests/shared/tst_managerprotocol
        tests/server/tst_datareader tests/server/tst_smtpd tests/server/tst_hostile)
targets=(fuzz_smtpcommand fuzz_mailaddress fuzz_datareader fuzz_config fuzz_managerframe fuzz_mtasts fuzz_tlsa fuzz_dkim fuzz_lmtpreply)

totals() { echo "SANITIZE_TOTALS $1 $2 $3"; }

if ! command -v clang++ >/dev/null; then
    echo "sanitize.sh: installing clang"
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang) >"$work/apt.log" 2>&1
fi
if ! command -v clang++ >/dev/null; then
    echo "sanitize.sh: clang is not available: sanitizer pass skipped"
    totals 0 0 1
    exit 0
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0

start=$(date +%s)
mkdir -p "$build"
if ! (cd "$build" \
      && qmake6 -r -spec linux-clang \
             "QMAKE_CXXFLAGS+=-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
             "QMAKE_LFLAGS+=-fsanitize=address,undefined" "$root/tmail.pro" >/dev/null \
      && make -s -j"$(nproc)" sub-shared sub-server \
      && make -s -j"$(nproc)" -C tests/common \
      && for suite in "${suites[@]}"; do make -s -j"$(nproc)" -C "$suite" || exit 1; done \
      && mkdir -p tests/fuzz && cd tests/fuzz \
      && qmake6 -r -spec linux-clang "TMAIL_FUZZ_BUILD_ROOT=$build" "$root/tests/fuzz/fuzz.pro" >/dev/null \
      && make -s -j"$(nproc)") >"$work/build-asan.log" 2>&1; then
    tail -30 "$work/build-asan.log"
    echo "sanitize.sh: the sanitizer build failed (see $work/build-asan.log)"
    totals 0 1 0
    exit 0
fi
echo "sanitizer build: $(( $(date +%s) - start )) s"

passed=0 failed=0 skipped=0
for suite in "${suites[@]}"; do
    name=$(basename "$suite")
    log="$work/asan-$name.log"
    (cd "$build/$suite" && timeout -k 10 600 "./$name" -maxwarnings 0) >"$log" 2>&1
    code=$?
    totals=$(grep -E '^Totals: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -1)
    if [ -n "$totals" ]; then
        read -r p f s < <(echo "$totals" | sed -E 's/^Totals: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
    else
        p=0 f=1 s=0
    fi
    # A sanitizer report fails the suite even when every check passed.
    if grep -qE '^(==[0-9]+==ERROR: |SUMMARY: (Address|UndefinedBehavior|Leak)Sanitizer)|runtime error: ' "$log" \
        || { [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; }; then
        f=$((f + 1))
    fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    printf '%-32s %4d passed %4d failed %4d skipped\n' "asan:$name" "$p" "$f" "$s"
    if [ "$f" -ne 0 ]; then
        grep -E '^(FAIL!|   Loc:|QFATAL)|ERROR: |runtime error: |SUMMARY: ' "$log" | head -20
        [ -n "$totals" ] || tail -20 "$log"
    fi
done

for target in "${targets[@]}"; do
    binary="$build/tests/fuzz/$target/$target"
    corpus="$root/tests/fuzz/$target/corpus"
    log="$work/fuzz-$target.log"
    # -runs=0: every file of the corpus once, nothing new is written.
    (cd "$work" && timeout -k 10 300 "$binary" -runs=0 "$corpus") >"$log" 2>&1
    code=$?
    files=$(find "$corpus" -type f | wc -l)
    if [ "$code" -eq 0 ] && ! grep -qE 'ERROR: |runtime error: ' "$log"; then
        passed=$((passed + 1))
        printf '%-32s %4d passed %4d failed %4d skipped  (%d corpus files)\n' "fuzz:$target" 1 0 0 "$files"
    else
        failed=$((failed + 1))
        printf '%-32s %4d passed %4d failed %4d skipped\n' "fuzz:$target" 0 1 0
        grep -E 'ERROR: |runtime error: |SUMMARY: |Test unit written' "$log" | head -10
    fi
done
echo "sanitizer pass: $(( $(date +%s) - start )) s in all"
totals "$passed" "$failed" "$skipped"
