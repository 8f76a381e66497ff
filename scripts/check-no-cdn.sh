#!/usr/bin/env bash
# Fails when a template or static source names a CDN: everything is served from our own static/.
set -euo pipefail
pattern='https?://(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com|ajax\.googleapis\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|maxcdn\.bootstrapcdn\.com|stackpath\.bootstrapcdn\.com|cdn\.skypack\.dev|esm\.sh)'
if git grep -n -I -E "$pattern" -- templates static engage; then
  echo "A CDN address was found above; serve the file from static/ instead." >&2
  exit 1
fi
echo "no CDN addresses in templates, static or engage"
