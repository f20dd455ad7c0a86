#!/usr/bin/env bash
# Performance figures for the README's performance section. Not a test: it prints numbers.
#
#   scripts/bench.sh            # all sizes (the largest plan is ~85 MB, generated once)
#   scripts/bench.sh --quick    # the 10k and 100k plans only
#
# For each plan: wall time of a full `check` and of the parse-only pass over the same files
# (each the median of RUNS=9 runs, the two taking turns), their ratio, declarations per
# second, peak RSS against the input size; then the growth from 100k to 1.1M declarations,
# `show` and `free` against `check` on the largest plan, `check --base HEAD` against `check` on
# it committed to git with one file edited, the two pathological plans, and one
# run of the Python baseline (bench/baseline.py) on the largest plan.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
[ "${1:-}" = "--quick" ] && quick=true

cargo build --release --quiet --bin ipam-lint --example gen-plan --example parse-only
bin=target/release/ipam-lint
gen=target/release/examples/gen-plan
parse=target/release/examples/parse-only
work=target/bench
mkdir -p "$work"

# plan NAME ARGS...: generates target/bench/NAME once.
plan() {
  local name=$1; shift
  if [ ! -f "$work/$name/.complete" ]; then
    rm -rf "${work:?}/$name"
    "$gen" "$work/$name" "$@" >/dev/null
    touch "$work/$name/.complete"
  fi
  echo "$work/$name"
}

# run_once CMD...: prints the seconds of one run, from the shell's microsecond clock.
run_once() {
  local start=$EPOCHREALTIME status=0
  "$@" >/dev/null 2>"$work/stderr.txt" || status=$?
  local end=$EPOCHREALTIME
  # A plan with findings exits 1; anything else is a failure of the benchmark.
  if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    cat "$work/stderr.txt" >&2
    exit "$status"
  fi
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", b - a }'
}

# peak_kb CMD...: the peak RSS of one run, in KB, from /usr/bin/time (in runs of its own, so
# that its start-up is not timed).
peak_kb() {
  /usr/bin/time -f "%M" -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/time.txt"
}

median() { sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }

# measure CMD...: prints "seconds peak_rss_kb": the median time of three runs, then the peak.
measure() {
  echo "$(for _ in 1 2 3; do run_once "$@"; done | median) $(peak_kb "$@")"
}

# compare PLAN: prints "check_s check_kb parse_s" for PLAN, each time the median of $RUNS
# runs. The check and the parse-only pass take turns, so that the machine's drift from
# minute to minute (about 10% here) weighs on both alike instead of on their ratio.
RUNS=${RUNS:-9}
compare() {
  local checks=() parses=()
  for _ in $(seq "$RUNS"); do
    parses+=("$(run_once "$parse" "$1")")
    checks+=("$(run_once "$bin" check "$1" --format json)")
  done
  local check_s parse_s
  check_s=$(printf '%s\n' "${checks[@]}" | median)
  parse_s=$(printf '%s\n' "${parses[@]}" | median)
  echo "$check_s $(peak_kb "$bin" check "$1" --format json) $parse_s"
}

input_mb() { du -sm --apparent-size "$1" | cut -f1; }
declarations() { "$parse" "$1" | awk '{print $3}'; }

sizes=(small:9000 medium:90000 large:1000000)
$quick && sizes=(small:9000 medium:90000)

printf '%-8s %6s %9s %13s %9s %9s %7s %12s %9s %9s\n' \
  plan files input_MB declarations check_s parse_s ratio decl_per_s rss_MB rss/input
declare -A check_time decl_count
for entry in "${sizes[@]}"; do
  name=${entry%%:*}; addresses=${entry##*:}
  dir=$(plan "$name" --addresses "$addresses")
  files=$(find "$dir" -name '*.yaml' -o -name '*.toml' | grep -vc 'ipam-lint.toml$' || true)
  mb=$(input_mb "$dir")
  decls=$(declarations "$dir")
  read -r check_s check_kb parse_s < <(compare "$dir")
  check_time[$name]=$check_s; decl_count[$name]=$decls
  awk -v n="$name" -v f="$files" -v mb="$mb" -v d="$decls" -v c="$check_s" -v p="$parse_s" -v kb="$check_kb" 'BEGIN {
    rss = kb / 1024
    printf "%-8s %6d %9d %13d %9.3f %9.3f %7.2f %12.0f %9.0f %9.2f\n", n, f, mb, d, c, p, c / p, d / c, rss, rss / mb
  }'
done

if ! $quick; then
  awk -v a="${check_time[medium]}" -v b="${check_time[large]}" -v da="${decl_count[medium]}" -v db="${decl_count[large]}" 'BEGIN {
    printf "\ngrowth: %.1fx the declarations cost %.1fx the time: %.2fx per unit of input (target: at most 1.10, that is 11x the time for 10x the input)\n", db / da, b / a, (b / a) / (db / da)
  }'

  # show and free read the plan as check does, then walk the model: side by side with check,
  # taking turns, the median of $RUNS runs each.
  large=$work/large
  # A pull request's review: the large plan committed to a git repository, one file edited.
  repo=$work/large-git
  if [ ! -f "$repo/.complete" ]; then
    rm -rf "${repo:?}"
    cp -r "$large" "$repo"
    rm "$repo/.complete"
    git -C "$repo" init --quiet
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit --quiet -m plan
    sed -i 's|cidr: 10.0.96.0/24|cidr: 10.0.97.0/24|; s|name: d1-net-48,|name: d1-net-48b,|' "$repo/dc1/fabric-000.yaml"
    touch "$repo/.complete"
  fi
  views=(check show-json show-human free-scope check-git review)
  declare -A view_runs
  for _ in $(seq "$RUNS"); do
    view_runs[check]+=" $(run_once "$bin" check "$large" --format json)"
    view_runs[check-git]+=" $(run_once "$bin" check "$repo" --format json)"
    view_runs[review]+=" $(run_once "$bin" check "$repo" --base HEAD --format json)"
    view_runs[show-json]+=" $(run_once "$bin" show "$large" --format json)"
    view_runs[show-human]+=" $(run_once "$bin" show "$large" --color never)"
    view_runs[free-scope]+=" $(run_once "$bin" free "$large" --size 24 --scope /corp/dc1 --count 5)"
  done
  declare -A view_s
  for view in "${views[@]}"; do
    view_s[$view]=$(printf '%s\n' ${view_runs[$view]} | median)
  done
  echo
  for view in show-json show-human free-scope; do
    awk -v v="$view" -v s="${view_s[$view]}" -v c="${view_s[check]}" 'BEGIN {
      printf "%-10s on the large plan: %.3f s, %.2fx check (%.3f s; target: at most 1.30x)\n", v, s, s / c, c
    }'
  done
  awk -v s="${view_s[review]}" -v c="${view_s[check-git]}" 'BEGIN {
    printf "check --base HEAD, one file of the large plan edited: %.3f s, %.2fx check (%.3f s; target: at most 2x)\n", s, s / c, c
  }'

  echo
  big=$(plan one-big-subnet --shape one-big-subnet --addresses 1000000)
  read -r s kb < <(measure "$bin" check "$big" --format json)
  printf 'one /8 subnet holding 1M addresses: %.2f s, peak RSS %d MB\n' "$s" $((kb / 1024))
  overlap=$(plan overlapping-ranges --shape overlapping-ranges --ranges 100000)
  read -r s kb < <(measure "$bin" check "$overlap" --format json)
  findings=$("$bin" check "$overlap" --format json | grep -c '"rule": "overlapping-ranges"' || true)
  printf '100k mutually overlapping ranges: %.2f s, peak RSS %d MB, %d findings (one per range but the first)\n' "$s" $((kb / 1024)) "$findings"

  echo
  venv=target/bench-venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "pyyaml==6.0.4"
  fi
  large=$work/large
  /usr/bin/time -f "%e" -o "$work/time.txt" "$venv/bin/python" bench/baseline.py "$large" >/dev/null
  py_s=$(tail -n 1 "$work/time.txt")
  awk -v py="$py_s" -v ours="${check_time[large]}" 'BEGIN {
    printf "python baseline (PyYAML C loader + ipaddress, subset of the rules): %.2f s; ipam-lint all rules: %.2f s; %.1fx faster\n", py, ours, py / ours
  }'
fi
