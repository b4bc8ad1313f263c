"""One family on the projector, chosen in the console (spec DISPLAY11), at full scale in chromium.

The console's projector picker lists the families the room made, and keeps up as they are renamed and
deleted; choosing one puts it alone on the projector (1920x1080): its name over its cards, each with its
keywords, in one zone's type (28 px or more, CSS zoom included), inside the screen, none over another.
Scenes: the factors map with 50 factors in 8 families and keywords (tests/formats_projector_scene.py),
the Troc with 40 competences in 8 families.
"""
import pytest
from browser import expect, open_board, wait_laid_out, wait_version
from formats_projector_scene import build_factor_families_scene, build_troc_scene
from realtime import BoardClient

PROJECTOR = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1280, "height": 800}

SHOWN = """() => {
  const zoomOf = (node) => { let z = 1; for (let n = node; n && n.nodeType === 1; n = n.parentElement)
    z *= parseFloat(getComputedStyle(n).zoom) || 1; return z; };
  const rendered = (node) => parseFloat(getComputedStyle(node).fontSize) * zoomOf(node);
  const cards = [...document.querySelectorAll('#stage .card')].filter((card) => card.checkVisibility());
  const heading = [...document.querySelectorAll('#panorama h2')].filter((h) => h.checkVisibility());
  return {
    focus: document.body.dataset.focus,
    headings: heading.map((h) => [h.textContent, rendered(h)]),
    cards: cards.map((card) => {
      const r = card.getBoundingClientRect();
      const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return { id: card.dataset.card, font: rendered(card.querySelector('.card-text')), box: [r.left, r.top, r.right, r.bottom],
               onTop: card.contains(top),
               notes: [...card.querySelectorAll('.note-chip')].filter((n) => n.checkVisibility()).map((n) => [n.textContent, rendered(n)]) };
    }),
    screen: [innerWidth, innerHeight],
  };
}"""


@pytest.fixture(scope="module")
def scenes(server):
    built = {}

    def scene(name):
        if name not in built:
            built[name] = build_factor_families_scene(server.url) if name == "factors" else build_troc_scene(server.url)
        return built[name]
    return scene


def _picker_families(console):
    """The names listed under the picker's "Une famille", in order (one list per such group)."""
    return console.locator("#projector-focus optgroup").evaluate_all(
        "(groups) => groups.filter((g) => g.label === 'Une famille').map((g) => [...g.children].map((o) => o.textContent))")


def _apart(a, b):
    return min(a[2], b[2]) - max(a[0], b[0]) <= 0.5 or min(a[3], b[3]) - max(a[1], b[1]) <= 0.5


@pytest.mark.parametrize("name", ["factors", "troc"])
def test_the_console_puts_one_family_on_the_projector_alone_in_the_rooms_type(scenes, contexts, name):
    """DISPLAY11: the picker lists the 8 families in the order they were made; the first chosen, the
    projector shows its name alone over exactly its cards (and keywords) at 28 px or more, apart."""
    scene = scenes(name)
    families = scene["families"]
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    assert _picker_families(console) == [[family_name for _, family_name, _ in families]]
    projector = open_board(contexts(viewport=PROJECTOR), scene["projector_url"])
    family_id, family_name, cards = families[0]
    console.select_option("#projector-focus", label=family_name)
    expect(console.locator("#projector-showing")).to_contain_text(family_name)
    expect(projector.locator("#focus-name")).to_have_text(family_name)
    wait_laid_out(projector)
    seen = projector.evaluate(SHOWN)
    projector.screenshot(path=f"/tmp/fp-family-{name}.png")
    assert seen["focus"] == "area"
    assert [h[0] for h in seen["headings"]] == [family_name]  # the canvas and the other areas out of sight
    assert sorted(card["id"] for card in seen["cards"]) == sorted(cards)
    width, height = seen["screen"]
    for card in seen["cards"]:
        assert card["font"] >= 28, card
        left, top, right, bottom = card["box"]
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, card
        assert card["onTop"], card
    for i, a in enumerate(seen["cards"]):
        for b in seen["cards"][i + 1:]:
            assert _apart(a["box"], b["box"]), (a["id"], b["id"])
    if name == "factors":  # each factor's keyword under it, in type the room reads
        notes = [note for card in seen["cards"] for note in card["notes"]]
        assert len(notes) == len(cards) and min(font for _, font in notes) >= 20, notes


def test_the_picker_and_the_projector_keep_up_with_a_family_renamed_then_deleted(server, contexts):
    """DISPLAY11, CANVAS9: renamed, the family on the screen takes its new name there and in the picker;
    emptied and deleted, it leaves the picker and the projector goes back to the overview."""
    scene = build_factor_families_scene(server.url)
    family_id, family_name, cards = scene["families"][1]
    console = open_board(contexts(viewport=LAPTOP), scene["facilitator_url"])
    projector = open_board(contexts(viewport=PROJECTOR), scene["projector_url"])
    console.select_option("#projector-focus", label=family_name)
    expect(projector.locator(".family-stage h2")).to_have_text(family_name)
    maker = BoardClient(server.url, scene["participants"][0]["token"])
    facilitator = BoardClient(server.url, scene["admin_token"])
    try:
        assert facilitator.command("set_sequence", {"index": 1})["ok"]  # the families sequence: rename, move, delete
        assert maker.command("rename_zone", {"zone_id": family_id, "label": "Demande et usages"})["ok"]
        expect(projector.locator(".family-stage h2")).to_have_text("Demande et usages")
        assert "Demande et usages" in _picker_families(console)[0]
        for card_id in cards:
            assert facilitator.command("move_card", {"card_id": card_id, "zone_id": "carte", "x": 0.4, "y": 0.86})["ok"]
        answer = facilitator.command("delete_zone", {"zone_id": family_id})
        assert answer["ok"], answer
        wait_version(projector, facilitator.replica.version)
    finally:
        maker.close()
        facilitator.close()
    expect(projector.locator("body")).to_have_attribute("data-focus", "overview")
    expect(projector.locator(".family-stage")).to_have_count(0)
    assert "Demande et usages" not in _picker_families(console)[0]
    assert len(_picker_families(console)[0]) == 7
