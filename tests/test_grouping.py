"""Suggested groupings (board/grouping.py, spec GROUP1-GROUP3): the families the board proposes for a
zone's cards, scored on the Troc's own competences against the families the seed files them under."""
import random

import pytest

from grouping_score import random_scores, score, troc_cards

from board.grouping import fold, suggest_groups, words


def cards_of(*texts):
    return [{"id": f"c{i}", "text": text} for i, text in enumerate(texts)]


def partition(suggestion):
    return {frozenset(family["card_ids"]) for family in suggestion["families"]}


@pytest.mark.parametrize("groups", [None, 9], ids=["automatic", "nine-asked"])
def test_the_troc_competences_land_with_their_family_far_more_than_at_random(groups):
    """The figure of docs/formats.md: the seed's families are found clearly better than by chance,
    the chance computed here from 200 seeded shuffles of the same group sizes."""
    cards, truth = troc_cards()
    suggestion = suggest_groups(cards, groups)
    mine, chance = score(suggestion, truth), random_scores(suggestion, truth)
    assert mine["ari"] > max(r["ari"] for r in chance)
    assert mine["landed"] > max(r["landed"] for r in chance)
    assert mine["precision"] > 2 * sum(r["precision"] for r in chance) / len(chance)
    if groups is not None:
        assert mine["families"] <= groups


def test_the_seed_s_own_families_are_found_where_they_share_words():
    cards, truth = troc_cards()
    suggestion = suggest_groups(cards)
    negotiation = {card_id for card_id, family in truth.items() if family == "Négociation"
                   and "négocier" in next(c["text"] for c in cards if c["id"] == card_id)}
    assert any(negotiation <= set(family["card_ids"]) for family in suggestion["families"])
    label = next(family["label"] for family in suggestion["families"] if negotiation <= set(family["card_ids"]))
    assert label.startswith("Négocier"), label
    # The competences the seed left ungrouped (singing, yoga...) share nothing: no family is made of them.
    loners = {card_id for card_id, family in truth.items() if family is None}
    assert loners <= set(suggestion["ungrouped"])


def test_every_card_is_proposed_once_in_the_order_given():
    cards, _ = troc_cards()
    suggestion = suggest_groups(cards, 9)
    proposed = [card_id for family in suggestion["families"] for card_id in family["card_ids"]]
    assert sorted(proposed + suggestion["ungrouped"]) == sorted(card["id"] for card in cards)
    order = [card["id"] for card in cards]
    for ids in [*(family["card_ids"] for family in suggestion["families"]), suggestion["ungrouped"]]:
        assert ids == sorted(ids, key=order.index)
    assert all(len(family["card_ids"]) >= 2 for family in suggestion["families"])
    sizes = [len(family["card_ids"]) for family in suggestion["families"]]
    assert sizes == sorted(sizes, reverse=True)


def test_the_same_cards_give_the_same_suggestion_whatever_their_order():
    cards, _ = troc_cards()
    first = suggest_groups(cards)
    assert suggest_groups(cards) == first
    shuffled = list(cards)
    random.Random(4).shuffle(shuffled)
    assert partition(suggest_groups(shuffled)) == partition(first)


def test_accents_case_and_elisions_are_ignored_and_labels_keep_the_cards_spelling():
    suggestion = suggest_groups(cards_of("NÉGOCIER UN CONTRAT", "negocier les tarifs", "Négocier l’échéancier",
                                         "faire du yoga", "chanter"))
    assert partition(suggestion) == {frozenset({"c0", "c1", "c2"})}
    assert suggestion["families"][0]["label"].startswith("Négocier")
    assert suggestion["ungrouped"] == ["c3", "c4"]
    assert fold("Échéancier") == "echeancier"
    assert [folded for folded, _ in words("l’organisation d’un colloque")] == ["organisation", "colloque"]


def test_stop_words_alone_make_no_family_in_french_or_english():
    suggestion = suggest_groups(cards_of("organiser un colloque", "préparer un budget", "write the minutes",
                                         "run the accounts", "negotiate a contract", "negotiate the rent"))
    assert partition(suggestion) == {frozenset({"c4", "c5"})}
    assert suggestion["families"][0]["label"] == "Negotiate · contract"


def test_descriptions_count_as_much_as_titles():
    suggestion = suggest_groups([
        {"id": "a", "text": "Dossier FSE", "description": "obtenir une subvention européenne"},
        {"id": "b", "text": "Aides de la région", "description": "chercher une subvention"},
        {"id": "c", "text": "Chorale", "description": "chanter à plusieurs voix"}])
    assert partition(suggestion) == {frozenset({"a", "b"})}


def test_the_number_of_families_asked_is_kept_when_the_cards_allow_it():
    cards, _ = troc_cards()
    for groups in (3, 6, 9):
        assert len(suggest_groups(cards, groups)["families"]) <= groups
    assert len(suggest_groups(cards, 6)["families"]) < len(suggest_groups(cards, 12)["families"])


def test_asking_for_more_families_than_the_cards_can_fill_proposes_those_they_share():
    suggestion = suggest_groups(cards_of("négocier un contrat", "négocier un prix", "faire du yoga",
                                         "chercher des subventions", "monter un dossier de subvention"), 9)
    assert partition(suggestion) == {frozenset({"c0", "c1"}), frozenset({"c3", "c4"})}
    assert suggestion["ungrouped"] == ["c2"]


def test_too_few_cards_or_no_words_make_no_family():
    assert suggest_groups([]) == {"families": [], "ungrouped": []}
    assert suggest_groups(cards_of("négocier")) == {"families": [], "ungrouped": ["c0"]}
    assert suggest_groups(cards_of("?!", "123", "de la")) == {"families": [], "ungrouped": ["c0", "c1", "c2"]}


@pytest.mark.parametrize("groups", [0, -2, 2.5, True, "3"])
def test_a_bad_number_of_families_is_refused(groups):
    with pytest.raises(ValueError, match="groups"):
        suggest_groups(cards_of("a b", "a c"), groups)
