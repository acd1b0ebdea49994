#!/usr/bin/env bash
# Fuzzes each reader with libFuzzer for a fixed time: Fuzz/run.sh [seconds-per-target] [target…]
#
# Targets: csv json xml zip vcard (default: all). Each is compiled with swiftc -sanitize=fuzzer,address
# against the module sources (SwiftPM does not build libFuzzer executables), seeded from
# Fuzz/seeds/<target>/, and run with a 2 GiB memory limit and a 10 s per-input timeout. A crash, leak,
# timeout or out-of-memory fails the script; the input is saved under Fuzz/crashes/<target>/ — turn it
# into a regression test in that module's tests. The working corpus grows in .build-fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv json xml zip vcard)

out=.build-fuzz
mkdir -p "$out/modules"
flags=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -Onone -gline-tables-only -I "$out/modules")
libxml_include="$(pkg-config --cflags-only-I libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)"
xml_flags=(-I Sources/CLibXML2 $(echo "$libxml_include" | sed 's/-I/-Xcc -I/g'))

# Builds one module from its sources into an object and a .swiftmodule (only when a source is newer).
module() {
  local name="$1"; shift
  local sources=(Sources/"$name"/*.swift)
  local object="$out/modules/$name.o"
  local deps=()
  [ "$name" = SeqPortModel ] || deps=("$out/modules/SeqPortModel.o")
  if [ -f "$object" ] && [ -z "$(find "${sources[@]}" "${deps[@]}" -newer "$object" 2>/dev/null)" ]; then return; fi
  echo "fuzz: compiling $name" >&2
  swiftc "${flags[@]}" "$@" -wmo -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
    -c "${sources[@]}" -o "$object"
}

module SeqPortModel
build() {
  local target="$1"; local entry="$2"; shift 2
  echo "fuzz: linking $target" >&2
  swiftc "${flags[@]}" "$@" Fuzz/FuzzSupport.swift "$entry" -o "$out/$target-fuzz"
}

for t in "${targets[@]}"; do
  case "$t" in
    csv)  module SeqPortCSV;  build csv Fuzz/CSVFuzz.swift "$out/modules/SeqPortModel.o" "$out/modules/SeqPortCSV.o" ;;
    json) module SeqPortJSON; build json Fuzz/JSONFuzz.swift "$out/modules/SeqPortModel.o" "$out/modules/SeqPortJSON.o" ;;
    xml)  module SeqPortXML "${xml_flags[@]}"
          build xml Fuzz/XMLFuzz.swift "${xml_flags[@]}" "$out/modules/SeqPortModel.o" "$out/modules/SeqPortXML.o" -lxml2 ;;
    vcard) module SeqPortJSON; module SeqPortVCard
          build vcard Fuzz/VCardFuzz.swift "$out/modules/SeqPortModel.o" "$out/modules/SeqPortJSON.o" "$out/modules/SeqPortVCard.o" ;;
    zip)  module SeqPortArchive -I Sources/SeqPortZlib -I Sources/CLibDeflate
          build zip Fuzz/ZipFuzz.swift -I Sources/SeqPortZlib -I Sources/CLibDeflate "$out/modules/SeqPortModel.o" "$out/modules/SeqPortArchive.o" -lz -l:libdeflate.so.0 ;;
    *) echo "fuzz: unknown target $t (csv json xml zip vcard)" >&2; exit 2 ;;
  esac
done

status=0
for t in "${targets[@]}"; do
  corpus="$out/corpus/$t"; crashes="Fuzz/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  echo "fuzz: $t for ${seconds}s" >&2
  # Leak detection is off: the readers cache a few immutable tables for the process' lifetime.
  if ! SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$out/$t-fuzz" "$corpus" "Fuzz/seeds/$t" \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
      -artifact_prefix="$crashes/" -print_final_stats=1 >"$out/$t.log" 2>&1; then
    echo "fuzz: $t FAILED; the input is in $crashes/ (log: $out/$t.log)" >&2
    grep -E "ERROR|==[0-9]+==|Fatal error|panic|SUMMARY" "$out/$t.log" | head -20 >&2 || true
    status=1
  else
    echo "fuzz: $t ok ($(grep -E '^stat::number_of_executed_units' "$out/$t.log" | awk '{print $2}') runs)" >&2
  fi
done
exit $status
