#!/usr/bin/env bash
# The native benchmark (docs/benchmarks.md, "Native benchmark"): builds the lean host and the hand-written C
# filters with gcc, publishes the samples natively (NativeAOT, linux-x64), and drives them interleaved.
# Usage: benchmarks/native/run.sh [--batches N] [--requests N] [--no-publish] [--callgrind | --breakdown | --floor]
# Output: one table per scenario (allow, deny); BENCH_OUT (default /tmp/proxywasm-native-bench) keeps the binaries.
# --callgrind: instead of timing, count instructions per request with valgrind's callgrind (deterministic, so not
# disturbed by other load on the machine): each module alone, counting only inside the measured batch (run_batch).
# --breakdown: callgrind's instructions per call inside each export and host function of the HelloWorld pair (inclusive:
# a host function's count includes the module's allocator when the host calls it; an export's, its host calls).
# --floor: the cost of one empty export and of one host call, C against NativeAOT (floor/floor.sh; --requests N is the
# number of calls per timed batch there).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${BENCH_OUT:-/tmp/proxywasm-native-bench}"
publish=1
callgrind=0
breakdown=0
floor=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-publish) publish=0; shift ;;
    --callgrind) callgrind=1; shift ;;
    --breakdown) breakdown=1; shift ;;
    --floor) floor=1; shift ;;
    --batches|--requests) args+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--batches N] [--requests N] [--no-publish]" >&2; exit 2 ;;
  esac
done
if [ "$floor" = 1 ]; then
  [ "$publish" = 1 ] || args+=(--no-publish)
  exec "$here/floor/floor.sh" ${args[@]+"${args[@]}"}
fi
mkdir -p "$out"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -rdynamic -o "$out/bench_host" "$here/bench_host.c" -ldl
for filter in empty hello_world header_authorization add_header; do
  gcc -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -o "$out/c_$filter.so" "$here/filters/$filter.c"
done
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -DFULL_EXPORTS \
  -o "$out/c_hello_world_full.so" "$here/filters/hello_world.c"
# the stricter references: the same C filters with the allocation strategy of ProxyWasm's allocator (a bump arena)
for filter in hello_world header_authorization; do
  gcc -std=gnu11 -O2 -Wall -Wextra -Werror -fPIC -shared -fvisibility=hidden -DARENA_ALLOCATOR \
    -o "$out/c_${filter}_arena.so" "$here/filters/$filter.c"
done
samples=(HelloWorld HeaderAuthorization AddHeader)
if [ "$publish" = 1 ]; then
  for sample in "${samples[@]}"; do
    dotnet publish "$repo/samples/$sample" -c Release -r linux-x64 -o "$out/$sample" -nologo -v quiet >/dev/null
    # valgrind 3.19 cannot read the DWARF of the .dbg file: keep only its symbol table
    objcopy --strip-debug "$out/$sample/$sample.so.dbg" "$out/$sample/$sample.so.dbg.tmp"
    mv "$out/$sample/$sample.so.dbg.tmp" "$out/$sample/$sample.so.dbg"
  done
fi
cd "$out"
if [ "$breakdown" = 1 ]; then
  printf '%-22s %-34s %9s\n' module function Ir/call
  for so in c_hello_world.so c_hello_world_full.so HelloWorld/HelloWorld.so; do
    for fn in proxy_on_context_create proxy_on_request_headers proxy_on_delete proxy_on_memory_allocate \
              proxy_get_header_map_value proxy_replace_header_map_value; do
      # every call counts: 20,000 warm-up requests, 1 checked, 5,000 measured
      n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=$fn ./bench_host --batches 1 \
        --requests 5000 allow "m=./$so" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
      [ "${n:-0}" -gt 0 ] && printf '%-22s %-34s %9.1f\n' "${so##*/}" "$fn" "$(bc -l <<< "$n/25001")"
    done
  done
  exit 0
fi
if [ "$callgrind" = 1 ]; then
  # Instructions per request of each module alone; -empty and ratio as in the timed table (ratio: filter-attributable
  # instructions over those of the hand-written C filter of the same row group).
  requests=5000
  count() { # scenario module.so -> instructions per request
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect=run_batch ./bench_host --batches 1 \
      --requests $requests --configuration 'world!' "$1" "m=$2" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  printf '%-36s %9s %9s %7s\n' "module (Ir/request)" "Ir" "-empty" "ratio"
  for scenario in allow deny; do
    empty=$(( $(count $scenario ./c_empty.so) ))
    printf '%-36s %9.1f %9.1f\n' "[$scenario] empty" "$(bc -l <<< "$empty/$requests")" 0
    pairs="c_hello_world.so:HelloWorld/HelloWorld.so c_hello_world_arena.so:HelloWorld/HelloWorld.so
      c_header_authorization.so:HeaderAuthorization/HeaderAuthorization.so
      c_header_authorization_arena.so:HeaderAuthorization/HeaderAuthorization.so c_add_header.so:AddHeader/AddHeader.so"
    [ $scenario = deny ] && pairs="c_header_authorization.so:HeaderAuthorization/HeaderAuthorization.so
      c_header_authorization_arena.so:HeaderAuthorization/HeaderAuthorization.so"
    for pair in $pairs; do
      c=$(( $(count $scenario "./${pair%%:*}") - empty ))
      net=$(( $(count $scenario "./${pair##*:}") - empty ))
      printf '%-36s %9s %9.1f\n' "[$scenario] ${pair%%:*}" "" "$(bc -l <<< "$c/$requests")"
      printf '%-36s %9s %9.1f %7.2f\n' "[$scenario] ${pair##*/}" "" "$(bc -l <<< "$net/$requests")" "$(bc -l <<< "$net/$c")"
    done
  done
  exit 0
fi
# The empty filter first: every other row's "-empty" column is its cost minus the empty filter's, batch by batch;
# name=module.so@reference prints the ratio of that to the reference module's (the C filter doing the same work).
./bench_host "${args[@]}" --configuration 'world!' allow \
  empty=./c_empty.so \
  c_hello_world=./c_hello_world.so c_hello_world_full=./c_hello_world_full.so@c_hello_world \
  HelloWorld=./HelloWorld/HelloWorld.so@c_hello_world \
  c_hello_world_arena=./c_hello_world_arena.so@c_hello_world \
  c_header_authorization=./c_header_authorization.so \
  HeaderAuthorization=./HeaderAuthorization/HeaderAuthorization.so@c_header_authorization \
  c_header_authorization_arena=./c_header_authorization_arena.so@c_header_authorization \
  c_add_header=./c_add_header.so AddHeader=./AddHeader/AddHeader.so@c_add_header
./bench_host "${args[@]}" deny \
  empty=./c_empty.so \
  c_header_authorization=./c_header_authorization.so \
  HeaderAuthorization=./HeaderAuthorization/HeaderAuthorization.so@c_header_authorization \
  c_header_authorization_arena=./c_header_authorization_arena.so@c_header_authorization
