"""The projector's overview of the formats without a Panorama, at full scale, as the room sees it (spec
DISPLAY9, DISPLAY10), and long words on every format's projector.

Scenes: the factors map in its *Thèmes* sequence (tests/links_scene.py: 50 factors in 8 families shared
by 4 teams of 20 people, 11 themes linked to their factors under 3 headings), the Troc (tests/
formats_projector_scene.py: 40 competences of 10 people, 8 families), the Rencontre prospective (44 quotes
and competences under 4 themes), and the flagship's full scene (tests/fullscale.py) for long words.
Measured in chromium: every area's box and heading (its size as rendered, CSS zoom included), every
card's box, type and whether anything covers it; every line of every title (Range rects in the page).
"""
import pytest
from browser import open_board, wait_laid_out
from formats_projector_scene import build_factor_families_scene, build_prospective_scene, build_troc_scene
from links_scene import build_themes_scene

# The two screens a projector has. A projected picture is as large in the room whatever its resolution,
# so type reads alike at the same share of the picture's height. At 1280x720 the canvas, drawn at a
# fixed size (1600 x 900 px, canvas.js) and sharing the screen with the areas, leaves 10 px: the share
# of 15 px at 1080.
SCREENS = {"1920x1080": ({"width": 1920, "height": 1080}, {"card": 16, "heading": 20}),
           "1280x720": ({"width": 1280, "height": 720}, {"card": 10, "heading": 12})}
LONG_WORD_SHARE = 0.8  # a title with a word wider than its card is set smaller, to this share at most

RENDERED = """const zoomOf = (node) => { let z = 1; for (let n = node; n && n.nodeType === 1; n = n.parentElement)
    z *= parseFloat(getComputedStyle(n).zoom) || 1; return z; };
  const rendered = (node) => parseFloat(getComputedStyle(node).fontSize) * zoomOf(node);
  const box = (node) => { const r = node.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };"""

# Every area on the stage (a canvas, a free area): its box, its heading and the cards drawn in it; every
# card: its box, its title's rendered size, whether it was set smaller for a long word, whether the
# point at its centre is the card's own (nothing drawn over it), its lines that run past its edge; every
# family frame.
AREAS = """() => {
  """ + RENDERED + """
  const shown = (node) => node.checkVisibility();
  const areas = [...document.querySelectorAll('#panorama > .canvas-wrap, #panorama > .free-area')].filter(shown).map((area) => {
    const head = area.querySelector(':scope > h2, :scope > .canvas-head h2');
    return { id: area.dataset.zone || area.dataset.canvas, box: box(area), head: head.textContent,
             headFont: rendered(head), headBox: box(head),
             cards: [...area.querySelectorAll('.card')].filter(shown).map((card) => card.dataset.card) };
  });
  const cards = [...document.querySelectorAll('#panorama .card')].filter(shown).map((card) => {
    const text = card.querySelector('.card-text');
    const r = card.getBoundingClientRect();
    const atCentre = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    // A line of the card (its title, its author's name, its notes) that runs past the card's edge or out of its
    // own box sideways is cut for the room (a line ending in "…" is whole: its box holds it).
    const clipped = [...card.querySelectorAll('.card-line, .card-author, .card-notes, .card-note-count')].filter(shown)
      .filter((part) => part.getBoundingClientRect().bottom > r.bottom + 1 || part.getBoundingClientRect().right > r.right + 1
                        || part.scrollWidth > part.clientWidth + 1).map((part) => part.className);
    return { id: card.dataset.card, box: box(card), font: rendered(text), shrunk: text.hasAttribute('data-word-fit'),
             onTop: card.contains(atCentre), clipped };
  });
  const families = [...document.querySelectorAll('#panorama .family')].filter(shown)
    .map((family) => ({ id: family.dataset.zone, box: box(family), font: rendered(family.querySelector('.family-name')) }));
  return { areas, cards, families, screen: [innerWidth, innerHeight] };
}"""

# Every line break inside a title that falls between two letters (not after a space, a hyphen or a
# slash), found from each letter's Range rect: the word it cuts, that word's width on one line as set and
# at the title's own size, and the width of the line.
BROKEN = """() => {
  const found = [];
  const letter = /[\\p{L}\\p{N}]/u;
  const edge = /[\\s/-]/u;
  const range = document.createRange();
  for (const text of document.querySelectorAll('#stage .card .card-text')) {
    const node = text.firstChild;
    if (!text.checkVisibility() || !node || node.nodeType !== Node.TEXT_NODE) continue;
    const line = text.closest('.card-line') || text.closest('.card-body');
    const width = line.getBoundingClientRect().width;
    // The title's own size and the one it is set in (smaller, for a long word).
    const scale = parseFloat(getComputedStyle(line).fontSize) / parseFloat(getComputedStyle(text).fontSize);
    let zoom = 1;
    for (let n = line; n; n = n.parentElement) zoom *= parseFloat(getComputedStyle(n).zoom) || 1;
    const own = parseFloat(getComputedStyle(line).fontSize) * zoom; // the title's own size as rendered
    const data = node.data;
    let lineTop = null;
    for (let i = 0; i < data.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      // The last box: a letter after a soft hyphen at a line's end also has the hyphen's box on the line above.
      const rect = [...range.getClientRects()].at(-1);
      if (!rect || !rect.width) continue;
      // Inside a word: between two letters, or after a soft hyphen the page put there (shown as "-").
      const inside = (letter.test(data[i - 1]) || data[i - 1] === '\u00ad') && letter.test(data[i]);
      if (lineTop !== null && rect.top > lineTop + rect.height / 2 && inside) {
        let start = i - 1;
        while (start > 0 && !edge.test(data[start - 1])) start--;
        let end = i;
        while (end < data.length && !edge.test(data[end])) end++;
        // The word's width on one line: a copy of it that may not wrap, in the title's type, beside it.
        const probe = document.createElement('span');
        probe.style.whiteSpace = 'nowrap';
        probe.style.position = 'absolute';
        probe.textContent = data.slice(start, end).replaceAll('\u00ad', '');
        text.append(probe);
        const wordWidth = probe.getBoundingClientRect().width;
        probe.remove();
        found.push({ card: text.closest('.card').dataset.card, word: data.slice(start, end), at: i - start,
                     hyphen: data[i - 1] === '\u00ad',
                     wordWidth, fullWidth: wordWidth * scale, own, width });
      }
      lineTop = rect.top;
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def scenes(server):
    """Each format's scene, built once on the shared server when a test first asks for it."""
    built = {}

    def scene(name):
        if name not in built:
            if name == "cartographie-facteurs":
                built[name] = build_themes_scene(server.url)[0]
            elif name == "cartographie-facteurs-mots-cles":
                built[name] = build_factor_families_scene(server.url)
            elif name == "troc-competences":
                built[name] = build_troc_scene(server.url)
            else:
                built[name] = build_prospective_scene(server.url)
        return built[name]
    return scene


def _projector(contexts, scene, screen):
    page = open_board(contexts(viewport=screen), scene["projector_url"])
    wait_laid_out(page)
    return page


def _inside(inner, outer, slack=0.5):
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _apart(a, b, slack=0.5):
    return min(a[2], b[2]) - max(a[0], b[0]) <= slack or min(a[3], b[3]) - max(a[1], b[1]) <= slack


EXPECTED_AREAS = {"cartographie-facteurs": (["carte", "theme-ecosysteme", "theme-demande", "theme-rh"], 61),
                  # Earlier in the factors map: its theme areas still empty, its factors with keywords.
                  "cartographie-facteurs-mots-cles": (["carte", "theme-ecosysteme", "theme-demande", "theme-rh"], 50),
                  "troc-competences": (["mur"], 40),
                  "rencontre-prospective": (["salarie-acteur", "digital", "boucles-courtes", "villes-intelligentes"], 44)}


@pytest.mark.parametrize("screen_name", SCREENS)
@pytest.mark.parametrize("name", EXPECTED_AREAS)
def test_the_overview_of_a_format_without_a_panorama_shows_every_area_readable_and_apart(scenes, contexts, shots, name,
                                                                                         screen_name):
    """DISPLAY9: every area of the format is on the screen, none squashed under another: its heading
    reads from the back of the room, and every card in it is inside it and the screen, in readable type,
    apart from every other card, under nothing, and no line of it (title, author) cut at its edge."""
    screen, least = SCREENS[screen_name]
    page = _projector(contexts, scenes(name), screen)
    seen = page.evaluate(AREAS)
    page.screenshot(path=f"/tmp/fp-{name}-overview-{screen_name}.png")
    if (name, screen_name) == ("cartographie-facteurs", "1920x1080"):  # the README's picture (make screenshots)
        page.screenshot(path=str(shots / "factors-overview.png"))
    area_ids, cards_on_board = EXPECTED_AREAS[name]
    everywhere = [0, 0, *seen["screen"]]
    assert [area["id"] for area in seen["areas"]] == area_ids
    assert len(seen["cards"]) == cards_on_board
    for area in seen["areas"]:
        assert _inside(area["box"], everywhere), area
        assert area["headFont"] >= least["heading"], area
        assert _inside(area["headBox"], area["box"]), area
        # Visible, not a sliver: room under its heading (for a line of cards, when it has some).
        assert area["box"][3] - area["box"][1] >= (4 if area["cards"] else 2) * area["headFont"], area
    for a, b in zip(seen["areas"], seen["areas"][1:]):
        assert _apart(a["box"], b["box"]), (a["id"], b["id"])
    in_area = {card: area["box"] for area in seen["areas"] for card in area["cards"]}
    for card in seen["cards"]:
        assert _inside(card["box"], everywhere) and _inside(card["box"], in_area[card["id"]]), card
        assert card["onTop"] and card["clipped"] == [], repr(card)
        smallest = least["card"] * (LONG_WORD_SHARE if card["shrunk"] else 1)
        assert card["font"] >= smallest - 0.01, card
    boxes = sorted((card["box"], card["id"]) for card in seen["cards"])
    for i, (box, card) in enumerate(boxes):
        for other_box, other in boxes[i + 1:]:
            if other_box[0] >= box[2]:
                break
            assert _apart(box, other_box), (card, other)
    for family in seen["families"]:
        assert family["font"] >= least["card"], family  # a family's name, larger than its cards


# The flagship's overview never sets a title under 16 px (tests/test_browser_projector.py), not even for
# a long word; the overviews without a Panorama only by LONG_WORD_SHARE.
SMALLEST_TITLE = {"atelier-competences": 16}


@pytest.mark.parametrize("name", ["atelier-competences", *EXPECTED_AREAS])
def test_no_title_on_the_projector_breaks_inside_a_word_that_fits_its_card(scenes, full_scene, contexts, name):
    """DISPLAY10: at 1920x1080, every line of every card's title ends between words or after a hyphen;
    one that ends inside a word is allowed only where that word alone is wider than the card even with
    the title set as small as a long word may make it (LONG_WORD_SHARE of its size, never under the
    overview's minimum), and then at a syllable, with a hyphen."""
    scene = full_scene("placed") if name == "atelier-competences" else scenes(name)
    page = _projector(contexts, scene, SCREENS["1920x1080"][0])
    page.screenshot(path=f"/tmp/fp-{name}-words.png")
    broken = page.evaluate(BROKEN)

    def at_smallest(b):
        share = max(LONG_WORD_SHARE, SMALLEST_TITLE.get(name, 0) / b["own"])
        return b["fullWidth"] * min(1, share)
    # 2 % to spare: a word exactly as wide as its line may still wrap on rounding.
    fitting = [b for b in broken if at_smallest(b) <= 0.98 * b["width"]]
    assert fitting == [], repr(fitting)
    # A word too wide for its card breaks at one of its syllables, with a hyphen, not between any two letters.
    assert [b for b in broken if not b["hyphen"]] == []
    assert all(b["word"].replace("\u00ad", "")[b["at"] - 1:b["at"] + 1] for b in broken)


FAMILY_ROWS = """() => [...document.querySelectorAll('.family')].map((family) => {
  const boxes = [...family.querySelectorAll('.card')].filter((card) => card.offsetParent)
    .map((card) => card.getBoundingClientRect());
  const tops = [...new Set(boxes.map((b) => Math.round(b.top)))].sort((a, b) => a - b);
  const lefts = [...new Set(boxes.map((b) => Math.round(b.left)))].sort((a, b) => a - b);
  // Each line as the columns it fills, 0 the left one.
  return { name: family.querySelector('.family-name, .family-head, h3, header')?.textContent.trim(),
           lines: tops.map((top) => boxes.filter((b) => Math.round(b.top) === top)
             .map((b) => lefts.indexOf(Math.round(b.left))).sort()) };
})"""


def test_the_troc_s_ten_families_show_their_cards_two_a_line_with_no_gap(scenes, contexts):
    """CANVAS3, DISPLAY9: the seed's ten families made from the group's choice of post-its (create_zone
    with card_ids) each show their cards in reading order, two a line, no slot left empty before the last
    (they were laid out three a line in a frame of two, and a family of five showed holes)."""
    page = _projector(contexts, scenes("troc-competences"), SCREENS["1920x1080"][0])
    page.screenshot(path="/tmp/troc-ten-families.png")
    families = page.evaluate(FAMILY_ROWS)
    assert len(families) == 10, families
    for family in families:
        cards = sum(len(line) for line in family["lines"])
        assert family["lines"] == [[0, 1]] * (cards // 2) + [[0]] * (cards % 2), family
