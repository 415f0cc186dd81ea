#!/usr/bin/env bash
# Proves the constant-time harness can see a leak: the deliberately leaky case must make
# memcheck report a secret-dependent branch (exit status 42 and the report in the output).
set -u
valgrind="$1"; checker="$2"; suppressions="$3"
# Same options as the real checks, suppressions included: they must not hide a real leak.
output=$("$valgrind" --error-exitcode=42 --quiet --suppressions="$suppressions" "$checker" \
         leaky-control 2>&1)
status=$?
if [[ $status -ne 42 ]] || ! grep -q "depends on uninitialised value" <<<"$output"; then
  echo "expected memcheck to report the leaky control (status $status):"
  echo "$output"
  exit 1
fi
echo "memcheck reported the deliberate leak, as it must"
