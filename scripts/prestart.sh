#!/bin/sh
# npm's prestart: builds dist/ only when something in src/ (or a tsconfig) is newer than the last build's stamp,
# which scripts/build.mjs dates at the newest source it built from. Folders count too, so a deleted file does.
# A few milliseconds when nothing changed (no node process); scripts/build.mjs --if-stale decides otherwise.
stamp=dist/.built-from
if [ -f "$stamp" ] && [ -z "$(find src tsconfig.json tsconfig.build.json -newer "$stamp" 2>/dev/null | head -n 1)" ]; then
  exit 0
fi
exec node scripts/build.mjs --if-stale
