#!/usr/bin/env bash
# Runs every test in the solution. This is the README's test command; .ci/run calls it.
# It installs and starts whatever the tests need on this machine (see "Tests" in README.md).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Real servers the tests talk to, from Debian's packages (they start them on 127.0.0.1 themselves).
need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
# PR Author's Go sample is checked with gofmt and `go mod edit` (git, python3, node and a JDK are on the image).
command -v gofmt >/dev/null 2>&1 || need+=(golang-go)
# The dashboard tests drive Debian's chromium headless through Playwright (which never downloads a browser).
[ -x /usr/bin/chromium ] || need+=(chromium)
# The RCA gRPC interop test runs npm's @grpc/grpc-js on Node.js (its packages: `npm ci`, cached under tests/).
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
# The validator produces Kafka messages with Confluent.Kafka, whose native part is Debian's librdkafka1; its tests run
# librdkafka's mock cluster (no Kafka broker package exists), so the library is all they need.
compgen -G "/usr/lib/*/librdkafka.so.1" >/dev/null || need+=(librdkafka1)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} from Debian's packages"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

dotnet build Autopilot.sln -c Release -nologo -v quiet
log=$(mktemp)
set +e
dotnet test Autopilot.sln -c Release --no-build -nologo -v quiet --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)! +- Failed:/ { gsub(",", ""); f += $4; p += $6; s += $8 } END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
