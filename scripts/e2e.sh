#!/usr/bin/env bash
# Browser end-to-end tests: headless Chromium (Debian's) drives the real app — the development build
# of the Go backend serving frontend/dist with live bindings — through a fresh workspace. Two files run
# at a time (E2E_CONCURRENCY), each with its own workspace, port and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb.sh
start_xvfb 97
export E2E_BIN="$PWD/build/bin/rosterdesk-dev" E2E_OUT="$PWD/build/test/e2e"
# Every copy of origins the app reads is compared with its workspace (backend/store/origincopy.go).
export ROSTERDESK_CHECK_COPIES=1
mkdir -p "$E2E_OUT"
cd frontend
node --test --test-reporter=tap --test-concurrency="${E2E_CONCURRENCY:-2}" e2e/*.e2e.mjs
