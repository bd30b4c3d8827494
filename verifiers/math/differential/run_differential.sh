#!/bin/sh
# Differential test of the math verifier against Math-Verify 0.8.0 (PyPI), as a test oracle only.
# Creates (once) a virtual environment under ${XDG_CACHE_HOME:-$HOME/.cache}/arbiter/venvs/
# mathverify, generates the corpus (seeded), runs both graders on every item and prints the
# agreement table per category. Fails on any disagreement that is not a named deviation in
# deviations.json.  usage: run_differential.sh path/to/math_oracle_cli [seed]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cli=$1
seed=${2:-20261201}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/arbiter/venvs/mathverify
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import math_verify' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "math-verify==0.8.0" "antlr4-python3-runtime==4.13.2"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "seed $seed"
python3 "$here/generate_corpus.py" --seed "$seed" > "$work/corpus.jsonl"
"$venv/bin/python" "$here/mathverify_oracle.py" < "$work/corpus.jsonl" > "$work/mv.jsonl" 2>/dev/null
"$cli" < "$work/corpus.jsonl" > "$work/arbiter.jsonl"
python3 "$here/compare_verdicts.py" "$work/corpus.jsonl" "$work/mv.jsonl" "$work/arbiter.jsonl" \
  "$here/deviations.json"
