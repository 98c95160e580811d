#!/usr/bin/env bash
# `npm test`: lint, types, unit, integration (real PostgreSQL), browser tests (real Chromium).
# Prints one closing line "tests: N passed, N failed" over all Vitest projects (a test file that
# fails to load, or a run that fails outside any test, counts as a failure).
set -uo pipefail
cd "$(dirname "$0")/.."

chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "npm test: Chromium is missing; installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || {
      echo "npm test: could not install chromium with apt-get; install it (apt-get install chromium) or set CHROMIUM_PATH" >&2; exit 1; }
  else
    echo "npm test: the browser tests need Chromium at $chromium_bin." >&2
    echo "  On Debian/Ubuntu: sudo apt-get install chromium   (or set CHROMIUM_PATH to a Chromium binary)" >&2
    exit 1
  fi
fi

set -e
echo "── lint"; npx eslint .
echo "── types"; npx tsc --noEmit
set +e

mkdir -p artifacts
status=0
passed=0
failed=0
for project in unit integration e2e; do
  echo "── tests: $project"
  rm -f "artifacts/vitest-$project.json"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="artifacts/vitest-$project.json"
  rc=$?
  [ $rc -ne 0 ] && status=$rc
  if [ -f "artifacts/vitest-$project.json" ]; then
    read -r p f < <(node scripts/test-counts.mjs "artifacts/vitest-$project.json")
    passed=$((passed + p)); failed=$((failed + f))
  elif [ $rc -ne 0 ]; then
    failed=$((failed + 1))
  fi
done
echo "tests: $passed passed, $failed failed"
exit $status
