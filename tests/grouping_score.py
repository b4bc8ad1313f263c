"""How well the suggested groupings find the Troc's own families (tests/data/troc-families.json).

Scores a suggestion against the families the seed files each competence under, and against random
groupings of the same sizes (a seeded shuffle), with measures computed here, independently of the
library that clusters: the adjusted Rand index, pairwise precision and recall, and the share of cards
that land with their family. Run it to print the figures quoted in docs/formats.md:

    .venv/bin/python tests/grouping_score.py
"""
import json
import random
import sys
from math import comb
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "troc-families.json"
SHUFFLES = 200


def troc_cards():
    """The Troc's competences as cards (id, text) and the seed's family of each (None: left ungrouped)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    cards = [{"id": f"troc-{i:02d}", "text": entry["text"]} for i, entry in enumerate(data["cards"])]
    truth = {card["id"]: entry["family"] for card, entry in zip(cards, data["cards"])}
    return cards, truth


def assignment(suggestion):
    """Card id -> the proposal holding it; each ungrouped card alone, as a group of its own."""
    placed = {card_id: f"proposal-{k}" for k, family in enumerate(suggestion["families"])
              for card_id in family["card_ids"]}
    placed.update({card_id: f"alone-{card_id}" for card_id in suggestion["ungrouped"]})
    return placed


def seed_assignment(truth):
    """Card id -> its seed family; a card the seed left ungrouped alone."""
    return {card_id: family if family else f"alone-{card_id}" for card_id, family in truth.items()}


def adjusted_rand(left, right):
    """The adjusted Rand index of two groupings of the same cards (1 = identical, about 0 = chance)."""
    ids = sorted(left)
    together, left_sizes, right_sizes = {}, {}, {}
    for card_id in ids:
        pair = (left[card_id], right[card_id])
        together[pair] = together.get(pair, 0) + 1
        left_sizes[pair[0]] = left_sizes.get(pair[0], 0) + 1
        right_sizes[pair[1]] = right_sizes.get(pair[1], 0) + 1
    both = sum(comb(n, 2) for n in together.values())
    in_left = sum(comb(n, 2) for n in left_sizes.values())
    in_right = sum(comb(n, 2) for n in right_sizes.values())
    expected = in_left * in_right / comb(len(ids), 2)
    best = (in_left + in_right) / 2
    return 0.0 if best == expected else (both - expected) / (best - expected)


def pairwise(suggested, seed):
    """(precision, recall) over pairs of cards: pairs the suggestion puts together that the seed does
    too, and pairs the seed puts together that the suggestion found."""
    ids = sorted(seed)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    proposed = {(a, b) for a, b in pairs if suggested[a] == suggested[b]}
    actual = {(a, b) for a, b in pairs if seed[a] == seed[b]}
    precision = len(proposed & actual) / len(proposed) if proposed else 0.0
    recall = len(proposed & actual) / len(actual) if actual else 0.0
    return precision, recall


def landed(suggested, truth):
    """How many cards land with their family: in a proposal whose most frequent seed family (the
    first in card order on a tie) is theirs; a card the seed left ungrouped lands when left alone."""
    members = {}
    for card_id in sorted(suggested):
        members.setdefault(suggested[card_id], []).append(card_id)
    count = 0
    for group in members.values():
        families = [truth[card_id] for card_id in group]
        if len(group) == 1:
            count += families[0] is None
            continue
        known = [family for family in families if family]
        if not known:
            continue
        majority = max(known, key=lambda family: (known.count(family), -known.index(family)))
        count += families.count(majority)
    return count


def score(suggestion, truth):
    """The figures of one suggestion against the seed's families."""
    suggested, seed = assignment(suggestion), seed_assignment(truth)
    precision, recall = pairwise(suggested, seed)
    return {"ari": adjusted_rand(suggested, seed), "precision": precision, "recall": recall,
            "landed": landed(suggested, truth), "cards": len(truth),
            "families": len(suggestion["families"]), "ungrouped": len(suggestion["ungrouped"])}


def random_scores(suggestion, truth, seed=14, rounds=SHUFFLES):
    """The same figures for random groupings of the same sizes: the suggestion's groups (proposals and
    lone cards) dealt the cards anew by a seeded shuffle, `rounds` times."""
    suggested = assignment(suggestion)
    ids = sorted(suggested)
    slots = [suggested[card_id] for card_id in ids]
    shuffler = random.Random(seed)
    results = []
    for _ in range(rounds):
        shuffler.shuffle(slots)
        shuffled = dict(zip(ids, slots))
        precision, recall = pairwise(shuffled, seed_assignment(truth))
        results.append({"ari": adjusted_rand(shuffled, seed_assignment(truth)), "precision": precision,
                        "recall": recall, "landed": landed(shuffled, truth)})
    return results


def report(groups):
    """One line of figures for `groups` families asked (None: automatic), with the random baseline."""
    sys.path.insert(0, str(ROOT))
    from board.grouping import suggest_groups

    cards, truth = troc_cards()
    suggestion = suggest_groups(cards, groups)
    mine, chance = score(suggestion, truth), random_scores(suggestion, truth)
    mean = {key: sum(r[key] for r in chance) / len(chance) for key in ("ari", "precision", "recall", "landed")}
    asked = "automatic" if groups is None else f"{groups} asked"
    return (f"{asked:>11}: {mine['families']} families, {mine['ungrouped']} ungrouped; "
            f"{mine['landed']}/{mine['cards']} cards land with their family (random: {mean['landed']:.1f}); "
            f"ARI {mine['ari']:.2f} (random: {mean['ari']:.2f}, best of {len(chance)} shuffles "
            f"{max(r['ari'] for r in chance):.2f}); pairs precision {mine['precision']:.2f} "
            f"recall {mine['recall']:.2f} (random: {mean['precision']:.2f} / {mean['recall']:.2f})")


if __name__ == "__main__":
    _, seed_truth = troc_cards()
    print(f"{len(seed_truth)} competences of the Troc, {len({f for f in seed_truth.values() if f})} families "
          f"in the seed, {sum(f is None for f in seed_truth.values())} left ungrouped")
    for asked_groups in (None, 9):
        print(report(asked_groups))
