#!/usr/bin/env bash
# Builds the console (services/portal/web → services/portal/web/dist, git-ignored) when the build
# is missing or older than any of its sources; otherwise does nothing (well under a second).
#   --force   build even when the dist is up to date
# The web sources have their own tsconfig (DOM, JSX); they are type-checked here, not by the root tsc.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
web=services/portal/web
stamp=$web/dist/index.html
# The sources: the web folder and the files outside it that it imports.
sources=("$web/src" "$web/index.html" "$web/vite.config.ts" "$web/tsconfig.json" services/shared/catalog.ts services/shared/contract.ts services/shared/auditLabels.ts services/shared/precision.ts services/portal/riskListViewRow.ts package-lock.json)
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ]; then
  newer=$(find "${sources[@]}" -newer "$stamp" -type f -print -quit 2>/dev/null || true)
  [ -z "$newer" ] && exit 0
fi
echo "[console] 构建控制台 / building the console (tsc + vite)" >&2
started=$(date +%s)
npx --no-install tsc -p "$web/tsconfig.json"
npx --no-install vite build --config "$web/vite.config.ts" >&2
echo "[console] 完成 / done in $(( $(date +%s) - started )) s → $web/dist" >&2
