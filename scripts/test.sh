#!/usr/bin/env bash
# Runs every test of the solution, and type-checks the widget. On a fresh machine it needs the .NET 10 SDK and Node.js (NuGet and npm feeds);
# it installs the rest (the Cosmos DB-protocol server from npm, Debian's chromium for the browser tests), and the
# tests start what they need themselves on loopback (the service, the Cosmos DB-protocol server, SQLite files under
# the temp folder).
# Ends with the plain summary line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# What the tests need besides the .NET SDK, each pinned by its npm lockfile: the Cosmos DB-protocol server, Spectral
# (lints the committed OpenAPI document) and TypeScript (type-checks the widget). Without Node.js the Cosmos tests are
# skipped with the reason and the widget is not type-checked; with CI=true they must run, so npm is required.
typecheck_failed=0
typecheck_passed=0
if command -v npm >/dev/null 2>&1; then
  for pkg in tests/cosmos-server tests/openapi-lint widget; do
    if ! npm ci --prefix "$pkg" --no-audit --no-fund --loglevel=error >/dev/null; then
      echo "npm ci --prefix $pkg failed." >&2
      echo "0 passed, 1 failed"
      exit 1
    fi
  done
  # The widget (wwwroot/widget, plain JavaScript with JSDoc types): tsc --checkJs. A type error counts as one failed test.
  if ! (cd widget && ./node_modules/.bin/tsc -p tsconfig.json); then
    echo "tsc --checkJs found type errors in the widget (above)." >&2
    typecheck_failed=1
  else
    echo "Widget type check (tsc --checkJs): no errors."
    typecheck_passed=1
  fi
elif [ "${CI:-}" = "true" ]; then
  echo "Node.js and npm are required in CI for the Cosmos DB tests and the widget's type check (npm not found)." >&2
  echo "0 passed, 1 failed"
  exit 1
else
  echo "Note: npm not found; the Cosmos DB tests will be skipped and the widget is not type-checked (install Node.js)." >&2
fi

# The browser tests drive Debian's chromium through Playwright (Playwright's own browser download cannot work here).
# Installed when missing; that needs root. Without it the browser tests are skipped with the reason, and fail in CI.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Note: /usr/bin/chromium is missing and installing it needs root: run 'sudo apt-get install -y chromium'." >&2
    echo "      Until then the browser tests are skipped (and fail with CI=true)." >&2
  elif ! command -v apt-get >/dev/null 2>&1; then
    echo "Note: /usr/bin/chromium is missing and apt-get is not available: install Debian's chromium package." >&2
  else
    echo "Installing chromium for the browser tests (apt-get install -y chromium)..." >&2
    apt_log="$(mktemp)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$apt_log" 2>&1; then
      tail -n 20 "$apt_log" >&2
      echo "apt-get install -y chromium failed; the browser tests will be skipped (and fail with CI=true)." >&2
    fi
    rm -f "$apt_log"
  fi
fi

log="$(mktemp)"
dotnet test ReferralDirectory.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly result lines: "Passed!  - Failed: 0, Passed: 104, Skipped: 0, Total: 104, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
# Newer test platforms print a "Total tests: N" block ("     Passed: N", "     Failed: N", "    Skipped: N") instead.
if ! grep -qE '^(Passed|Failed)!' "$log"; then
  read -r passed failed skipped < <(awk '/^Total tests:/ {on=1; next} on && /^ +Passed: +[0-9]+$/ {p+=$2} on && /^ +Failed: +[0-9]+$/ {f+=$2} on && /^ +Skipped: +[0-9]+$/ {s+=$2} /Total time:/ {on=0} END {print p+0, f+0, s+0}' "$log")
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or run failure counts as a failure
# the widget's type check counts as a test
if [ "$typecheck_failed" -ne 0 ]; then failed=$((failed + 1)); status=1; elif [ "$typecheck_passed" -eq 1 ]; then passed=$((passed + 1)); fi

# The committed OpenAPI document passes Spectral's default OAS ruleset with 0 errors and 0 warnings (one more check;
# skipped when a filter selects some tests only, or when npm is missing outside CI).
if [ "$#" -eq 0 ]; then
  spectral=tests/openapi-lint/node_modules/.bin/spectral
  if [ -x "$spectral" ]; then
    if "$spectral" lint openapi/referral-directory.v1.json -r tests/openapi-lint/.spectral.yaml --fail-severity=warn --display-only-failures; then
      echo "  Passed Spectral (spectral:oas) on openapi/referral-directory.v1.json: 0 errors, 0 warnings"
      passed=$((passed + 1))
    else
      echo "  Failed Spectral (spectral:oas) on openapi/referral-directory.v1.json: see the problems above"
      failed=$((failed + 1)); status=1
    fi
  else
    echo "  Skipped Spectral: tests/openapi-lint is not installed (needs npm)"
    skipped=$((skipped + 1))
  fi
  # The code follows .editorconfig (whitespace, import order, naming): fix with `dotnet format ReferralDirectory.sln`.
  format_log="$(mktemp)"
  if dotnet format ReferralDirectory.sln --verify-no-changes --no-restore >"$format_log" 2>&1; then
    echo "  Passed dotnet format --verify-no-changes: the code follows .editorconfig"
    passed=$((passed + 1))
  else
    grep -E "(error|warning) [A-Z]+[0-9]*:" "$format_log" | head -n 40
    echo "  Failed dotnet format --verify-no-changes: run 'dotnet format ReferralDirectory.sln' and commit the result"
    failed=$((failed + 1)); status=1
  fi
  rm -f "$format_log"
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
