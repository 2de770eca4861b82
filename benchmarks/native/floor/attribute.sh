#!/usr/bin/env bash
# Self instructions per call of each function in a callgrind profile of floor_driver (docs/benchmarks.md, "Floor"),
# with the functions valgrind cannot name (the NativeAOT runtime's and the managed code) named from the symbol file.
# Usage: attribute.sh <callgrind.out (--dump-instr=yes)> <Floor.so.dbg> <named export> <calls>
set -euo pipefail
profile=$1 dbg=$2 export=$3 calls=$4
symbols=$(mktemp)
trap 'rm -f "$symbols"' EXIT
nm -n -t d --defined-only "$dbg" | awk 'NF == 3 && $2 ~ /^[tTwW]$/ { print $1 + 0, $3 }' > "$symbols"
# valgrind names an unnamed function of the runtime's .text by its address in the file, but puts the managed code
# section in no object, at its run-time address: load base = the export's entry in the profile (the target of
# run_batch's calls of it) - its nm address.
loaded=$(awk -v fn="$export" '
  match($0, /^c?fn=\([0-9]+\) /) && substr($0, RLENGTH + 1) == fn { id = substr($0, index($0, "(")) ; sub(/\).*/, ")", id) }
  id != "" && index($0, "cfn=" id) == 1 { getline; if ($1 ~ /^calls=/) { print $2; exit } }' "$profile")
linked=$(awk -v fn="$export" '$2 == fn { print $1; exit }' "$symbols")
[ -n "$loaded" ] && [ -n "$linked" ] || { echo "attribute.sh: $export not found in $profile or $dbg" >&2; exit 1; }
base=$(( loaded - 10#$linked ))
(( base % 4096 == 0 )) || { echo "attribute.sh: load base $base of $export is not page-aligned" >&2; exit 1; }
name_of() { # address -> symbol[+offset]
  awk -v a="$1" '$1 <= a { s = $2; o = a - $1 } $1 > a { exit } END { print (s == "" ? "?" : s) (o ? "+" o : "") }' "$symbols"
}
printf '  %-62s %8s\n' "function (self)" "Ir/call"
total=0
while read -r ir object name; do
  if [[ $name == 0x* ]]; then
    address=$(( name ))
    [ "$object" = "[???]" ] && address=$(( address - base ))
    name=$(name_of "$address")
  fi
  total=$(( total + ir ))
  printf '  %-62s %8.1f\n' "$name" "$(bc -l <<< "$ir/$calls")"
done < <(callgrind_annotate --inclusive=no --threshold=100 "$profile" |
  sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%)  \(.*\):\([^: ]*\) \(\[.*\]\)$/\1 \4 \3/p' | tr -d ,)
printf '  %-62s %8.1f\n' "total" "$(bc -l <<< "$total/$calls")"
