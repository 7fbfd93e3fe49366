#!/bin/bash
# Do the deadline tests tell each term of the order apart? (issue 10, item 5)
# Changes one term of the shipped procedures at a time (R-P2-11: 13 days to execute, 5 to
# return, 1 to send and accept, the 10-day guidance, an extension of up to 13 days), runs the
# given tests and counts the failures; the procedures' data is restored at the end, and on
# interruption. Run it in a scratch copy of the tree, not in one you are editing:
#   bench/mutate_terms.sh tests/appeals/test_deadline_terms.py tests/appeals/test_deadline_engine.py
# Results and the figures measured so far: docs/testing.md.
set -u
J=murojaat/appeals/data/procedures.json
SAVED=$(mktemp)
cp "$J" "$SAVED"
trap 'cp "$SAVED" "$J"; rm -f "$SAVED"' EXIT
for m in execution_days:13:12 return_days:5:4 accept_days:1:2 guidance_days:10:9 \
         max_extension_days:13:12; do
  IFS=: read -r field from to <<< "$m"
  cp "$SAVED" "$J"
  sed -i "s/\"$field\": $from,/\"$field\": $to,/g" "$J"
  echo "== $field $from -> $to: $(.venv/bin/pytest "$@" -q -p no:randomly --tb=no 2>&1 | tail -1)"
done
