#!/usr/bin/env bash
# The floor of a NativeAOT module (docs/benchmarks.md, "Floor: what one export and one host call cost"), run by
# benchmarks/native/run.sh --floor: builds floor_driver and floor_c.so with gcc, publishes Floor.csproj (NativeAOT,
# linux-x64), then prints instructions per call (callgrind, each export alone, only the measured calls), the
# per-function attribution of some C# exports, and ns/call of every export timed interleaved.
# Usage: floor.sh [--no-publish] [--batches N] [--calls N]   (--requests N = --calls N, as run.sh spells it)
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
out="${BENCH_OUT:-/tmp/proxywasm-native-bench}"
publish=1
batches=200
calls=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --no-publish) publish=0; shift ;;
    --batches) batches="$2"; shift 2 ;;
    --calls|--requests) calls="$2"; shift 2 ;;
    *) echo "usage: $0 [--no-publish] [--batches N] [--calls N]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -rdynamic -o "$out/floor_driver" "$here/floor_driver.c" -ldl
# no sibling calls: floor_call calls and returns, as a C# export must (its reverse P/Invoke frame forbids a tail call)
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -fno-optimize-sibling-calls \
  -o "$out/floor_c.so" "$here/floor_c.c"
if [ "$publish" = 1 ]; then
  dotnet publish "$here" -c Release -r linux-x64 -o "$out/floor" -nologo -v quiet >/dev/null
  # valgrind 3.19 cannot read the DWARF of the .dbg file: keep only its symbol table
  objcopy --strip-debug "$out/floor/Floor.so.dbg" "$out/floor/Floor.so.dbg.tmp"
  mv "$out/floor/Floor.so.dbg.tmp" "$out/floor/Floor.so.dbg"
fi
cd "$out"
c=./floor_c.so
net=./floor/Floor.so
# C# export : its C counterpart (the same work with no runtime)
rows="floor_empty:floor_empty floor_try:floor_empty floor_scope:floor_empty floor_stackalloc_zeroed:floor_empty
floor_stackalloc_skip:floor_empty floor_copy17:floor_empty floor_copy11:floor_empty floor_call_transition:floor_call
floor_call_suppressed:floor_call floor_call_suppressed_noinline:floor_call floor_call_x2_transition:floor_call_x2
floor_call_x2_suppressed:floor_call_x2 floor_call_x2_suppressed_noinline:floor_call_x2"
counted=100000
# The runtime is started by one call of floor_empty first, as a host's first callback would (floor_driver.c, --init).
init=(--init "$net:floor_empty")
declare -A ir
count() { # module.so export -> instructions per call, including run_batch's loop and indirect call
  local n start=()
  [ "$1" = "$net" ] && start=("${init[@]}")
  n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=run_batch ./floor_driver --batches 1 \
    --calls $counted ${start[@]+"${start[@]}"} "$1:$2" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  [ "${n:-0}" -gt 0 ] || { echo "floor.sh: callgrind counted nothing for $1:$2" >&2; exit 1; }
  bc -l <<< "$n/$counted"
}
for e in floor_empty floor_call floor_call_x2; do ir[c:$e]=$(count $c $e); done
for row in $rows; do ir[net:${row%%:*}]=$(count $net "${row%%:*}"); done
echo "Instructions per call (callgrind Ir, $counted calls after 20,000 warm-up, each export alone; run_batch's loop and"
echo "indirect call included in both columns). -C# empty: the C# Ir minus floor_empty's (the piece alone)."
printf '%-36s %-14s %8s %8s %8s %10s\n' "C# export" "C export" "C" "C#" "C#-C" "-C# empty"
for row in $rows; do
  cs=${row%%:*} ce=${row##*:}
  printf '%-36s %-14s %8.1f %8.1f %8.1f %10.1f\n' "$cs" "$ce" "${ir[c:$ce]}" "${ir[net:$cs]}" \
    "$(bc -l <<< "${ir[net:$cs]} - ${ir[c:$ce]}")" "$(bc -l <<< "${ir[net:$cs]} - ${ir[net:floor_empty]}")"
done
for kind in transition suppressed suppressed_noinline; do
  one=${ir[net:floor_call_$kind]} two=${ir[net:floor_call_x2_$kind]}
  printf '%-36s %-14s %8.1f %8.1f %8.1f\n' "x2 - x1, $kind" "x2 - x1" \
    "$(bc -l <<< "${ir[c:floor_call_x2]} - ${ir[c:floor_call]}")" "$(bc -l <<< "$two - $one")" \
    "$(bc -l <<< "($two - $one) - (${ir[c:floor_call_x2]} - ${ir[c:floor_call]})")"
done
echo
echo "Where a C# export's instructions go (callgrind self Ir per call, managed code named from Floor.so.dbg):"
for e in floor_empty floor_scope floor_stackalloc_zeroed floor_call_transition floor_call_suppressed \
         floor_call_suppressed_noinline; do
  valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$out/floor/callgrind.$e" --toggle-collect=run_batch \
    ./floor_driver --batches 1 --calls $counted "${init[@]}" "$net:$e" >/dev/null 2>&1
  echo "$e:"
  "$here/attribute.sh" "$out/floor/callgrind.$e" "$out/floor/Floor.so.dbg" "$e" $counted
done
echo
specs=()
for e in floor_empty floor_call floor_call_x2; do specs+=("$c:$e"); done
for row in $rows; do specs+=("$net:${row%%:*}"); done
./floor_driver --batches "$batches" --calls "$calls" "${init[@]}" "${specs[@]}"
