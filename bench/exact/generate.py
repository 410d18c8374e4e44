#!/usr/bin/env python3
"""A seeded random meeting-scheduling instance (the schema meetings.py reads), on stdout.

Default: 200 people, 550 meetings (distinct pairs), 18 slots in two blocks of 9 (block 0 the
morning, block 1 the afternoon), 36 tables a slot; each person free for 70-85% of the slots,
onsite with probability 0.7, limited to one half of the day with probability 0.1.
"""

import argparse
import json
import random
import sys


def generate(args):
    rng = random.Random(args.seed)
    S = args.blocks * args.per_block
    slots = [
        {"block": s // args.per_block,
         "afternoon": (s // args.per_block) >= (args.blocks + 1) // 2,
         "tables": args.tables}
        for s in range(S)
    ]
    people = []
    for _ in range(args.people):
        share = rng.uniform(args.free_min, args.free_max)
        n_free = max(1, round(share * S))
        free = sorted(rng.sample(range(S), n_free))
        half = None
        if rng.random() < args.half:
            half = rng.choice(["morning", "afternoon"])
        people.append({"onsite": rng.random() < args.onsite, "free": free, "half": half})

    max_pairs = args.people * (args.people - 1) // 2
    if args.meetings > max_pairs:
        sys.exit(f"at most {max_pairs} distinct pairs among {args.people} people")
    pairs = set()
    meetings = []
    while len(meetings) < args.meetings:
        a, b = rng.sample(range(args.people), 2)
        if (min(a, b), max(a, b)) in pairs:
            continue
        pairs.add((min(a, b), max(a, b)))
        forbidden = []
        if rng.random() < args.forbidden:
            forbidden = [rng.randrange(S)]
        meetings.append({"a": a, "b": b, "forbidden": forbidden, "pinned": None})

    # Pins (none by default): at a slot both are free for, clash-free, onsite ones within
    # the tables, unnumbered.
    busy = set()
    onsite_pins = [0] * S
    for mt in meetings:
        if rng.random() >= args.pinned:
            continue
        a, b = mt["a"], mt["b"]
        onsite = people[a]["onsite"] and people[b]["onsite"]
        common = sorted(set(people[a]["free"]) & set(people[b]["free"]))
        rng.shuffle(common)
        for s in common:
            if (a, s) in busy or (b, s) in busy:
                continue
            if onsite and onsite_pins[s] >= slots[s]["tables"]:
                continue
            mt["pinned"] = {"slot": s, "table": None}
            busy.update({(a, s), (b, s)})
            onsite_pins[s] += onsite
            break
    return {"slots": slots, "people": people, "meetings": meetings}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--people", type=int, default=200)
    ap.add_argument("--meetings", type=int, default=550)
    ap.add_argument("--blocks", type=int, default=2)
    ap.add_argument("--per-block", type=int, default=9, help="slots a block")
    ap.add_argument("--tables", type=int, default=36, help="tables a slot")
    ap.add_argument("--free-min", type=float, default=0.70)
    ap.add_argument("--free-max", type=float, default=0.85)
    ap.add_argument("--onsite", type=float, default=0.7, help="share of people onsite")
    ap.add_argument("--half", type=float, default=0.1, help="share of people with a half")
    ap.add_argument("--forbidden", type=float, default=0.0,
                    help="share of meetings with one forbidden slot")
    ap.add_argument("--pinned", type=float, default=0.0, help="share of meetings pinned")
    args = ap.parse_args()
    json.dump(generate(args), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
