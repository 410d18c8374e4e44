#!/usr/bin/env python3
"""Checks meetings.py: the hand-made examples against examples/expected.json, then random
tiny instances against a brute force written apart from the model (every assignment tried).

    $PY bench/exact/check.py [--random N] [--seed S]

Prints 'N passed, N failed' and exits non-zero on a failure.
"""

import argparse
import contextlib
import io
import itertools
import json
import os
import random
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import meetings  # noqa: E402


def run(instance_path, *extra):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        meetings.main([instance_path, "--assignment", "--time-limit", "20", *extra])
    return json.loads(buf.getvalue())


# ---------------------------------------------------------------------------
# The rules, written again from the description (not from meetings.py)


def brute_force(d, check=None):
    """The lexicographic optimum (placed, share permille, gaps); with check (a slot per
    meeting), that assignment's score instead, or None if it breaks a rule."""
    slots, people, mts = d["slots"], d["people"], d["meetings"]
    S, P = len(slots), len(people)

    def ok_index(i):
        return isinstance(i, int) and 0 <= i < P

    valid = [ok_index(m["a"]) and ok_index(m["b"]) and m["a"] != m["b"] for m in mts]
    onsite = [v and people[m["a"]]["onsite"] and people[m["b"]]["onsite"] for v, m in zip(valid, mts)]
    requested = [0] * P
    for v, m in zip(valid, mts):
        if v:
            requested[m["a"]] += 1
            requested[m["b"]] += 1

    def half_ok(p, s):
        h = people[p]["half"]
        return h is None or (h == "afternoon") == slots[s]["afternoon"]

    options = []
    pinned_busy, pinned_onsite, pinned_tables = set(), [0] * S, [set() for _ in range(S)]
    for i, m in enumerate(mts):
        if not valid[i]:
            options.append([None])
            continue
        a, b = m["a"], m["b"]
        if m["pinned"] is not None:
            s, t = m["pinned"]["slot"], m["pinned"]["table"]
            good = 0 <= s < S and (a, s) not in pinned_busy and (b, s) not in pinned_busy
            if good and onsite[i]:
                good = pinned_onsite[s] < slots[s]["tables"] and (
                    t is None or (0 <= t < slots[s]["tables"] and t not in pinned_tables[s]))
            if good:
                pinned_busy |= {(a, s), (b, s)}
                if onsite[i]:
                    pinned_onsite[s] += 1
                    if t is not None:
                        pinned_tables[s].add(t)
                options.append([s])
            else:
                options.append([None])
            continue
        opts = [None]
        for s in range(S):
            if s in people[a]["free"] and s in people[b]["free"] and s not in m["forbidden"] \
                    and half_ok(a, s) and half_ok(b, s) and (not onsite[i] or slots[s]["tables"] > 0):
                opts.append(s)
        options.append(opts)

    blocks = {}
    for s in range(S):
        blocks.setdefault(slots[s]["block"], []).append(s)

    def score(assign):
        seen, tables_used, feasible = set(), [0] * S, True
        for i, s in enumerate(assign):
            if s is None:
                continue
            for p in (mts[i]["a"], mts[i]["b"]):
                if (p, s) in seen:
                    feasible = False
                seen.add((p, s))
            if onsite[i]:
                tables_used[s] += 1
        if not feasible or any(tables_used[s] > slots[s]["tables"] for s in range(S)):
            return None
        placed = sum(s is not None for s in assign)
        got = [0] * P
        for i, s in enumerate(assign):
            if s is not None:
                got[mts[i]["a"]] += 1
                got[mts[i]["b"]] += 1
        share = min([1000 * got[p] // requested[p] for p in range(P) if requested[p]] or [1000])
        gaps = 0
        for p in range(P):
            for ss in blocks.values():
                for j in range(1, len(ss) - 1):
                    s = ss[j]
                    if (p, s) not in seen and s in people[p]["free"] \
                            and any((p, t) in seen for t in ss[:j]) \
                            and any((p, t) in seen for t in ss[j + 1:]):
                        gaps += 1
        return placed, share, gaps

    if check is not None:
        if len(check) != len(mts) or any(s not in opts for s, opts in zip(check, options)):
            return None
        return score(check)
    best = None
    for assign in itertools.product(*options):
        got = score(assign)
        if got is not None and (best is None or (got[0], got[1], -got[2]) > (best[0], best[1], -best[2])):
            best = got
    return best


def tiny(rng):
    S = rng.randint(2, 6)
    per_block = rng.choice([S, S, 3, 4])
    slots = [{"block": s // per_block, "afternoon": s >= S // 2,
              "tables": rng.choice([0, 1, 1, 1, 2, 3])} for s in range(S)]
    P = rng.randint(2, 5)
    people = [{"onsite": rng.random() < 0.75,
               "free": sorted(rng.sample(range(S), rng.randint(S // 2, S))),
               "half": rng.choice([None, None, None, None, "morning", "afternoon"])}
              for _ in range(P)]
    mts = []
    for _ in range(rng.randint(1, 7)):
        a, b = rng.sample(range(P), 2)
        r = rng.random()
        if r < 0.03:
            b = P + 1
        elif r < 0.06:
            b = a
        pinned = None
        if rng.random() < 0.1:
            pinned = {"slot": rng.randrange(S + 1), "table": rng.choice([None, 0, 1])}
        forbidden = sorted(rng.sample(range(S), rng.choice([0, 0, 1, 2])))
        mts.append({"a": a, "b": b, "forbidden": forbidden, "pinned": pinned})
    return {"slots": slots, "people": people, "meetings": mts}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--random", type=int, default=200, help="random tiny instances")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    passed = failed = 0

    ex_dir = os.path.join(HERE, "examples")
    with open(os.path.join(ex_dir, "expected.json")) as f:
        expected = json.load(f)
    for name, exp in expected.items():
        path = os.path.join(ex_dir, name + ".json")
        got = run(path)
        want = (exp["placed"], exp["min_share_permille"], exp["gaps"])
        have = (got["placed"], got["min_share_permille"], got["gaps"])
        statuses = {got["placed_status"], got["fair_status"], got["gaps_status"]}
        with open(path) as f:
            brute = brute_force(json.load(f))
        if have == want == brute and statuses == {"OPTIMAL"}:
            passed += 1
        else:
            failed += 1
            print(f"FAIL example {name}: expected {want}, brute force {brute}, got {have} {statuses}")

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tiny.json")
        for k in range(args.random):
            d = tiny(rng)
            with open(path, "w") as f:
                json.dump(d, f)
            want = brute_force(d)
            got = run(path)
            have = (got["placed"], got["min_share_permille"], got["gaps"])
            statuses = {got["placed_status"], got["fair_status"], got["gaps_status"]}
            # The printed assignment must keep the rules and score what is printed.
            rescored = brute_force(d, check=got["assignment"])
            if have == want == rescored and statuses == {"OPTIMAL"}:
                passed += 1
            else:
                failed += 1
                print(f"FAIL random #{k}: brute force {want}, got {have} {statuses}")
                print(json.dumps(d))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
