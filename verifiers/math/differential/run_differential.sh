#!/bin/sh
# Differential test of the math verifier against Math-Verify 0.8.0 (PyPI), and of its dapo, gsm8k and
# minerva modes against verl 0.9.1 / lm-eval 0.4.13 reference files: test oracles only.
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
# The string modes' references, as files: verl's reward_score and lm-eval's minerva_math utils
# need only `re`; --no-deps keeps torch and datasets out.
if ! "$venv/bin/python" -c 'import importlib.util as u; assert u.find_spec("verl") and u.find_spec("lm_eval")' 2>/dev/null; then
  "$venv/bin/pip" install -q --no-deps "verl==0.9.1" "lm_eval==0.4.13"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "seed $seed"
python3 "$here/generate_corpus.py" --seed "$seed" > "$work/corpus.jsonl"
"$venv/bin/python" "$here/mathverify_oracle.py" < "$work/corpus.jsonl" > "$work/mv.jsonl" 2>/dev/null
"$cli" < "$work/corpus.jsonl" > "$work/arbiter.jsonl"
status=0
python3 "$here/compare_verdicts.py" "$work/corpus.jsonl" "$work/mv.jsonl" "$work/arbiter.jsonl" \
  "$here/deviations.json" || status=1
echo
echo "dapo / gsm8k (gsm8k_parity) / minerva against verl 0.9.1 and lm-eval 0.4.13:"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
"$venv/bin/python" "$here/reference_oracle.py" "$site" "$cli" "$seed" || status=1
exit $status
