"""Suggested groupings: proposed families for the cards of one zone (issue 14, spec GROUP1-GROUP3).

Pure: cards in, proposals out; nothing is read from or written to a board here (the facilitator's
console accepts a proposal with an ordinary command). It lives outside board/domain because it uses
scikit-learn, and the domain core keeps to the standard library.

How: each card's title and description are folded (case and accents ignored, French elisions such as
l’ or d’ cut off, French and English stop words dropped) and weighed by TF-IDF over its words; the
cards are clustered agglomeratively (average linkage) on the cosine distance, into the number of
families asked for, or, left to the board, as long as the families merged still share words. A card
that shares no word with any other, and a family of one card, stay ungrouped. Character n-grams and
word stems were tried and left out: on the Troc's competences they put fewer cards with their family
(docs/formats.md). Each family is labelled by its strongest words, spelt as the cards spell them. The
same cards always give the same proposals, whatever their order: nothing is random.
"""
import re
import unicodedata
from collections import Counter

# Words that say nothing about what a competence is about, in both languages of the board.
STOP_WORDS = frozenset("""
a au aux avec ce ces cet cette comme dans de des du elle en et eux il ils je la le les leur leurs lui
ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
toi ton tu un une vos votre vous y etre avoir faire fait sans sous tres plus moins tout tous toute
toutes chez entre vers afin ainsi aussi bien donc etc
the of and or to in on for with by from at as an is are be been this that these those it its into
about over under our your their his her my we you they them do does doing done make making
""".split())
# The elided articles and pronouns French glues to the next word (l’équipe, d’un, qu’il).
ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+", re.UNICODE)
# Past this many cards a zone's suggestion would take the laptop seconds (the distances grow as n²).
MAX_CARDS = 400
# Cards (or families, on average) this far apart on the cosine distance share too little to be one
# family: 1.0 is no word in common. Measured on tests/data/troc-families.json (docs/formats.md).
UNRELATED = 0.9


def fold(text):
    """Lower case without accents: "Négociation" and "negociation" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def singular(folded):
    """A plural's singular, crudely, as French and English mostly write it ("projets", "appels",
    "partners"): a long word's last s or x dropped. Enough for post-its; "gaz" or "prix" survive."""
    if len(folded) > 4 and folded[-1] in "sx" and folded[-2] not in "sux":
        return folded[:-1]
    return folded


def words(text):
    """The meaningful words of a text, as (folded, as written) pairs, in order."""
    found = []
    for match in WORD.finditer(ELISION.sub(" ", text)):
        written = match.group(0)
        folded = fold(written)
        if len(folded) < 2 or folded in STOP_WORDS or folded.isdigit():
            continue
        found.append((singular(folded), written))
    return found


def _card_text(card):
    return " ".join(part for part in (card.get("text") or "", card.get("description") or "") if part)


def suggest_groups(cards, groups=None):
    """Propose families for `cards` (dicts with `id`, `text`, optional `description`).

    `groups` is the number of families wanted, or None to let the cards decide. Returns
    `{"families": [{"label", "card_ids", "terms"}], "ungrouped": [card ids]}`: families biggest first
    (then in the order of their first card), card ids in the order given, every card exactly once.
    """
    cards = list(cards)
    if len(cards) > MAX_CARDS:
        raise ValueError(f"cards: at most {MAX_CARDS} cards can be grouped at once")
    if groups is not None and (not isinstance(groups, int) or isinstance(groups, bool) or groups < 1):
        raise ValueError("groups: a whole number of families, 1 or more")
    tokens = [words(_card_text(card)) for card in cards]
    # Clustered in an order of their own, by what they say: ties between equal distances then break
    # the same way whatever order the cards came in.
    usable = sorted((i for i, card_words in enumerate(tokens) if card_words),
                    key=lambda i: (fold(_card_text(cards[i])), str(cards[i]["id"])))
    if len(usable) < 2:
        return {"families": [], "ungrouped": [card["id"] for card in cards]}

    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    documents = [" ".join(folded for folded, _ in tokens[i]) for i in usable]
    by_word = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    word_matrix = by_word.fit_transform(documents)
    distances = cosine_distances(word_matrix)
    # A card that shares no word with any other is no family's: clustering it would only glue it
    # to whatever is left over, so it stays ungrouped.
    linked = [p for p in range(len(usable))
              if min(distances[p][q] for q in range(len(usable)) if q != p) < UNRELATED]
    clusters = []
    if len(linked) >= 2:
        among = distances[linked][:, linked]
        if groups is not None and groups < len(linked):
            model = AgglomerativeClustering(n_clusters=groups, metric="precomputed", linkage="average")
        else:
            # Left to the board, or more families asked than cards to put in them: merged for as long
            # as the families still share words.
            model = AgglomerativeClustering(n_clusters=None, distance_threshold=UNRELATED,
                                            metric="precomputed", linkage="average")
        labels = model.fit_predict(among)
        by_label = {}
        for position, cluster in zip(linked, labels):
            by_label.setdefault(int(cluster), []).append(position)
        clusters = list(by_label.values())

    spelling = _spellings(tokens)
    vocabulary = by_word.get_feature_names_out()
    families, grouped = [], set()
    for positions in clusters:
        if len(positions) < 2:
            continue  # a family of one card is no family
        terms = _top_terms(word_matrix, positions, vocabulary)
        ids = [cards[i]["id"] for i in sorted(usable[p] for p in positions)]
        grouped.update(ids)
        families.append({"label": _label(terms, spelling), "terms": [spelling[t] for t in terms],
                         "card_ids": ids, "first": min(usable[p] for p in positions)})
    families.sort(key=lambda family: (-len(family["card_ids"]), family["first"]))
    for family in families:
        del family["first"]
    return {"families": families, "ungrouped": [card["id"] for card in cards if card["id"] not in grouped]}


def _top_terms(word_matrix, positions, vocabulary, limit=3):
    """The words that weigh most in a family, strongest first (ties in alphabetical order)."""
    weights = word_matrix[positions].sum(axis=0).A1
    # A word shared by several of the family's cards says more than one card's long word.
    spread = (word_matrix[positions] > 0).sum(axis=0).A1
    ranked = sorted(range(len(vocabulary)), key=lambda j: (-spread[j], -weights[j], vocabulary[j]))
    return [vocabulary[j] for j in ranked[:limit] if weights[j] > 0]


def _spellings(tokens):
    """Each folded word as the cards best write it: rather not in capitals, rather with its accents
    (typed on a phone, "negocier" often loses them), then as most often written."""
    seen = {}
    for card_words in tokens:
        for folded, written in card_words:
            # A capital only at the start is the sentence's: "Négocier" is "négocier"; "MailChimp" stays.
            shown = written if written[1:] != written[1:].lower() else written.lower()
            seen.setdefault(folded, Counter())[shown] += 1

    def preference(item):
        shown, count = item
        return (len(shown) > 1 and shown.isupper(), shown == fold(shown), -count, shown)
    return {folded: min(counts.items(), key=preference)[0] for folded, counts in seen.items()}


def _label(terms, spelling):
    """A family's label from its two strongest words: "Négocier · contrat"."""
    shown = [spelling[term] for term in terms[:2]]
    if not shown:
        return ""
    text = " · ".join(shown)
    return text[0].upper() + text[1:]
