#!/usr/bin/env bash
# Rebuilds the worked rectification from the sample store (run from the package root after a change
# to the bundle format; SamplesTests says when it is needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
swift build -q
.build/debug/seqport export --store Samples/sample-store.sqlite --subject s-00001 \
  --generated-at 2026-01-01T00:00:00Z --out "$tmp" >/dev/null
cp "$tmp/seqport-s-00001-access.zip" Samples/rectification/original.zip
python3 - <<'PY'
import zipfile
d = "Samples/rectification/"
src = zipfile.ZipFile(d + "original.zip")
old = src.read("csv/contact.csv").decode("utf-8")
new = old.replace('"Åsa ""Ace"" Lindström-O\'Brien, PhD"', "Åsa Lindström-O'Brien").replace(",en,2024", ",sv,2024")
assert new != old
open(d + "edited-contact.csv", "w", newline="").write(new)
with zipfile.ZipFile(d + "edited.zip", "w", zipfile.ZIP_DEFLATED) as out:   # as a subject's zip tool would
    for info in src.infolist():
        data = new.encode("utf-8") if info.filename == "csv/contact.csv" else src.read(info.filename)
        zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 5, 9, 30, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        out.writestr(zi, data)
PY
cp Samples/sample-store.sqlite "$tmp/store.sqlite"
(cd Samples/rectification && ../../.build/debug/seqport import edited.zip --store "$tmp/store.sqlite" --config ../seqport.json > plan.txt)
cat Samples/rectification/plan.txt
