#!/usr/bin/env bash
# Runs every test of the solution. On a fresh machine it needs only the .NET 10 SDK (and the NuGet feed);
# the tests start what they need themselves (the service on loopback, SQLite files under the temp folder).
# Ends with the plain summary line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log="$(mktemp)"
dotnet test ReferralDirectory.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly result lines: "Passed!  - Failed: 0, Passed: 104, Skipped: 0, Total: 104, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
# Some SDK/logger combinations print only the run summary ("Total tests: N" / "Passed: N" / "Failed: N"): use it then.
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && grep -qE '^Total tests: [0-9]+' "$log"; then
  read -r passed failed skipped < <(awk '/^Total tests:/ {run=1} run && /^ +Passed: +[0-9]+/ {p+=$2} run && /^ +Failed: +[0-9]+/ {f+=$2} run && /^ +Skipped: +[0-9]+/ {s+=$2} END {print p+0, f+0, s+0}' "$log")
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or run failure counts as a failure
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
