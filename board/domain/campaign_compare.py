"""A campaign's boards side by side: what the territories placed, chose, share and answered (CAMP in spec.md).

`compare(results, merges)` reads the JSON export of each board of a campaign (documents.board_document,
as /f/<token>/export.json gives it, whether the board ran on this server or came home as a file) and
gives one plain dict that the campaign's page, its CSV/XLSX/JSON and the next campaign's deck all read:

- the places of the format (each Panorama cell, or each area of a format without one) and, in each,
  the cards each territory placed there;
- the must-haves: per territory the dots on each card ranked, and overall the mean *share* of each card,
  where a card's share in a territory is its dots divided by the number of voters of that board
  (who put at least one dot). Each territory that voted thus weighs the same, whatever its size;
- the cards placed (and the cards chosen) in every territory, and those of one territory only;
- new cards several territories wrote that the coordinator merged: one card, the originals kept;
- the evaluation's answers per territory (evaluation.py).

A deck card is the same card in every territory when its text is the same (the campaign's deck is one,
even when a board was made from the handed-out file and its ids were given again). A written card is
its territory's own until a merge says otherwise. Pure: standard library only.
"""
import unicodedata

BOARD_KIND = "board"
DECK_KIND = "deck"
NOTE_FREE_KINDS = ("deck", "new", "postit", "quote")  # what may stand on a place; notes ride their card
ORIGIN_PLACE_MAX = 120  # documents.py's limit on an origin's place (PLACE_MAX)
ORIGIN_TITLE_MAX = 120


class ComparisonError(ValueError):
    """Boards that cannot be compared; the message names the territory and what is wrong."""


def normalised_text(text):
    """A card's text as the comparison matches it: case, accents' composition and spacing ignored."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _pick(label, lang="fr"):
    if isinstance(label, dict):
        return label.get(lang) or label.get("fr") or label.get("en") or ""
    return label or ""


# -- reading one board's export

def _check_results(results):
    if not isinstance(results, list) or not results:
        raise ComparisonError("The campaign has no board to compare yet.")
    seen, format_id = set(), None
    for index, result in enumerate(results):
        territory = (result.get("territory") or "").strip() if isinstance(result, dict) else ""
        if not territory:
            raise ComparisonError(f"Board {index + 1}: it has no territory.")
        if territory.casefold() in seen:
            raise ComparisonError(f"{territory}: two boards carry this territory; name each territory once "
                                  "(e.g. 'Tours (matin)', 'Tours (après-midi)').")
        seen.add(territory.casefold())
        document = result.get("document")
        if not isinstance(document, dict) or document.get("atelier") != BOARD_KIND:
            raise ComparisonError(f"{territory}: this is not a board's export (a finished workshop's JSON file).")
        this_format = (document.get("format") or {}).get("id")
        if format_id is None:
            format_id = this_format
        elif this_format != format_id:
            raise ComparisonError(f"{territory}: this board is of the format {this_format!r}, the campaign's boards "
                                  f"are of {format_id!r}; only boards of one format can be compared.")


class _Territory:
    """One board's export, read once: its places, cards, voters and dots."""

    def __init__(self, result):
        self.name = result["territory"].strip()
        self.date = result.get("date")
        self.board_id = result.get("board_id")
        self.source = result.get("source") or "server"
        document = result["document"]
        self.document = document
        self.zones = {zone["id"]: zone for zone in document.get("zones", [])}
        self.cards = {card["id"]: card for card in document.get("cards", [])}
        self.teams = {team["id"]: team for team in document.get("teams", [])}
        vote = document.get("vote") or {}
        self.vote_mode = vote.get("mode", "participant")
        self.vote_status = vote.get("status", "idle")
        self.dots = {}
        voters = 0
        for cards in (vote.get("dots") or {}).values():
            counted = {card_id: n for card_id, n in (cards or {}).items() if n and card_id in self.cards}
            if counted:
                voters += 1
            for card_id, n in counted.items():
                self.dots[card_id] = self.dots.get(card_id, 0) + n
        self.voters = voters
        self.participants = sum(1 for p in document.get("participants", []) if p.get("role") == "participant")
        self.title = _pick(((document.get("details") or {}).get("title")) or "") or ""

    def place_of(self, card):
        """The format's place a card stands on: its cell, its area (a canvas family counts as its
        canvas), or None for the deck and anything not placed."""
        zone = self.zones.get(card.get("zone"))
        if zone is None or zone.get("kind") == "deck" or card.get("parent") is not None:
            return None
        if card.get("kind") not in NOTE_FREE_KINDS:
            return None
        return zone.get("area") or zone["id"]

    def placed(self):
        """(card, place) for every card on the board's places, in the export's order."""
        return [(card, place) for card in self.cards.values() if (place := self.place_of(card)) is not None]


# -- the comparison

def compare(results, merges=()):
    """The campaign's boards compared (CAMP1-CAMP6); see the module's docstring. `results` is a list of
    {territory, date, board_id, source, document}; `merges` a list of {merge_id, label, members:
    [{territory, card_id}]}. Raises ComparisonError for boards that cannot be compared."""
    _check_results(results)
    territories = [_Territory(result) for result in results]
    names = [t.name for t in territories]
    first_format = territories[0].document["format"]
    merged_key, merge_entries, warnings = _merges(merges, territories)

    cards = {}  # key -> the card as the comparison shows it
    placements = {}  # place -> territory -> [keys]
    chosen = {name: {} for name in names}  # territory -> key -> dots
    placed_in = {}  # key -> set of territories
    for territory in territories:
        for card, place in territory.placed():
            key = _card_key(territory, card, merged_key)
            entry = cards.setdefault(key, _card_entry(key, card, territory, merge_entries))
            entry["originals"].append({"territory": territory.name, "card_id": card["id"], "text": card.get("text", "")})
            placements.setdefault(place, {}).setdefault(territory.name, [])
            if key not in placements[place][territory.name]:
                placements[place][territory.name].append(key)
            placed_in.setdefault(key, set()).add(territory.name)
        for card_id, dots in territory.dots.items():
            card = territory.cards[card_id]
            if territory.place_of(card) is None:
                continue
            key = _card_key(territory, card, merged_key)
            chosen[territory.name][key] = chosen[territory.name].get(key, 0) + dots

    by_territory = {}
    for territory in territories:
        shares = {key: dots / territory.voters for key, dots in chosen[territory.name].items()} if territory.voters else {}
        by_territory[territory.name] = _ranked(
            [{"card": key, "dots": dots, "share": shares.get(key, 0.0)} for key, dots in chosen[territory.name].items()],
            lambda item: (-item["dots"], normalised_text(cards[item["card"]]["text"]), item["card"]),
            lambda item: item["dots"])
    voted = [t for t in territories if t.voters]
    overall_scores = {}
    for territory in voted:
        for item in by_territory[territory.name]:
            overall_scores.setdefault(item["card"], {})[territory.name] = item["share"]
    overall = _ranked(
        [{"card": key, "score": sum(per.values()) / len(voted), "shares": {t.name: per.get(t.name, 0.0) for t in voted},
          "territories": [t.name for t in voted if per.get(t.name)]} for key, per in overall_scores.items()],
        lambda item: (-round(item["score"], 9), normalised_text(cards[item["card"]]["text"]), item["card"]),
        lambda item: round(item["score"], 9))

    everyone = set(names)
    chosen_in = {}
    for name in names:
        for key in chosen[name]:
            chosen_in.setdefault(key, set()).add(name)
    by_text = lambda key: (normalised_text(cards[key]["text"]), key)  # noqa: E731 (one sort order, said once)
    return {
        "format": {"id": first_format.get("id"), "name": first_format.get("name")},
        "territories": [{"territory": t.name, "date": t.date, "board_id": t.board_id, "source": t.source,
                         "title": t.title, "participants": t.participants, "voters": t.voters,
                         "vote_mode": t.vote_mode, "vote_status": t.vote_status,
                         "dots": sum(t.dots.values()), "placed": len(t.placed())} for t in territories],
        "places": _places(territories, placements),
        "cards": cards,
        "must_haves": {"by_territory": by_territory, "overall": overall,
                       "voted": [t.name for t in voted], "without_votes": [t.name for t in territories if not t.voters]},
        "common": {"placed": sorted((k for k, ts in placed_in.items() if ts == everyone), key=by_text),
                   "chosen": sorted((k for k, ts in chosen_in.items() if ts == everyone), key=by_text)},
        "specific": {name: {"placed": sorted((k for k, ts in placed_in.items() if ts == {name}), key=by_text),
                            "chosen": sorted((k for k, ts in chosen_in.items() if ts == {name}), key=by_text)}
                     for name in names},
        "merges": [merge_entries[key] for key in merge_entries],
        "evaluation": evaluation_summary(territories),
        "warnings": warnings,
    }


def _merges(merges, territories):
    """The coordinator's merges as card keys: (territory, card id) -> merge key, the merged cards, and
    a warning for each member no board has (a merge made before a board was replaced stays harmless)."""
    by_name = {t.name.casefold(): t for t in territories}
    merged_key, entries, warnings = {}, {}, []
    for merge in merges or ():
        key = f"merge:{merge['merge_id']}"
        members = []
        for member in merge.get("members", []):
            territory = by_name.get((member.get("territory") or "").strip().casefold())
            card = territory.cards.get(member.get("card_id")) if territory else None
            if card is None:
                warnings.append(f"The merge {merge.get('label')!r} names the card {member.get('card_id')!r} of "
                                f"{member.get('territory')!r}, which no board of the campaign has.")
                continue
            merged_key[(territory.name, card["id"])] = key
            members.append({"territory": territory.name, "card_id": card["id"], "text": card.get("text", "")})
        entries[key] = {"key": key, "merge_id": merge["merge_id"], "label": merge.get("label") or "", "members": members}
    return merged_key, entries, warnings


def _card_key(territory, card, merged_key):
    merged = merged_key.get((territory.name, card["id"]))
    if merged:
        return merged
    if card.get("kind") == DECK_KIND:
        return f"deck:{normalised_text(card.get('text'))}"
    return f"{card.get('kind')}:{territory.name}:{card['id']}"


def _card_entry(key, card, territory, merge_entries):
    merge = merge_entries.get(key)
    return {"key": key, "text": (merge["label"] or card.get("text", "")) if merge else card.get("text", ""),
            "description": card.get("description") or "", "kind": "merged" if merge else card.get("kind"),
            "domain": card.get("domain"), "category": card.get("category"),
            "territory": None if merge or card.get("kind") == DECK_KIND else territory.name,
            "originals": []}


def _ranked(items, order, value):
    """Items sorted by `order`, each given the rank of the first with an equal `value` (1, 1, 3)."""
    items = sorted(items, key=order)
    for position, item in enumerate(items, start=1):
        same = position > 1 and value(item) == value(items[position - 2])
        item["rank"] = items[position - 2]["rank"] if same else position
    return items


def _places(territories, placements):
    """The format's places in its order (cells row by row, then the areas), each with what each
    territory placed there; a place only another board's edited Panorama has comes after."""
    first = territories[0]
    fmt = first.document["format"]
    rows = {row["id"]: row for row in (fmt.get("panorama") or {}).get("rows", [])}
    columns = {column["id"]: column for column in (fmt.get("panorama") or {}).get("columns", [])}
    order = []
    for territory in territories:
        for zone in territory.zones.values():
            if zone.get("kind") in ("deck",) or zone.get("area") or zone["id"] in order:
                continue
            order.append(zone["id"])
    places = []
    for zone_id in order:
        zone = next(t.zones[zone_id] for t in territories if zone_id in t.zones)
        if zone.get("kind") == "cell":
            label = {lang: f"{_pick(rows.get(zone['row'], {}).get('label'), lang) or zone['row']} · "
                           f"{_pick(columns.get(zone['column'], {}).get('label'), lang) or zone['column']}"
                     for lang in ("fr", "en")}
        else:
            area = next((a for a in fmt.get("areas", []) if a.get("id") == zone_id), None)
            label = (area or {}).get("label") or zone.get("label") or {"fr": zone_id, "en": zone_id}
        places.append({"id": zone_id, "kind": zone.get("kind"), "row": zone.get("row"), "column": zone.get("column"),
                       "label": label, "by_territory": {t.name: list(placements.get(zone_id, {}).get(t.name, []))
                                                        for t in territories}})
    return places


# -- the evaluation

def evaluation_summary(territories):
    """Per territory: how many answered, each scale's mean and its count of each value 1-5, the texts."""
    definition = None
    for territory in territories:
        definition = (territory.document.get("format") or {}).get("evaluation")
        if definition:
            break
    if not definition:
        return None
    scale_ids = [scale["id"] for scale in definition.get("scales", [])]
    per_territory = {}
    for territory in territories:
        answers = list(((territory.document.get("evaluation") or {}).get("answers") or {}).values())
        scales = {}
        for scale_id in scale_ids:
            values = [a["scores"][scale_id] for a in answers if isinstance(a.get("scores", {}).get(scale_id), int)]
            scales[scale_id] = {"mean": sum(values) / len(values) if values else None, "count": len(values),
                                "spread": {str(n): values.count(n) for n in range(1, 6)}}
        per_territory[territory.name] = {
            "answers": len(answers), "participants": territory.participants, "scales": scales,
            "texts": [a["text"].strip() for a in answers if (a.get("text") or "").strip()]}
    return {"scales": definition.get("scales", []), "question": definition.get("question"),
            "by_territory": per_territory}


# -- the next campaign's deck

def next_deck(results, merges=(), title=None, limit=None):
    """The template document (documents.py, DOC6) of the next campaign: the format of the campaign and
    as its deck the consolidated must-haves in their overall order, each card's `origin` naming the
    territories that chose it (CAMP7): `place` lists them, `votes` sums their dots, and `territories`
    gives each one's date, card id, dots and share."""
    comparison = compare(results, merges)
    fmt = results[0]["document"]["format"]
    dates = {t["territory"]: t["date"] for t in comparison["territories"]}
    rows = {row["id"] for row in (fmt.get("panorama") or {}).get("rows", [])}
    columns = {column["id"] for column in (fmt.get("panorama") or {}).get("columns", [])}
    by_territory = comparison["must_haves"]["by_territory"]
    deck = []
    for order, item in enumerate(comparison["must_haves"]["overall"][:limit], start=1):
        card = comparison["cards"][item["card"]]
        provenance = []
        for name in item["territories"]:
            mine = next(entry for entry in by_territory[name] if entry["card"] == item["card"])
            original = next((o for o in card["originals"] if o["territory"] == name), {"card_id": None})
            provenance.append({"territory": name, "date": dates.get(name), "card": original["card_id"],
                               "votes": mine["dots"], "share": round(mine["share"], 4)})
        place = ", ".join(p["territory"] for p in provenance)
        if len(place) > ORIGIN_PLACE_MAX:
            place = place[:ORIGIN_PLACE_MAX - 1] + "…"
        latest = max((p["date"] for p in provenance if p["date"]), default=None)
        deck.append({"id": f"c{order}", "text": card["text"].strip()[:280], "description": card["description"].strip(),
                     "domain": card["domain"] if card["domain"] in rows else None,
                     "category": card["category"] if card["category"] in columns else None,
                     "origin": {"board": (title or "Campagne")[:ORIGIN_TITLE_MAX], "place": place, "date": latest,
                                "card": provenance[0]["card"] if provenance and provenance[0]["card"] else f"c{order}",
                                "team": None, "speaker": None, "votes": sum(p["votes"] for p in provenance),
                                "territories": provenance}})
    vote_defaults = fmt.get("vote") or {}
    anonymous = [i for i, sequence in enumerate(fmt.get("sequences", [])) if sequence.get("anonymous") is True]
    return {"atelier": "template", "version": 1, "exported_at": None, "source_board": None,
            "format": {**fmt, "deck": []}, "deck": deck,
            "vote": {key: vote_defaults[key] for key in ("budget", "per_card") if key in vote_defaults},
            "anonymous": anonymous, "details": {"title": (title or "")[:ORIGIN_TITLE_MAX], "place": ""}}

