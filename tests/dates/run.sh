#!/usr/bin/env bash
# The whole suite with the system clock set to other days (libfaketime): no test may
# depend on the wall clock. Installs Debian's faketime when it is missing (root), then
# runs pytest once per day below; any failure stops here with the day named.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
DAYS=("2026-12-02 10:00:00" "2027-03-01 10:00:00" "2028-02-29 10:00:00")

if ! command -v faketime >/dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "test-dates: faketime is missing; install it as root: apt-get install faketime" >&2
        exit 1
    fi
    echo "test-dates: installing faketime" >&2
    apt-get install -y -qq faketime >/dev/null 2>&1 || {
        apt-get update -qq >/dev/null && apt-get install -y -qq faketime >/dev/null; }
fi
for day in "${DAYS[@]}"; do
    echo "test-dates: the suite on ${day%% *}" >&2
    # the clock starts at that moment and runs on, as a real one does
    TEXTUAL_ANIMATIONS=none faketime "$day" "$PY" -m pytest -p no:cacheprovider "$@" \
        || { echo "test-dates: the suite fails on ${day%% *}" >&2; exit 1; }
done
