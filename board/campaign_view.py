"""A campaign's comparison for people: its page (templates/campaign.html) and its synthesis as CSV, XLSX
and JSON (CAMP8-CAMP10), laid out from what domain/campaign_compare.compare gives.

`page_view(comparison, lang, title)` is plain data for the template: a route renders it with
`render_template(PAGE_TEMPLATE, c=page_view(...))` (Flask stays in the HTTP layers); `campaign_csv`, `campaign_xlsx` and `campaign_json`
are the capitalisation's files; `next_deck_file` is the next campaign's template document as bytes.
French unless English is asked for, as the synthesis page (synthesis_view.language).
"""
import csv
import io
import json

from .domain.campaign_compare import next_deck
from .domain.documents import to_json
from .export import as_text
from .export_xlsx import MIMETYPE, _write_table, sheet_names
from .synthesis_view import _date, _label, language

XLSX_MIMETYPE = MIMETYPE
PAGE_TEMPLATE = "campaign.html"  # templates/campaign.html, rendered with c=page_view(...)
TEXT = {
    "fr": {
        "kicker": "Campagne · comparaison des territoires", "print": "Imprimer", "other_language": "English",
        "other_lang": "en", "territories": "Les territoires", "territory_count": "{n} territoires", "territory": "Territoire", "date": "Date",
        "participants": "Participants", "voters": "Votants", "dots": "Gommettes", "source": "Origine",
        "server": "sur ce serveur", "imported": "importé (hors ligne)",
        "must_haves": "Les incontournables", "overall": "Classement de la campagne",
        "formula": "Pour chaque territoire, la part d’une carte est ses gommettes divisées par le nombre de votants "
                   "de cet atelier (ceux qui ont placé au moins une gommette). Le score de la campagne est la moyenne "
                   "de ces parts sur les territoires qui ont voté : une grande salle ne pèse pas plus qu’une petite.",
        "rank": "Rang", "card": "Carte", "score": "Score", "share": "part", "per_voter": "gommette(s) par votant",
        "without_votes": "Sans vote : {names}.", "no_vote": "sans vote", "no_votes": "Aucune gommette n’a encore été placée.",
        "by_territory": "Par territoire", "shared": "Ce que les territoires partagent", "common_placed":
        "Cartes placées dans tous les territoires", "common_chosen": "Incontournables de tous les territoires",
        "specific": "Propre à un seul territoire", "specific_placed": "placées", "specific_chosen": "choisies",
        "none": "Aucune", "panorama": "Le Panorama côte à côte", "panorama_hint":
        "Dans chaque case, les cartes que chaque territoire y a placées ; en gras celles qu’il a choisies, avec leur part.",
        "empty": "—", "new": "nouvelle", "merged": "fusionnée", "merges": "Nouvelles cartes fusionnées",
        "merges_hint": "Des cartes écrites dans plusieurs territoires, comptées comme une seule ; les originales sont gardées.",
        "originals": "Originales", "evaluation": "L’évaluation des ateliers", "answers": "Réponses",
        "mean": "moyenne sur 5", "texts": "Ce que les participants ont écrit", "no_answer": "Aucune réponse.",
        "warnings": "À vérifier", "of": "sur",
        "csv_header": ["Section", "Territoire", "Lieu", "Carte", "Type", "Gommettes", "Votants", "Part", "Score",
                       "Rang", "Territoires"],
        "sections": {"overall": "Classement", "territory": "Territoire", "placement": "Placement",
                     "common": "Commune", "specific": "Propre", "evaluation": "Évaluation"},
        "kinds": {"deck": "Carte du jeu", "new": "Nouvelle carte", "merged": "Carte fusionnée", "postit": "Post-it",
                  "quote": "Citation"},
        "sheets": ["Classement", "Panorama", "Communes et propres", "Évaluation"],
    },
    "en": {
        "kicker": "Campaign · territories compared", "print": "Print", "other_language": "Français",
        "other_lang": "fr", "territories": "The territories", "territory_count": "{n} territories", "territory": "Territory", "date": "Date",
        "participants": "Participants", "voters": "Voters", "dots": "Dots", "source": "Source",
        "server": "on this server", "imported": "imported (offline)",
        "must_haves": "The must-haves", "overall": "The campaign's ranking",
        "formula": "In each territory a card's share is its dots divided by the number of voters of that workshop "
                   "(those who put at least one dot). The campaign's score is the mean of these shares over the "
                   "territories that voted: a large room does not outweigh a small one.",
        "rank": "Rank", "card": "Card", "score": "Score", "share": "share", "per_voter": "dot(s) per voter",
        "without_votes": "No vote: {names}.", "no_vote": "no vote", "no_votes": "No dot has been placed yet.",
        "by_territory": "By territory", "shared": "What the territories share", "common_placed":
        "Cards placed in every territory", "common_chosen": "Must-haves of every territory",
        "specific": "Specific to one territory", "specific_placed": "placed", "specific_chosen": "chosen",
        "none": "None", "panorama": "The Panorama side by side", "panorama_hint":
        "In each cell, the cards each territory placed there; in bold those it chose, with their share.",
        "empty": "—", "new": "new", "merged": "merged", "merges": "Merged new cards",
        "merges_hint": "Cards written in several territories, counted as one; the originals are kept.",
        "originals": "Originals", "evaluation": "The workshops' evaluation", "answers": "Answers",
        "mean": "mean out of 5", "texts": "What participants wrote", "no_answer": "No answer.",
        "warnings": "To check", "of": "of",
        "csv_header": ["Section", "Territory", "Place", "Card", "Kind", "Dots", "Voters", "Share", "Score",
                       "Rank", "Territories"],
        "sections": {"overall": "Ranking", "territory": "Territory", "placement": "Placement",
                     "common": "Common", "specific": "Specific", "evaluation": "Evaluation"},
        "kinds": {"deck": "Deck card", "new": "New card", "merged": "Merged card", "postit": "Sticky note",
                  "quote": "Quote"},
        "sheets": ["Ranking", "Panorama", "Common and specific", "Evaluation"],
    },
}


def _number(value, digits=2):
    """A share or a score as people read it: at most two decimals, a comma in French."""
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value is not None else ""


def page_view(comparison, lang="fr", title=None):
    """What the campaign's page shows, in `lang`, as plain data for templates/campaign.html."""
    lang = language(lang)
    words = TEXT[lang]
    cards = comparison["cards"]
    names = [t["territory"] for t in comparison["territories"]]
    fr = lang == "fr"

    def shown(number):
        text = _number(number)
        return text.replace(".", ",") if fr else text

    shares = {name: {item["card"]: item for item in comparison["must_haves"]["by_territory"][name]} for name in names}

    def card_view(key, territory=None):
        card = cards[key]
        mine = shares[territory].get(key) if territory else None
        return {"key": key, "text": card["text"], "kind": card["kind"], "territory": card["territory"],
                "chosen": bool(mine), "share": shown(mine["share"]) if mine else "", "dots": mine["dots"] if mine else 0}

    overall = [{"rank": item["rank"], "score": shown(item["score"]), **card_view(item["card"]),
                "per_territory": [{"territory": name, "share": shown(item["shares"][name]) if item["shares"].get(name) else "",
                                   "rank": shares[name][item["card"]]["rank"] if item["card"] in shares[name] else None}
                                  for name in names]}
               for item in comparison["must_haves"]["overall"]]
    places = [{"id": place["id"], "kind": place["kind"], "label": _label(place["label"], lang),
               "territories": [sorted((card_view(key, name) for key in place["by_territory"].get(name, [])),
                                      key=lambda c: (not c["chosen"], -c["dots"], c["text"].casefold()))
                               for name in names]}
              for place in comparison["places"]]
    evaluation = comparison.get("evaluation")
    if evaluation:
        evaluation = {
            "question": _label(evaluation.get("question"), lang),
            "scales": [{"id": s["id"], "label": _label(s["label"], lang)} for s in evaluation["scales"]],
            "territories": [{"territory": name, **evaluation["by_territory"][name],
                             "means": [{"id": s["id"], "mean": shown(evaluation["by_territory"][name]["scales"][s["id"]]["mean"]),
                                        "width": round(100 * (evaluation["by_territory"][name]["scales"][s["id"]]["mean"] or 0) / 5, 1)}
                                       for s in evaluation["scales"]]}
                            for name in names]}
    return {
        "lang": lang, "text": words, "title": title or _label(comparison["format"]["name"], lang),
        "format_name": _label(comparison["format"]["name"], lang),
        "territories": [{**t, "when": _date(t["date"], lang), "source_label": words.get(t["source"], t["source"])}
                        for t in comparison["territories"]],
        "names": names, "count": len(names), "overall": overall,
        "without_votes": comparison["must_haves"]["without_votes"],
        "by_territory": [{"territory": name, "items": [{"rank": item["rank"], **card_view(item["card"], name)}
                                                        for item in comparison["must_haves"]["by_territory"][name]]}
                         for name in names],
        "common_placed": [card_view(key) for key in comparison["common"]["placed"]],
        "common_chosen": [card_view(key) for key in comparison["common"]["chosen"]],
        "specific": [{"territory": name, "placed": [card_view(k, name) for k in comparison["specific"][name]["placed"]],
                      "chosen": [card_view(k, name) for k in comparison["specific"][name]["chosen"]]} for name in names],
        "places": places, "merges": comparison["merges"], "evaluation": evaluation,
        "warnings": comparison.get("warnings", []),
    }


# -- the capitalisation's files

def synthesis_rows(comparison, lang="fr"):
    """The campaign's synthesis as one table (the CSV's lines; the XLSX spreads it over sheets): the
    overall ranking, each territory's, each place's cards per territory, the common and specific
    cards and the evaluation's means; numbers as numbers."""
    words = TEXT[lang]
    sections, kinds, cards = words["sections"], words["kinds"], comparison["cards"]
    voters = {t["territory"]: t["voters"] for t in comparison["territories"]}
    rows = [words["csv_header"]]
    for item in comparison["must_haves"]["overall"]:
        card = cards[item["card"]]
        rows.append([sections["overall"], "", "", card["text"], kinds.get(card["kind"], card["kind"]), "", "", "",
                     round(item["score"], 4), item["rank"], ", ".join(item["territories"])])
    for name, items in comparison["must_haves"]["by_territory"].items():
        for item in items:
            card = cards[item["card"]]
            rows.append([sections["territory"], name, "", card["text"], kinds.get(card["kind"], card["kind"]),
                         item["dots"], voters[name], round(item["share"], 4), "", item["rank"], ""])
    for place in comparison["places"]:
        for name, keys in place["by_territory"].items():
            for key in keys:
                card = cards[key]
                rows.append([sections["placement"], name, _label(place["label"], lang), card["text"],
                             kinds.get(card["kind"], card["kind"]), "", "", "", "", "", ""])
    for basis in ("placed", "chosen"):
        for key in comparison["common"][basis]:
            rows.append([sections["common"], "", words[f"specific_{basis}"], cards[key]["text"],
                         kinds.get(cards[key]["kind"], cards[key]["kind"]), "", "", "", "", "", ""])
        for name, specific in comparison["specific"].items():
            for key in specific[basis]:
                rows.append([sections["specific"], name, words[f"specific_{basis}"], cards[key]["text"],
                             kinds.get(cards[key]["kind"], cards[key]["kind"]), "", "", "", "", "", ""])
    evaluation = comparison.get("evaluation")
    if evaluation:
        for name, result in evaluation["by_territory"].items():
            for scale in evaluation["scales"]:
                mean = result["scales"][scale["id"]]["mean"]
                rows.append([sections["evaluation"], name, _label(scale["label"], lang), "", "", "",
                             result["answers"], "", "" if mean is None else round(mean, 4), "", ""])
    return rows


def campaign_csv(comparison, lang="fr"):
    """The synthesis as a CSV for French Excel, as the board's export (export.panorama_csv): BOM, ';',
    CRLF, numbers as numbers with a decimal comma in French, no text a spreadsheet would run."""
    lang = language(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in synthesis_rows(comparison, lang):
        writer.writerow([(f"{value:g}".replace(".", ",") if lang == "fr" else f"{value:g}") if isinstance(value, float)
                         else as_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def campaign_xlsx(comparison, lang="fr"):
    """The synthesis as an XLSX workbook laid out as the board's (export_xlsx): the ranking with a
    column per territory, the Panorama side by side, the common and specific cards, the evaluation."""
    from openpyxl import Workbook
    lang = language(lang)
    words, cards = TEXT[lang], comparison["cards"]
    names = [t["territory"] for t in comparison["territories"]]
    titles = sheet_names(words["sheets"])
    book = Workbook()
    ranking = book.active
    ranking.title = titles[0]
    header = [words["rank"], words["card"], words["score"]] + [f"{name} ({words['share']})" for name in names]
    _write_table(ranking, header, [[item["rank"], cards[item["card"]]["text"], round(item["score"], 4)]
                                   + [round(item["shares"][n], 4) if n in item["shares"] else None for n in names]
                                   for item in comparison["must_haves"]["overall"]])
    _write_table(book.create_sheet(titles[1]), [""] + names,
                 [[_label(place["label"], lang)] + ["\n".join(cards[k]["text"] for k in place["by_territory"].get(n, []))
                                                    for n in names] for place in comparison["places"]],
                 widths=[30] + [40] * len(names))
    lines = [[words["common_placed"], "", "\n".join(cards[k]["text"] for k in comparison["common"]["placed"])],
             [words["common_chosen"], "", "\n".join(cards[k]["text"] for k in comparison["common"]["chosen"])]]
    for name in names:
        for basis in ("placed", "chosen"):
            lines.append([f"{words['specific']} ({words['specific_' + basis]})", name,
                          "\n".join(cards[k]["text"] for k in comparison["specific"][name][basis])])
    _write_table(book.create_sheet(titles[2]), ["", words["territory"], words["card"]], lines, widths=[40, 20, 60])
    evaluation = comparison.get("evaluation")
    if evaluation:
        scales = evaluation["scales"]
        _write_table(book.create_sheet(titles[3]),
                     [words["territory"], words["answers"]] + [_label(s["label"], lang) for s in scales] + [words["texts"]],
                     [[n, evaluation["by_territory"][n]["answers"]]
                      + [None if evaluation["by_territory"][n]["scales"][s["id"]]["mean"] is None
                         else round(evaluation["by_territory"][n]["scales"][s["id"]]["mean"], 2) for s in scales]
                      + ["\n".join(evaluation["by_territory"][n]["texts"])] for n in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def campaign_json(comparison):
    """The comparison itself as a UTF-8 JSON file (every number exact, every key as compare gives it)."""
    return (json.dumps(comparison, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def next_deck_file(results, merges=(), title=None, limit=None):
    """The next campaign's template document (its deck the consolidated must-haves) as a file's bytes."""
    return to_json(next_deck(results, merges, title=title, limit=limit))
