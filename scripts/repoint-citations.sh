#!/usr/bin/env bash
# Repoints the code's citations of the contract to the copies kept in the repository:
#   spec `cors.md` §1B, spec cors.md §2, spec/cors.md, `cors.md`, spec §4.4  ->  docs/spec/cors.md …
#   DESIGN.md, DESIGN "Storage"                                               ->  docs/architecture.md …
#   "The README's options table"                                              ->  docs/configuration.md
# (the same for s3, access, versioning and bucket-config). Bare `§N` stay as they are: in a file
# they refer to the last docs/spec/NAME.md named before them, else to docs/spec/cors.md
# (test/docs-citations.test.ts checks every one). Idempotent: a second run changes nothing.
# Usage: scripts/repoint-citations.sh   (from anywhere; edits files in place, prints what changed)
set -euo pipefail
cd "$(dirname "$0")/.."

NAMES='cors|s3|access|versioning|bucket-config'
dirs=()
for d in server storage cors-engine policy-engine bench test bin; do [ -d "$d" ] && dirs+=("$d"); done

mapfile -t files < <(
  { find "${dirs[@]}" -type f \( -name '*.ts' -o -name '*.md' \) -not -path '*/node_modules/*'; echo index.ts; } |
    grep -v '^test/docs-citations\.test\.ts$' | sort
)

before=$(cat "${files[@]}" | md5sum)
sed -i -E \
  -e "s/spec \`(${NAMES})\.md\`/docs\/spec\/\1.md/g" \
  -e "s/(^|[^/[:alnum:]_-])spec (${NAMES})\.md/\1docs\/spec\/\2.md/g" \
  -e "s/(^|[^/[:alnum:]_-])spec\/(${NAMES})\.md/\1docs\/spec\/\2.md/g" \
  -e "s/(^|[^/[:alnum:]_-])(${NAMES})\.md/\1docs\/spec\/\2.md/g" \
  -e "s/(^|[^/[:alnum:]_-])[Ss]pec §/\1docs\/spec\/cors.md §/g" \
  -e 's/DESIGN\.md/docs\/architecture.md/g' \
  -e 's/DESIGN "/docs\/architecture.md "/g' \
  -e "s/The README's options table/The options table of docs\/configuration.md/g" \
  "${files[@]}"
after=$(cat "${files[@]}" | md5sum)

if [ "$before" = "$after" ]; then echo "repoint-citations: nothing to change"; else git diff --stat -- "${files[@]}" 2>/dev/null || true; fi
