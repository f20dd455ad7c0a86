#!/usr/bin/env bash
# Fuzzes the YAML loader, the TOML loader, the whole check (model, rules, reports) and the
# renderers (every report format, safe and bounded, on inputs up to 1 MiB). Not a test: it
# runs each target for the time it is given and prints what it did.
#
#   scripts/fuzz.sh                      # each target for 60 seconds
#   scripts/fuzz.sh 600                  # each target for 10 minutes
#   scripts/fuzz.sh 600 model_rules      # one target
#
# Installs cargo-fuzz if it is missing; needs a C++ compiler. Runs on the stable toolchain,
# so without sanitizers (they need nightly), with debug assertions: an integer overflow is a
# crash too. Each target's corpus is seeded from fixtures/ and examples/ and kept in
# fuzz/corpus/TARGET between runs. A crash, a hang (over 10 s) or an input needing over 2 GB
# stops its target and leaves the input in fuzz/artifacts/TARGET/; reproduce it with
#   cargo fuzz run -s none -a TARGET fuzz/artifacts/TARGET/crash-...
# then keep it, as the plan it stands for, in tests/data/fuzz/CASE/ (tests/fuzz_regressions.rs
# holds every case there to what the targets assert). The script fails if any target did.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(yaml_loader toml_loader model_rules renderers)

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz

# plan_files DIR: the declaration and config files under DIR, in canonical order.
plan_files() {
  find "$1" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.toml' \) -print0 | LC_ALL=C sort -z
}

# seed TARGET CORPUS: copies the bundled plans in, in the form the target reads.
seed() {
  local target=$1 corpus=$2 file dir out
  case $target in
    yaml_loader | toml_loader)
      while IFS= read -r -d '' file; do
        case "$target:$file" in
          yaml_loader:*.yaml | yaml_loader:*.yml | toml_loader:*.toml)
            cp "$file" "$corpus/seed-$(echo "$file" | tr / _)" ;;
        esac
      done < <(plan_files fixtures; plan_files examples)
      ;;
    renderers)
      seed model_rules "$corpus"
      # Lines far wider than a terminal, tabs, controls, and names that need escaping.
      python3 - "$corpus" <<'PY'
import sys
out = sys.argv[1]
def write(name, data):
    open(f"{out}/seed-{name}", "wb").write(data)
items = ", ".join("{cidr: 10.0.%d.0/24}" % (i % 200) for i in range(3000))
write("long-flow", f"subnets: [{items}]\n".encode())
write("tabs", b"subnets:\n  - {cidr:" + b"\t" * 17000 + b"10.0.0.0/24}\n  - {cidr: 10.0.0.0/24}\n")
write("controls", b'#!name \x1b[31m\x07\xe2\x80\xae%#?\nsubnets:\n  - {cidr: 10.0.0.0/24, name: "\\e[1m<b>[x](http://e)\\u202e"}\n  - {cidr: 10.0.0.0/24, name: "\\e[1m<b>[x](http://e)\\u202e"}\n')
write("long-name", b"subnets:\n  - {cidr: 10.0.0.0/24, name: " + b"n" * 1000 + b"}\n  - {cidr: 10.0.0.0/24, name: " + b"n" * 1000 + b"}\n")
PY
      ;;
    model_rules)
      # One input per plan directory: its files joined by NUL bytes, TOML files marked.
      for dir in fixtures/*/* examples/*/; do
        [ -d "$dir" ] || continue
        out="$corpus/seed-$(echo "${dir%/}" | tr / _)"
        : >"$out"
        local first=true
        while IFS= read -r -d '' file; do
          $first || printf '\0' >>"$out"
          first=false
          case $file in
            */ipam-lint.toml) printf '#!config\n' >>"$out" ;;
            *.toml) printf '#!toml\n' >>"$out" ;;
          esac
          cat "$file" >>"$out"
        done < <(plan_files "$dir")
      done
      ;;
  esac
}

failed=()
for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  seed "$target" "$corpus"
  log=fuzz/$target.log
  echo "== $target: $seconds s"
  status=0
  # The renderers are fed inputs past 64 KiB: long lines are what they must bound.
  max_len=65536
  extra=()
  if [ "$target" = renderers ]; then max_len=1048576; extra=(-len_control=0); fi
  cargo fuzz run --sanitizer none --debug-assertions "$target" "$corpus" -- \
    -dict=fuzz/plan.dict -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
  echo "   executions: ${runs:-?}, ${cov:-cov: ?}, corpus: $(ls "$corpus" | wc -l) inputs"
  if [ "$status" -ne 0 ]; then
    echo "   FAILED (status $status); see $log and fuzz/artifacts/$target/"
    grep -m 5 -E 'panicked|ERROR|SUMMARY' "$log" | sed 's/^/   /' || true
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]}"
  exit 1
fi
echo "no crashes"
