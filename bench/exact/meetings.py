#!/usr/bin/env python3
"""Exact optimum of a one-to-one meeting scheduling instance (OR-Tools CP-SAT).

Reads an instance (JSON on stdin, or a path argument), prints one JSON object.
Three lexicographic solves: (1) most meetings placed, (2) with that fixed, the
largest smallest share placed/requested over people with a meeting (permille),
(3) with both fixed, fewest idle gaps. See README.md beside this file.
"""

import argparse
import json
import math
import sys
import time

from ortools.sat.python import cp_model


# ---------------------------------------------------------------------------
# The instance, normalised


class Instance:
    """The instance as the model needs it.

    valid[m]      a meeting between two distinct, existing people
    pinned_at[m]  slot a valid pinned meeting is fixed at (None: not pinned, or
                  pinned but clashing / out of range, and then unplaced)
    allowed[m]    slots a non-pinned valid meeting may take
    onsite[m]     both people onsite: needs one of the slot's tables
    """

    def __init__(self, data):
        slots = data.get("slots") or []
        people = data.get("people") or []
        meetings = data.get("meetings") or []
        self.n_slots = S = len(slots)
        self.n_people = P = len(people)
        self.n_meetings = M = len(meetings)
        self.tables = [max(0, int(s.get("tables") or 0)) for s in slots]
        self.afternoon = [bool(s.get("afternoon")) for s in slots]
        self.block = [s.get("block", 0) for s in slots]
        # Slots of each block, in time order (the order of the slots list).
        self.blocks = {}
        for s in range(S):
            self.blocks.setdefault(self.block[s], []).append(s)

        self.person_onsite = [bool(p.get("onsite")) for p in people]
        self.free = [
            {f for f in (p.get("free") or []) if isinstance(f, int) and 0 <= f < S}
            for p in people
        ]
        self.half = [p.get("half") for p in people]

        def in_half(p, s):
            h = self.half[p]
            if h == "morning":
                return not self.afternoon[s]
            if h == "afternoon":
                return self.afternoon[s]
            return True

        self.a = [None] * M
        self.b = [None] * M
        self.valid = [False] * M
        self.onsite = [False] * M
        self.pinned_at = [None] * M
        self.allowed = [[] for _ in range(M)]
        self.requested = [0] * P
        self.meetings_of = [[] for _ in range(P)]

        # Pinned meetings already fixed, lower index first.
        pin_busy = set()  # (person, slot)
        pin_count = [0] * S  # onsite pinned meetings per slot
        pin_tables = [set() for _ in range(S)]  # numbered tables taken per slot

        for m, mt in enumerate(meetings):
            a, b = mt.get("a"), mt.get("b")
            if not (isinstance(a, int) and isinstance(b, int)):
                continue
            if not (0 <= a < P and 0 <= b < P) or a == b:
                continue
            self.a[m], self.b[m] = a, b
            self.valid[m] = True
            self.onsite[m] = self.person_onsite[a] and self.person_onsite[b]
            self.requested[a] += 1
            self.requested[b] += 1
            self.meetings_of[a].append(m)
            self.meetings_of[b].append(m)

            pin = mt.get("pinned")
            if pin is not None:
                s = pin.get("slot")
                table = pin.get("table")
                ok = isinstance(s, int) and 0 <= s < S
                ok = ok and (a, s) not in pin_busy and (b, s) not in pin_busy
                if ok and self.onsite[m]:
                    ok = pin_count[s] < self.tables[s]
                    if ok and table is not None:
                        ok = (
                            isinstance(table, int)
                            and 0 <= table < self.tables[s]
                            and table not in pin_tables[s]
                        )
                if ok:
                    self.pinned_at[m] = s
                    pin_busy.add((a, s))
                    pin_busy.add((b, s))
                    if self.onsite[m]:
                        pin_count[s] += 1
                        if table is not None:
                            pin_tables[s].add(table)
                # A pinned meeting that clashes is unplaced, never moved.
                continue

            forbidden = set(mt.get("forbidden") or [])
            for s in sorted(self.free[a] & self.free[b]):
                if s in forbidden or not in_half(a, s) or not in_half(b, s):
                    continue
                if self.onsite[m] and self.tables[s] == 0:
                    continue
                self.allowed[m].append(s)



# ---------------------------------------------------------------------------
# The model


def add(md, constraint):
    """md.Add, but a comparison of two constants (a person with nothing placeable) is checked here."""
    if isinstance(constraint, bool):
        if not constraint:
            raise ValueError("infeasible constant constraint")
        return
    md.Add(constraint)


class Model:
    def __init__(self, inst):
        self.inst = inst
        self.m = cp_model.CpModel()
        md = self.m
        S = inst.n_slots
        # x[(meeting, slot)]
        self.x = {}
        for m in range(inst.n_meetings):
            if not inst.valid[m]:
                continue
            if inst.pinned_at[m] is not None:
                v = md.NewBoolVar(f"x{m}_{inst.pinned_at[m]}")
                md.Add(v == 1)
                self.x[(m, inst.pinned_at[m])] = v
            else:
                for s in inst.allowed[m]:
                    self.x[(m, s)] = md.NewBoolVar(f"x{m}_{s}")
        self.slots_of = [[] for _ in range(inst.n_meetings)]
        for (m, s), v in self.x.items():
            self.slots_of[m].append((s, v))
        # placed[m] as a linear expression (at most one slot).
        self.placed = []
        for m in range(inst.n_meetings):
            vs = [v for _, v in self.slots_of[m]]
            if len(vs) > 1:
                md.AddAtMostOne(vs)
            self.placed.append(sum(vs) if vs else 0)

        # busy[p][s]: the list of x variables of p's meetings at s.
        self.busy_vars = [[[] for _ in range(S)] for _ in range(inst.n_people)]
        for (m, s), v in self.x.items():
            self.busy_vars[inst.a[m]][s].append(v)
            self.busy_vars[inst.b[m]][s].append(v)
        for p in range(inst.n_people):
            for s in range(S):
                if len(self.busy_vars[p][s]) > 1:
                    md.AddAtMostOne(self.busy_vars[p][s])

        # Tables: at most `tables` onsite meetings per slot.
        onsite_at = [[] for _ in range(S)]
        for (m, s), v in self.x.items():
            if inst.onsite[m]:
                onsite_at[s].append(v)
        for s in range(S):
            if len(onsite_at[s]) > inst.tables[s]:
                md.Add(sum(onsite_at[s]) <= inst.tables[s])

        self.total_placed = sum(self.placed[m] for m in range(inst.n_meetings))
        self.placed_of = [
            sum(self.placed[m] for m in inst.meetings_of[p]) for p in range(inst.n_people)
        ]
        self.share_t = None
        self.gap_total = None
        # Auxiliary Booleans and how to compute them from an assignment, so that a
        # hint is complete: (var, kind, person, slots) with kind "before", "after", "idle".
        self.aux = []

    # --- stage 2 ----------------------------------------------------------
    def add_share(self):
        inst, md = self.inst, self.m
        t = md.NewIntVar(0, 1000, "min_share_permille")
        for p in range(inst.n_people):
            r = inst.requested[p]
            if r > 0:
                add(md, 1000 * self.placed_of[p] >= r * t)
        self.share_t = t
        return t

    def fix_share(self, value):
        inst, md = self.inst, self.m
        for p in range(inst.n_people):
            r = inst.requested[p]
            if r > 0:
                add(md, 1000 * self.placed_of[p] >= r * value)

    # --- stage 3 ----------------------------------------------------------
    def add_gaps(self):
        """Idle slots: free, no meeting, a meeting earlier and later in the block."""
        inst, md = self.inst, self.m
        idle = []
        for p in range(inst.n_people):
            for blk, ss in inst.blocks.items():
                k = len(ss)
                if k < 3:
                    continue
                busy = [sum(self.busy_vars[p][s]) if self.busy_vars[p][s] else 0 for s in ss]
                possible = [bool(self.busy_vars[p][s]) for s in ss]
                if sum(possible) < 2:
                    continue
                # before[i]: a meeting at some j < i; after[i]: at some j > i.
                # Lower bounds only: the objective pushes them down, so at the
                # optimum they are exactly the ORs (a gap counts only when forced).
                before = [None] * k
                for i in range(1, k):
                    if not any(possible[:i]):
                        continue
                    v = md.NewBoolVar(f"bef{p}_{ss[i]}")
                    if before[i - 1] is not None:
                        md.Add(v >= before[i - 1])
                    if possible[i - 1]:
                        md.Add(v >= busy[i - 1])
                    before[i] = v
                    self.aux.append((v, "before", p, ss[:i]))
                after = [None] * k
                for i in range(k - 2, -1, -1):
                    if not any(possible[i + 1 :]):
                        continue
                    v = md.NewBoolVar(f"aft{p}_{ss[i]}")
                    if after[i + 1] is not None:
                        md.Add(v >= after[i + 1])
                    if possible[i + 1]:
                        md.Add(v >= busy[i + 1])
                    after[i] = v
                    self.aux.append((v, "after", p, ss[i + 1 :]))
                for i in range(1, k - 1):
                    s = ss[i]
                    if s not in inst.free[p] or before[i] is None or after[i] is None:
                        continue
                    g = md.NewBoolVar(f"idle{p}_{s}")
                    md.Add(g >= before[i] + after[i] - 1 - busy[i])
                    idle.append(g)
                    self.aux.append((g, "idle", p, (ss[:i], s, ss[i + 1 :])))
        self.gap_total = sum(idle) if idle else 0
        return self.gap_total

    # --- helpers ----------------------------------------------------------
    def hint(self, assignment):
        """assignment: slot per meeting (None: unplaced)."""
        md = self.m
        md.ClearHints()
        for (m, s), v in self.x.items():
            md.AddHint(v, 1 if assignment[m] == s else 0)
        inst = self.inst
        at = set()
        for m, s in enumerate(assignment):
            if s is not None:
                at.add((inst.a[m], s))
                at.add((inst.b[m], s))
        for v, kind, p, ss in self.aux:
            if kind == "idle":
                earlier, s, later = ss
                value = (
                    (p, s) not in at
                    and any((p, t) in at for t in earlier)
                    and any((p, t) in at for t in later)
                )
            else:
                value = any((p, t) in at for t in ss)
            md.AddHint(v, 1 if value else 0)
        if self.share_t is not None:
            md.AddHint(self.share_t, evaluate(inst, assignment)[1])

    def read(self, solver):
        out = [None] * self.inst.n_meetings
        for (m, s), v in self.x.items():
            if solver.Value(v):
                out[m] = s
        return out


# ---------------------------------------------------------------------------
# Evaluating an assignment independently of the solver's objective variables


def evaluate(inst, assignment):
    placed = sum(1 for m in range(inst.n_meetings) if assignment[m] is not None)
    got = [0] * inst.n_people
    at = [set() for _ in range(inst.n_people)]
    for m, s in enumerate(assignment):
        if s is not None:
            for p in (inst.a[m], inst.b[m]):
                got[p] += 1
                at[p].add(s)
    share = 1000
    for p in range(inst.n_people):
        r = inst.requested[p]
        if r > 0:
            share = min(share, (1000 * got[p]) // r)
    gaps = 0
    for p in range(inst.n_people):
        for ss in inst.blocks.values():
            idx = [i for i, s in enumerate(ss) if s in at[p]]
            if len(idx) < 2:
                continue
            for i in range(idx[0] + 1, idx[-1]):
                s = ss[i]
                if s not in at[p] and s in inst.free[p]:
                    gaps += 1
    return placed, share, gaps


# ---------------------------------------------------------------------------


# The single-thread search CP-SAT runs with one worker has no large neighbourhood search
# (LNS); on the gaps stage it barely moves from its first solution. With --workers 1 the
# gaps stage therefore interleaves, in the one thread and deterministically, the LP search
# with CP-SAT's LNS neighbourhoods, leaving out its other full-problem searches (which
# cost time slices and found nothing here).
SINGLE_THREAD_LNS_IGNORE = [
    "core", "max_lp", "max_lp_sym", "no_lp", "pseudo_costs", "quick_restart", "reduced_costs",
]


def solve(model, args, objective, maximise, hint, lns=False):
    md = model.m
    if maximise:
        md.Maximize(objective)
    else:
        md.Minimize(objective)
    if hint is not None:
        model.hint(hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(args.time_limit)
    solver.parameters.num_workers = int(args.workers)
    if args.det_limit is not None:
        solver.parameters.max_deterministic_time = float(args.det_limit)
    solver.parameters.random_seed = int(args.seed)
    if lns and args.workers == 1 and args.search == "auto":
        solver.parameters.interleave_search = True
        solver.parameters.ignore_subsolvers.extend(SINGLE_THREAD_LNS_IGNORE)
    for kv in args.param or []:
        key, _, value = kv.partition("=")
        current = getattr(solver.parameters, key)  # AttributeError: no such parameter
        if not isinstance(current, (bool, int, float, str)) and hasattr(current, "extend"):
            current.extend(v for v in value.split(",") if v)  # a repeated field
            continue
        if isinstance(current, bool):
            value = value.lower() in ("1", "true", "yes")
        elif isinstance(current, int):
            value = int(value)
        elif isinstance(current, float):
            value = float(value)
        elif not isinstance(current, str):  # an enum
            value = type(current)[value] if hasattr(type(current), "__getitem__") else getattr(type(current), value)
        setattr(solver.parameters, key, value)
    if args.log:
        solver.parameters.log_search_progress = True
        solver.parameters.log_to_stdout = False
        solver.log_callback = lambda line: print(line, file=sys.stderr)
    t0 = time.monotonic()
    status = solver.Solve(md)
    dt = time.monotonic() - t0
    name = solver.StatusName(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = model.read(solver)
        bound = solver.BestObjectiveBound()
        bound = math.floor(bound + 1e-6) if maximise else math.ceil(bound - 1e-6)
    else:
        assignment, bound = None, None
    return name, assignment, bound, dt


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("instance", nargs="?", help="instance JSON (default: stdin)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per solve")
    ap.add_argument("--workers", type=int, default=1, help="CP-SAT workers (1: reproducible)")
    ap.add_argument("--det-limit", type=float, default=None,
                    help="also stop each solve after this much CP-SAT deterministic time; with "
                         "--workers 1 the result then no longer depends on the machine's load")
    ap.add_argument("--stage", choices=["placed", "fair", "gaps"], default="gaps")
    ap.add_argument("--seed", type=int, default=0, help="CP-SAT random seed")
    ap.add_argument("--search", choices=["auto", "plain"], default="auto",
                    help="auto: with --workers 1, the gaps stage interleaves LNS in the one "
                         "thread; plain: CP-SAT's defaults everywhere")
    ap.add_argument("--assignment", action="store_true",
                    help="also print the slot of each meeting (null: unplaced)")
    ap.add_argument("--stage-seconds", action="store_true",
                    help="also print each stage's wall time")
    ap.add_argument("--log", action="store_true", help="CP-SAT search log on stderr")
    ap.add_argument("--param", action="append", metavar="NAME=VALUE",
                    help="any other CP-SAT parameter (repeatable; a list field takes a,b,c), "
                         "e.g. interleave_search=true")
    args = ap.parse_args(argv)

    started = time.monotonic()
    if args.instance:
        with open(args.instance) as f:
            data = json.load(f)
    else:
        data = json.load(sys.stdin)

    inst = Instance(data)
    model = Model(inst)
    # Pinned meetings only: always feasible, the fallback if a solve finds nothing.
    current = [inst.pinned_at[m] for m in range(inst.n_meetings)]

    out = {
        "placed": None, "placed_status": None, "placed_bound": None,
        "min_share_permille": None, "fair_status": None, "fair_bound": None,
        "gaps": None, "gaps_status": None, "gaps_bound": None,
    }
    stage_seconds = {}

    # (1) most meetings placed
    status, sol, bound, dt = solve(model, args, model.total_placed, True, None)
    stage_seconds["placed"] = round(dt, 3)
    if sol is not None:
        current = sol
    placed, share, gaps = evaluate(inst, current)
    out.update(placed=placed, placed_status=status,
               placed_bound=bound if bound is not None else sum(inst.valid))
    add(model.m, model.total_placed == placed)

    if args.stage in ("fair", "gaps"):
        # (2) the largest smallest share, placed fixed
        t = model.add_share()
        status, sol, bound, dt = solve(model, args, t, True, current)
        stage_seconds["fair"] = round(dt, 3)
        if sol is not None:
            current = sol
        placed, share, gaps = evaluate(inst, current)
        out.update(min_share_permille=share, fair_status=status,
                   fair_bound=bound if bound is not None else 1000)
        model.fix_share(share)

    if args.stage == "gaps":
        # (3) fewest idle gaps, placed and share fixed
        g = model.add_gaps()
        status, sol, bound, dt = solve(model, args, g, False, current, lns=True)
        stage_seconds["gaps"] = round(dt, 3)
        if sol is not None:
            current = sol
        placed, share, gaps = evaluate(inst, current)
        out.update(gaps=gaps, gaps_status=status,
                   gaps_bound=bound if bound is not None else 0)

    out["seconds"] = round(time.monotonic() - started, 3)
    if args.stage_seconds:
        out["stage_seconds"] = stage_seconds
    if args.assignment:
        out["assignment"] = current
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
