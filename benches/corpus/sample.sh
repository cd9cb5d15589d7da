#!/usr/bin/env bash
# Rotates logs and keeps the newest N, for the render benchmark.
set -euo pipefail

LOG_DIR="${LOG_DIR:-/var/log/app}"
KEEP="${KEEP:-7}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"

usage() {
    echo "usage: $0 [-d dir] [-k keep]" >&2
    exit 2
}

while getopts ":d:k:h" opt; do
    case "$opt" in
        d) LOG_DIR="$OPTARG" ;;
        k) KEEP="$OPTARG" ;;
        h|*) usage ;;
    esac
done

[[ -d "$LOG_DIR" ]] || { echo "no such directory: $LOG_DIR" >&2; exit 1; }

shopt -s nullglob
for log in "$LOG_DIR"/*.log; do
    size=$(stat -c %s "$log")
    if (( size > 0 )); then
        gzip -c "$log" > "${log%.log}-$STAMP.log.gz"
        : > "$log"
        printf 'rotated %s (%d bytes)\n' "$(basename "$log")" "$size"
    fi
done

mapfile -t old < <(ls -1t "$LOG_DIR"/*.log.gz 2>/dev/null | tail -n +"$((KEEP + 1))")
if ((${#old[@]})); then
    rm -f -- "${old[@]}"
    echo "removed ${#old[@]} old archives"
fi

trap 'echo "interrupted" >&2' INT TERM
exit 0
