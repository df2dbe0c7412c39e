"""Checks that the tables of one dataset agree with each other (used by the sample and corpus tests)."""

from __future__ import annotations


def decision_vote_problems(decisions: list[dict], votes: list[dict]) -> list[str]:
    """What contradicts itself between decisions and votes, one line per problem:

    - an item typed ``rejected`` whose votes are only dissent (a minority's dissent
      leaves the majority's outcome; the body's own rejection prints no dissent);
    - a votes row whose item has no decision row.
    """
    problems = []
    key = ("doc_id", "item_no")
    by_item: dict[tuple, list[dict]] = {}
    for v in votes:
        by_item.setdefault(tuple(v[k] for k in key), []).append(v)
    decided = {tuple(d[k] for k in key) for d in decisions}
    for d in decisions:
        vs = by_item.get(tuple(d[k] for k in key), [])
        if d["decision_type"] == "rejected" and vs and all(v["position"] == "dissent" for v in vs):
            problems.append(f"item {d['item_no']} of {d['doc_id'][:8]} typed rejected with only dissent votes: {vs[0]['raw']!r}")
    for item, vs in by_item.items():
        if item not in decided:
            problems.append(f"item {item[1]} of {item[0][:8]} has votes but no decision: {vs[0]['raw']!r}")
    return problems
