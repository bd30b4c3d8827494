"""SymBeam's time to solve and check the beams that verifiers/beam/beam_benchmark.cc solves
(BM_SymbolicSolveAndVerify), for bench/run's beam row. Run it with the venv bench/run makes
(~/.cache/arbiter/venvs/symbeam: `pip install symbeam==2.1.2`, MIT licence, uses SymPy).

Per beam and repetition, timed together: build the beam from its description, solve it with
SymBeam, read the support reactions and check each against the expected answer symbolically
(sympy.simplify of the difference). Two solve scopes:
  solve      beam.solve(output=False): what a SymBeam user calls (reactions, then shear and
             bending diagrams and deflections)
  reactions  only the reaction step (SymBeam's private _check_beam_properties, _set_segments,
             _solve_reactions): the part comparable with our solver, which computes reactions

Prints one line per case and scope: `case=NAME scope=S reps=N cpu_us_mean=X wall_us_median=Y`.
One untimed solve per case first (imports); SymPy's cache is cleared before each timed
repetition (untimed) unless --keep_cache.
"""
import argparse
import statistics
import sys
import time

import sympy
from symbeam import beam

P, L, q, M = sympy.symbols("P L q M")


def spec_3_5():
    # 2L span, pin at 0, roller at 2L, a downward 3P at 0.6L (DESIGN §3.5's example).
    b = beam(2 * L)
    b.add_support(0, "pin")
    b.add_support(2 * L, "roller")
    b.add_point_load(sympy.Rational(3, 5) * L, -3 * P)
    return b, {(0, "force"): sympy.Rational(21, 10) * P,
               (2 * L, "force"): sympy.Rational(9, 10) * P}


def gerber_mixed():
    # 4L, fixed at 0, internal hinge at 2L, roller at 4L; -P at L, -q over [2L, 4L], couple M at 3L.
    b = beam(4 * L)
    b.add_support(0, "fixed")
    b.add_support(2 * L, "hinge")
    b.add_support(4 * L, "roller")
    b.add_point_load(L, -P)
    b.add_distributed_load(2 * L, 4 * L, -q)
    b.add_point_moment(3 * L, M)
    return b, {(0, "force"): P + q * L + M / (2 * L),
               (0, "moment"): 2 * q * L**2 + P * L + M,
               (4 * L, "force"): q * L - M / (2 * L)}


CASES = {"spec_3_5": spec_3_5, "gerber_mixed": gerber_mixed}


def solve_and_check(make, scope):
    b, expected = make()
    if scope == "solve":
        b.solve(output=False)
    else:
        b._check_beam_properties()
        b._set_segments()
        b._solve_reactions()
    got = {}
    for point in b.points:
        got[(point.x_coord, "force")] = point.reaction_force
        got[(point.x_coord, "moment")] = point.reaction_moment
    for key, value in expected.items():
        if sympy.simplify(got[key] - value) != 0:
            raise SystemExit(f"SymBeam's {key} = {got[key]}, expected {value}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3, help="per case and scope")
    parser.add_argument("--min_reps", type=int, default=3)
    parser.add_argument("--keep_cache", action="store_true",
                        help="keep SymPy's cache between repetitions (by default it is cleared "
                        "before each: a trainer's beams differ, so a repeated beam's cache hits "
                        "would flatter SymBeam)")
    args = parser.parse_args()
    for name, make in CASES.items():
        solve_and_check(make, "solve")  # untimed
        for scope in ("solve", "reactions"):
            walls, cpu, start = [], 0.0, time.perf_counter()
            while len(walls) < args.min_reps or time.perf_counter() - start < args.seconds:
                if not args.keep_cache:
                    sympy.core.cache.clear_cache()
                c, t = time.process_time(), time.perf_counter()
                solve_and_check(make, scope)
                walls.append(time.perf_counter() - t)
                cpu += time.process_time() - c
            cpu /= len(walls)
            print(f"case={name} scope={scope} reps={len(walls)} cpu_us_mean={cpu * 1e6:.0f} "
                  f"wall_us_median={statistics.median(walls) * 1e6:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
