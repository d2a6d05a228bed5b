#!/usr/bin/env bash
# The load benchmark: generates N listings, imports them, starts the real service (Release, Production settings, rate
# limits raised) and a trivial Kestrel baseline, runs wrk against nearest, serving, browse by state, HSDS services and
# GET by id interleaved with the baseline, and prints req/s, p50, p99, bytes per answer, the ratio to the baseline,
# bytes allocated per request and memory. Usage: scripts/load-benchmark.sh [N...] [--seconds S]  (default 100000 1000000, 10 s).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; else echo "wrk is needed: sudo apt-get install wrk" >&2; exit 2; fi
fi
dotnet build ReferralDirectory.sln -c Release -v q -nologo >/dev/null
exec dotnet tests/ReferralDirectory.Benchmarks/bin/Release/net10.0/ReferralDirectory.Benchmarks.dll load "$@"
