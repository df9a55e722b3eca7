#!/usr/bin/env bash
# `whp` (package bin): the publisher CLI, scripts/cli/whp.ts. Runs from the repo root so that
# tsx and the code are found; the caller's directory is passed on for relative file paths.
set -euo pipefail
export WHP_CWD="${WHP_CWD:-$PWD}"
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
exec npx --no-install tsx scripts/cli/whp.ts "$@"
