"""What the published synthesis shows, as plain data for its page and its PDF (SYN4-SYN8).

Everything comes from the board as it stands: its own Panorama labels (they may have been renamed
during the workshop), its cards and the vote's ranking (vote.ranking, the one the results show).
Nothing here names a participant unless `names` is true: the facilitator's choice at publishing.
A format without a Panorama (FMT16) has no grid to shade: its page shows the format's own areas, the
families made on them and each card with what the format gathers on it (notes by kind, ratings on its
axes, whether it was kept, marks, links, speaker), its ranking only where it holds a vote (SYN11).
"""
import datetime
import math

from .domain.canvas import FAMILY
from .domain.model import NEW_CARD, PARTICIPANT
from .domain.ratings import axes as rating_axes, position
from .domain.vote import ranking
from .export import RATING_WORDS, holds_vote

LANGUAGES = ("fr", "en")
CHART_SIZE = 10  # the bar chart shows this many must-haves, the best first
# On paper the heatmap is one grid kept on the first page; a Panorama too full for that is laid out as
# one block per cell instead, which may run over pages (a grid cannot be cut, and WeasyPrint drops what
# overflows). Measured on the full-scale scene's PDF: a printed cell's line holds about 95 characters of
# cards, a row takes its fullest cell's lines plus 0.6 of a line, and a page about 36 such lines.
PRINT_LINE_CHARS, PRINT_ROW_GAP, PRINT_PAGE_LINES = 95, 0.6, 36
# A bar's label is cut to fit one line: shorter on a phone, where the stylesheet shows the short one.
CHART_LABEL_LONG, CHART_LABEL_SHORT = 90, 38
MONTHS = {"fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                 "octobre", "novembre", "décembre"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")}

TEXT = {
    "fr": {
        "kicker": "Découvrez le panorama", "participants": "{n} participants", "participant": "1 participant",
        "print": "Imprimer", "pdf": "Télécharger le PDF", "other_language": "English", "other_lang": "en",
        "heatmap": "Le Panorama final", "heatmap_hint": "Chaque case est teintée selon ses gommettes : "
        "plus elle est foncée, plus la salle y a placé d’incontournables. Le nombre de gommettes est écrit dans la case.",
        "dots": "gommettes", "dot": "gommette", "no_vote": "Les résultats du vote ne sont pas encore révélés : "
        "le Panorama est montré sans ses gommettes.",
        "ranking": "Les incontournables", "ranking_overall": "Classement général", "ranking_by_row": "Par domaine",
        "rank": "Rang", "card": "Compétence", "where": "Domaine · catégorie", "chart": "Les {n} premiers incontournables",
        "chart_label": "Diagramme en barres : gommettes des {n} premiers incontournables",
        "new_cards": "Les nouvelles cartes des équipes", "team": "Équipe", "author": "Auteur",
        "no_new_cards": "Aucune nouvelle carte n’a été écrite.", "definitions": "Définitions",
        "empty_cell": "Aucune carte", "no_dots": "Aucune gommette n’a été placée.", "by": "par",
        "footer": "Synthèse publiée par l’animation de l’atelier. Aucun nom de participant n’y figure.",
        "footer_names": "Synthèse publiée par l’animation de l’atelier, avec les noms des auteurs.",
        "other_area": "Hors Panorama",
        "preview": "Aperçu pour l’animation : cette page n’est pas publiée, personne d’autre ne la voit.",
        "kicker_areas": "Synthèse de l’atelier", "ranking_areas": "Le classement", "zone": "Zone",
        "ungrouped": "Sans famille", "linked": "Liée à", "no_card": "Aucune carte", "said_by": "Propos de",
        "a_participant": "un participant",
    },
    "en": {
        "kicker": "Discover the panorama", "participants": "{n} participants", "participant": "1 participant",
        "print": "Print", "pdf": "Download the PDF", "other_language": "Français", "other_lang": "fr",
        "heatmap": "The final Panorama", "heatmap_hint": "Each cell is shaded by its dots: the darker it is, "
        "the more must-haves the room put there. The number of dots is written in the cell.",
        "dots": "dots", "dot": "dot", "no_vote": "The vote's results are not revealed yet: the Panorama is shown "
        "without its dots.",
        "ranking": "The must-haves", "ranking_overall": "Overall ranking", "ranking_by_row": "By domain",
        "rank": "Rank", "card": "Competence", "where": "Domain · category", "chart": "The top {n} must-haves",
        "chart_label": "Bar chart: dots of the top {n} must-haves",
        "new_cards": "The teams’ new cards", "team": "Team", "author": "Author",
        "no_new_cards": "No new card was written.", "definitions": "Definitions",
        "empty_cell": "No card", "no_dots": "No dot was placed.", "by": "by",
        "footer": "Synthesis published by the workshop's facilitator. No participant is named in it.",
        "footer_names": "Synthesis published by the workshop's facilitator, with the authors' names.",
        "other_area": "Outside the Panorama",
        "preview": "Facilitator's preview: this page is not published, nobody else sees it.",
        "kicker_areas": "Workshop synthesis", "ranking_areas": "The ranking", "zone": "Zone",
        "ungrouped": "Ungrouped", "linked": "Linked to", "no_card": "No card", "said_by": "Said by",
        "a_participant": "a participant",
    },
}


def language(asked):
    """The page's language: French unless English is asked for."""
    return asked if asked in LANGUAGES else "fr"


def _label(value, lang):
    return (value.get(lang) or value.get("fr", "")) if isinstance(value, dict) else (value or "")


def _date(text, lang):
    """A YYYY-MM-DD date as people write it ("28 novembre 2026", "28 November 2026"); other text as it is."""
    try:
        day = datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def _cut(text, limit):
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def synthesis(board, lang="fr", names=False):
    """The synthesis of `board` in `lang`, naming authors only when `names` (SYN3)."""
    lang = language(lang)
    document = board.format.document
    details = getattr(board, "details", None) or {}
    rows = [{"id": row["id"], "label": _label(row["label"], lang)} for row in board.format.rows]
    columns = [{"id": column["id"], "label": _label(column["label"], lang)} for column in board.format.columns]
    row_labels = {row["id"]: row["label"] for row in rows}
    column_labels = {column["id"]: column["label"] for column in columns}
    revealed = board.vote.revealed
    results = ranking(board) if revealed else {"totals": {}, "overall": [], "by_row": {}}
    totals = results["totals"]
    # A card still face down (private mode) was never shown to the room: it is not published either.
    # Notes are not cards of the Panorama (NOTE13): the page shows the cards.
    shown = {card.id: card for card in board.cards.values()
             if not card.private and board.zones[card.zone].kind != "deck" and card.parent is None}

    def where(card):
        zone = board.zones[card.zone]
        if zone.row is None:
            return _label(zone.label, lang) or TEXT[lang]["other_area"]
        return " · ".join(filter(None, (row_labels.get(zone.row, zone.row), column_labels.get(zone.column, ""))))

    def team_name(card):
        team = board.teams.get(card.team) if card.team else None
        return team.name if team else ""

    def entry(ranked):
        card = board.cards[ranked["card_id"]]
        return {"id": card.id, "rank": ranked["rank"], "dots": ranked["dots"], "text": card.text,
                "where": where(card), "new": card.kind == NEW_CARD}

    # The heatmap: each cell's dots over the busiest cell's (SYN5).
    cells = {}
    for zone in board.zones.values():
        if zone.row is None or zone.column is None:
            continue
        cards = sorted((card for card in shown.values() if card.zone == zone.id),
                       key=lambda card: (-totals.get(card.id, 0), card.text.casefold(), card.id))
        cells[(zone.row, zone.column)] = {
            "zone": zone.id, "dots": sum(totals.get(card.id, 0) for card in cards),
            "cards": [{"id": card.id, "text": card.text, "dots": totals.get(card.id, 0), "new": card.kind == NEW_CARD}
                      for card in cards]}
    busiest = max((cell["dots"] for cell in cells.values()), default=0)
    for cell in cells.values():
        cell["shade"] = round(cell["dots"] / busiest, 4) if busiest else 0.0
    heatmap = [{**row, "cells": [cells.get((row["id"], column["id"]),
                                           {"zone": None, "dots": 0, "cards": [], "shade": 0.0})
                                 for column in columns]} for row in rows]

    printed_lines = sum(max(2, max(math.ceil(sum(len(card["text"]) + 8 for card in cell["cards"]) / PRINT_LINE_CHARS)
                                       for cell in row["cells"])) + PRINT_ROW_GAP for row in heatmap)

    overall = [entry(ranked) for ranked in results["overall"] if ranked["card_id"] in shown]
    by_row = [{**row, "entries": [entry(ranked) for ranked in results["by_row"].get(row["id"], [])
                                  if ranked["card_id"] in shown]} for row in rows]
    top = overall[:CHART_SIZE]
    most = max((item["dots"] for item in top), default=0)
    chart = [{**item, "percent": round(100 * item["dots"] / most, 2) if most else 0,
              "long": _cut(f"{item['rank']}. {item['text']}", CHART_LABEL_LONG),
              "short": _cut(f"{item['rank']}. {item['text']}", CHART_LABEL_SHORT)} for item in top]

    new_cards = []
    for card in sorted((c for c in shown.values() if c.kind == NEW_CARD), key=lambda c: (team_name(c).casefold(), c.text.casefold())):
        author = board.participants.get(card.author) if names and card.author else None
        new_cards.append({"id": card.id, "text": card.text, "description": card.description, "where": where(card),
                          "team": team_name(card), "dots": totals.get(card.id, 0),
                          "author": author.name if author else None})

    panorama = bool(rows)
    text = TEXT[lang] if panorama else {**TEXT[lang], "kicker": TEXT[lang]["kicker_areas"],
                                         "ranking": TEXT[lang]["ranking_areas"], "where": TEXT[lang]["zone"]}
    return {
        "lang": lang, "text": text, "names": names, "panorama": panorama, "voting": holds_vote(board),
        "areas": [] if panorama else areas_of(board, lang, names, shown, totals if revealed else {}),
        "title": details.get("title") or _label(document.get("name"), lang),
        "format_name": _label(document.get("name"), lang),
        "date": _date(details.get("date"), lang), "place": details.get("place") or "",
        "participants": sum(1 for member in board.participants.values() if member.role == PARTICIPANT),
        "revealed": revealed, "columns": columns, "heatmap": heatmap, "busiest": busiest,
        "heatmap_long": printed_lines > PRINT_PAGE_LINES,
        "overall": overall, "by_row": by_row, "chart": chart, "chart_most": most, "new_cards": new_cards,
        "definitions": [{"term": _label(d.get("term"), lang), "text": _label(d.get("text"), lang)}
                        for d in document.get("definitions", [])],
    }


def areas_of(board, lang, names, shown, totals):
    """A format without a Panorama, as its page shows it (SYN11): each area of the format but the deck, in
    its order, with its cards, or on a canvas its families (in the order the board reads them: top to
    bottom, left to right) then its cards in no family. Each card with what the format gathers on it."""
    areas = []
    for area in board.zones.values():
        if area.kind in ("deck", FAMILY):
            continue
        families = sorted((zone for zone in board.zones.values() if zone.kind == FAMILY and zone.area == area.id),
                          key=lambda zone: (zone.y or 0, zone.x or 0, zone.id))
        groups = [{"id": zone.id, "label": _label(zone.label, lang), "cards": _cards_in(board, zone.id, lang, names, shown, totals)}
                  for zone in families]
        loose = _cards_in(board, area.id, lang, names, shown, totals)
        areas.append({"id": area.id, "label": _label(area.label, lang), "kind": area.kind, "families": groups,
                      "cards": loose, "loose_label": TEXT[lang]["ungrouped"] if groups else ""})
    return areas


def _cards_in(board, zone_id, lang, names, shown, totals):
    """The shown cards of one zone in the order the board reads them (y, then x), each with its details."""
    cards = sorted((card for card in shown.values() if card.zone == zone_id), key=lambda card: (card.y, card.x, card.z, card.id))
    return [_card_details(board, card, lang, names, shown, totals) for card in cards]


def _card_details(board, card, lang, names, shown, totals):
    """One card's lines: its notes by kind (the format's labels), its ratings' means on the format's
    axes, kept, the format's marks (names, or how many when names are withheld), its links, its speaker."""
    words = TEXT[lang]
    kinds = board.format.document.get("note_kinds", [])
    notes = [note for note in board.cards.values() if note.parent == card.id and not note.private]
    lines = []
    for kind in kinds:
        texts = [note.text for note in sorted(notes, key=lambda n: (n.z, n.id)) if note.note_kind == kind["id"]]
        if texts:
            lines.append({"class": "notes", "label": _label(kind["label"], lang), "value": " ; ".join(texts)})
    axis_list = rating_axes(board)
    place = position(card.ratings, [axis["id"] for axis in axis_list])
    rated = [f"{_label(axis['label'], lang)} : {_mean(place[axis['id']]['mean'], lang)}" if lang == "fr"
             else f"{_label(axis['label'], lang)}: {_mean(place[axis['id']]['mean'], lang)}"
             for axis in axis_list if place[axis["id"]]]
    if rated:
        lines.append({"class": "ratings", "label": "", "value": " · ".join(rated)})
    for mark in board.format.document.get("marks", []):
        who = [board.participants[pid].name for pid in card.marks.get(mark["id"], []) if pid in board.participants
               and board.participants[pid].role == PARTICIPANT]
        if who:
            lines.append({"class": "marks", "label": _label(mark["label"], lang),
                          "value": ", ".join(who) if names else str(len(who))})
    linked = [shown[target].text for target in card.links if target in shown]
    if linked:
        lines.append({"class": "links", "label": words["linked"], "value": " · ".join(linked)})
    if card.speaker:
        lines.append({"class": "speaker", "label": words["said_by"],
                      "value": words["a_participant"] if card.speaker == "participant" else card.speaker})
    team = board.teams.get(card.team) if card.team else None
    author = board.participants.get(card.author) if names and card.author else None
    return {"id": card.id, "text": card.text, "description": card.description, "kept": card.kept,
            "kept_label": RATING_WORDS[lang]["kept"], "team": team.name if team else "",
            "author": author.name if author else None, "dots": totals.get(card.id, 0), "lines": lines}


def _mean(number, lang):
    text = f"{round(number, 2):g}"
    return text.replace(".", ",") if lang == "fr" else text
