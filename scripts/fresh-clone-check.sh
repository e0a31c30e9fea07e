#!/usr/bin/env bash
# A newcomer's first commands, on a fresh clone in an empty folder: no ../shared beside it, no
# Chromium, CI unset. `npm install && npm start` must serve; `npm test` must exit 0 and name the
# suites it skipped for a missing prerequisite; with CI=true the same suites must fail, naming it.
# Usage: scripts/fresh-clone-check.sh [repository]   (default: this one; clones its committed HEAD)
# .ci/run runs it. Exit 0 when every check holds; the first failed check is named on stderr.
set -euo pipefail

repo="$(cd "${1:-$(dirname "$0")/..}" && pwd)"

# Chromium hidden: where the machine has Debian's, run in a private mount namespace with /dev/null
# bound over it (the tests accept only an executable file), so the clone meets no browser at all.
if [ -z "${FRESH_CLONE_INNER:-}" ] && [ -e /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null; then
  exec unshare --mount --propagation private env FRESH_CLONE_INNER=1 bash -c 'mount --bind /dev/null /usr/bin/chromium && exec bash "$0" "$1"' "$0" "$repo"
fi
hide_browser=()
if [ -z "${FRESH_CLONE_INNER:-}" ] && [ -e /usr/bin/chromium ]; then
  # No namespace to hide it in (not root): name a browser that is not there instead.
  hide_browser=(CHROMIUM_PATH=/nonexistent/chromium)
  echo "fresh-clone: cannot hide /usr/bin/chromium here (needs root and unshare); using CHROMIUM_PATH=/nonexistent/chromium"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/token-echo-fresh-XXXXXX")"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM -- "-$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "fresh-clone: FAILED: $*" >&2
  exit 1
}

git clone --quiet "$repo" "$work/token-echo"
cd "$work/token-echo"
[ ! -e ../shared ] || fail "../shared exists beside the clone"

# The environment of someone who just cloned: no CI, no schema or browser settings, a HOME of their
# own (so no browser playwright-core downloaded earlier), npm's cache kept (the same packages, fetched once).
npm_cache="$(npm config get cache)"
newcomer=(env -u CI -u TOKEN_ECHO_CONNECTOR_SCHEMAS -u CHROMIUM_PATH -u NO_COLOR
  HOME="$work/home" npm_config_cache="$npm_cache" PLAYWRIGHT_BROWSERS_PATH="$work/no-browsers" "${hide_browser[@]}")
mkdir -p "$work/home"

echo "fresh-clone: npm install"
"${newcomer[@]}" npm install --no-audit --no-fund >"$work/install.log" 2>&1 || { tail -30 "$work/install.log"; fail "npm install"; }

echo "fresh-clone: npm start"
PORT=0 setsid "${newcomer[@]}" npm start >"$work/start.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 120); do
  url="$(grep -o 'http://localhost:[0-9]*' "$work/start.log" | head -1 || true)"
  [ -n "$url" ] && grep -q 'Function key' "$work/start.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/start.log"; fail "npm start exited"; }
  sleep 0.5
done
[ -n "$url" ] || { cat "$work/start.log"; fail "npm start did not print its URL within 60 s"; }
status="$(curl -s -o "$work/echo.json" -w '%{http_code}' "$url/api/echo")"
[ "$status" = 200 ] && grep -q '"verdict":"no_token"' "$work/echo.json" || fail "npm start: GET $url/api/echo answered $status"
kill -TERM -- "-$server"
wait "$server" 2>/dev/null || true
server=""
echo "fresh-clone: npm start served $url/api/echo (200, no_token), then stopped"

echo "fresh-clone: npm test"
"${newcomer[@]}" npm test >"$work/test.log" 2>&1 || { tail -60 "$work/test.log"; fail "npm test exited non-zero"; }
grep -q 'Skipped (prerequisite missing' "$work/test.log" || { tail -40 "$work/test.log"; fail "npm test did not list the skipped suites"; }
for suite in test/connector/definition.test.ts test/e2e/viewer.test.ts; do
  grep -q "^  $suite > .*needs " "$work/test.log" || { tail -40 "$work/test.log"; fail "npm test did not name $suite as skipped"; }
done
sed -n '/Test Files/,/Tests /p' "$work/test.log"
sed -n '/Skipped (prerequisite missing/,$p' "$work/test.log"

echo "fresh-clone: CI=true on the suites with prerequisites"
if "${newcomer[@]}" CI=true npx vitest run test/connector/definition.test.ts test/e2e/viewer.test.ts >"$work/ci.log" 2>&1; then
  tail -30 "$work/ci.log"
  fail "with CI=true a missing prerequisite passed"
fi
for needed in "Microsoft's connector schemas" "Chromium"; do
  grep -q "missing prerequisite (CI=true: a failure, not a skip): $needed" "$work/ci.log" || { tail -40 "$work/ci.log"; fail "with CI=true the failure did not name $needed"; }
done
grep 'missing prerequisite' "$work/ci.log" | sort -u | sed 's/^/  /'
echo "fresh-clone: all checks held"
