#!/usr/bin/env bash
# Rebuilds the worked partner example from the sample store (run from anywhere after a change to the
# bundle format or the plan; SamplesTests says when it is needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -q --product seqport
seqport=$PWD/.build/debug/seqport
cd Samples/partner
# 1. One bare partner file: Windows-1252, semicolons, the partner's own column names, mapped.
"$seqport" import contact.csv --subject s-00001 --encoding windows-1252 --delimiter auto --map map.json \
  --store ../sample-store.sqlite --config ../seqport.json > contact-plan.txt || test $? -eq 6
# 2. A partner bundle packed from JSON Lines, then imported.
"$seqport" pack --subject s-00001 --generated-at 2026-01-01T00:00:00Z --out partner.zip --config ../seqport.json email_addresses.jsonl >/dev/null
"$seqport" import partner.zip --store ../sample-store.sqlite --config ../seqport.json > pack-plan.txt || test $? -eq 6
# 3. A contact card as Google Takeout writes it (vCard 3.0), dropping on purpose what the contact cannot carry.
"$seqport" import takeout-contact.vcf --subject s-00001 --map takeout-map.json \
  --store ../sample-store.sqlite --config ../seqport.json > takeout-plan.txt || test $? -eq 6
cat contact-plan.txt pack-plan.txt takeout-plan.txt
