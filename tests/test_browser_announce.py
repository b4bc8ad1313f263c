"""What a screen-reader user hears at full scale: the live regions of one participant's page, counted
while the 19 others of the full-scale scene move cards, and their own keyboard moves, placed or refused.
"""
import math
import random
import threading
import time

import requests

from browser import expect, open_board
from conftest import create_workshop
from fullscale import TEAMS, as_facilitator, build_full_scene
from realtime import BoardClient

LOAD_SECONDS = 30
MOVES_PER_PERSON = 30  # a bound on the load, whatever the machine's speed
SUMMARY_INTERVAL_S = 10  # announcer.js: at most one summary of the others' activity every 10 s

# Every change of a live region's text, as a screen reader would get it: which region, what text,
# and whether a move of mine was still waiting for the server's answer at that moment.
LISTEN = """() => {
  window.heard = [];
  const live = '[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log]';
  // Every write into a region counts, the same words included: a screen reader may say them again.
  new MutationObserver((records) => {
    const touched = new Set();
    for (const record of records) {
      const node = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
      const region = node?.closest(live);
      if (region) touched.add(region);
    }
    const pending = [...window.atelier.connection.pending.values()];
    for (const region of touched) {
      const text = region.textContent.trim();
      if (!text || region.hidden) continue;
      window.heard.push({ region: region.id, text, at: performance.now(),
        unacknowledgedMoves: pending.filter((p) => p.type === 'move_card' && p.version === null).length });
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


def heard(page):
    return page.evaluate("window.heard")


def move_cards_as(base_url, person, team, state, until, rng, counter):
    """One participant moving their team's cards between their team's cells until `until`."""
    rows = next(rows for name, rows in TEAMS if name == team["name"])
    zones = [f"{row}/{column}" for row in rows for column in ("techniques", "capacites")]
    cards = [c["id"] for c in state["cards"] if c["team"] == team["id"] and c["zone"] in zones]
    client = BoardClient(base_url, person["token"])
    try:
        for _ in range(MOVES_PER_PERSON):
            if time.monotonic() >= until:
                break
            ack = client.command("move_card", {"card_id": rng.choice(cards), "zone_id": rng.choice(zones),
                                               "x": round(rng.random(), 3), "y": round(rng.random(), 3)})
            if ack["ok"]:
                counter.append(1)
            time.sleep(rng.uniform(0.4, 1.2))
    finally:
        client.close()


def board_state(server, scene):
    return requests.get(server.url + "/api/board", timeout=5,
                        headers={"Authorization": f"Bearer {scene['admin_token']}"}).json()


def test_the_others_activity_is_summed_up_every_ten_seconds_at_most_never_twice_the_same(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page = open_board(contexts(viewport={"width": 1366, "height": 768}), scene["people"][0]["board_url"])
    page.wait_for_timeout(500)
    page.evaluate(LISTEN)
    state = board_state(server, scene)
    teams = {t["id"]: t for t in state["teams"]}
    moves = []
    until = time.monotonic() + LOAD_SECONDS
    workers = [threading.Thread(target=move_cards_as, daemon=True, args=(
        server.url, person, teams[scene["team_of"][person["participant_id"]]], state, until,
        random.Random(index), moves)) for index, person in enumerate(scene["people"][1:])]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=LOAD_SECONDS + 30)
    elapsed = time.monotonic() - started
    page.wait_for_timeout(SUMMARY_INTERVAL_S * 1000 + 500)  # the last summary comes out
    said = heard(page)
    activity = [h for h in said if h["region"] == "activity"]
    characters = sum(len(h["text"]) for h in said)
    print(f"\n{len(moves)} moves by 19 people in {elapsed:.0f} s: the page's live regions changed "
          f"{len(said)} times, {characters} characters (others' activity: {len(activity)} summaries)")
    for h in said:
        print(f"  {h['at'] / 1000:7.1f} s  [{h['region']}] {h['text']}")
    assert len(moves) >= 100, "the load did not happen"
    # At most one summary per interval (the first after a short gathering time), about a sentence each.
    assert 1 <= len(activity) <= math.ceil(elapsed / SUMMARY_INTERVAL_S) + 2
    assert len(said) == len(activity), "only the others' activity region spoke: nothing of mine happened"
    assert characters <= 120 * len(said)
    gaps = [b["at"] - a["at"] for a, b in zip(activity, activity[1:])]
    assert all(gap >= SUMMARY_INTERVAL_S * 1000 - 200 for gap in gaps), gaps
    assert all(a["text"] != b["text"] for a, b in zip(said, said[1:])), "the same text twice in a row"
    # A summary groups people and cards: "Karim et 3 autres ont déplacé 6 cartes."
    assert any("autres ont déplacé" in h["text"] for h in activity), activity


def keyboard_move_down_from_the_first_card(page, meanwhile=lambda: None):
    """Shortcuts → first domain → its first card; Space, ↓ (the next domain), `meanwhile()`, Enter."""
    for key in ("Tab", "Tab", "Enter"):
        page.keyboard.press(key)
    card_id = page.evaluate("document.activeElement.closest('[data-card]').dataset.card")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    target = page.locator("#panorama .drop-target").get_attribute("data-zone")
    meanwhile()
    page.keyboard.press("Enter")
    return card_id, target


def test_a_keyboard_move_refused_by_the_sequence_is_said_as_refused_and_never_as_placed(server, contexts):
    scene = build_full_scene(server.url, "placed")
    page = open_board(contexts(viewport={"width": 1366, "height": 768}), scene["people"][0]["board_url"])
    page.evaluate(LISTEN)

    def sequence_closes_while_carrying():
        # In a closed sequence Space picks nothing up (test_browser_qa_board.py); here the facilitator
        # moves on to Découverte, where nothing moves, while the card is already carried.
        as_facilitator(server.url, scene, ("set_sequence", {"index": 0}))
        expect(page.locator("#sequence-name")).to_contain_text("Découverte")
    card_id, target = keyboard_move_down_from_the_first_card(page, meanwhile=sequence_closes_while_carrying)
    expect(page.locator("#announcer")).to_contain_text("Refusé")
    expect(page.locator("#toast")).to_contain_text("Refusé")
    # Seen too: the refusal and the keyboard hint (the card still has the focus) side by side, not stacked.
    expect(page.locator("#key-hint")).to_be_visible()
    toast, hint = page.locator("#toast").bounding_box(), page.locator("#key-hint").bounding_box()
    assert hint["y"] + hint["height"] <= toast["y"] or toast["y"] + toast["height"] <= hint["y"], (toast, hint)
    # The card, back in its place, has the focus and is in sight.
    expect(page.locator(f'#panorama [data-zone="socle/techniques"] [data-card="{card_id}"] .card-body')).to_be_focused()
    expect(page.locator(f'#panorama [data-card="{card_id}"] .card-body')).to_be_in_viewport(ratio=1)
    page.screenshot(path="/tmp/keyboard-refused.png")
    page.wait_for_timeout(500)
    said = heard(page)
    print("\nheard:", said)
    mine = [h["text"] for h in said if h["region"] == "announcer"]
    assert not any("posée" in text for h in said for text in [h["text"]]), said
    assert "Refusé" in mine[-1] and "Découverte" in mine[-1], mine
    # The card went back where it was; the server never had it elsewhere.
    expect(page.locator(f'#panorama [data-zone="socle/techniques"] [data-card="{card_id}"]')).to_be_visible()
    zone = next(c["zone"] for c in board_state(server, scene)["cards"] if c["id"] == card_id)
    assert zone == "socle/techniques" != target


def test_a_keyboard_move_is_said_placed_only_once_the_server_has_it(server, contexts):
    scene = build_full_scene(server.url, "placed")  # Compléter: moves are open
    page = open_board(contexts(viewport={"width": 1366, "height": 768}), scene["people"][0]["board_url"])
    page.evaluate(LISTEN)
    card_id, target = keyboard_move_down_from_the_first_card(page)
    expect(page.locator("#announcer")).to_contain_text("posée")
    said = [h for h in heard(page) if h["region"] == "announcer"]
    print("\nheard:", said)
    placed = [h for h in said if "posée" in h["text"]]
    assert len(placed) == 1 and placed[0]["unacknowledgedMoves"] == 0, said
    assert not any("Refusé" in h["text"] for h in said)
    zone = next(c["zone"] for c in board_state(server, scene)["cards"] if c["id"] == card_id)
    assert zone == target


def test_the_summaries_group_people_and_cards_in_plain_words(server, contexts):
    """The announcer's sentences, in the page's real module: one card in detail, more cards counted."""
    workshop = create_workshop(server.url, participants=1)
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    sentences = page.evaluate("""async () => {
      const { summarise } = await import('/static/js/announcer.js');
      const move = (who, text) => ({ who, kind: 'moved', text, zone: 'Parking' });
      return {
        one: summarise([move('Karim', 'A')]),
        same: summarise([move('Karim', 'A'), move('Karim', 'B')]),
        pair: summarise([move('Karim', 'A'), move('Sophie', 'B'), move('Karim', 'C')]),
        group: summarise([move('Karim', 'A'), move('Sophie', 'B'), move('Léa', 'C'), move('Hugo', 'D'),
                          move('Karim', 'E'), move('Léa', 'F'), { who: 'Léa', kind: 'created', text: 'Nouvelle' }]),
      };
    }""")
    assert sentences == {
        "one": "Karim a placé « A » dans Parking.",
        "same": "Karim a déplacé 2 cartes.",
        "pair": "Karim et Sophie ont déplacé 3 cartes.",
        "group": "Karim et 3 autres ont déplacé 6 cartes. Léa a écrit « Nouvelle ».",
    }


def put_and_take_dots(base_url, person, cards, rounds, rng):
    client = BoardClient(base_url, person["token"])
    try:
        for _ in range(rounds):
            card_id = rng.choice(cards)
            if client.command("vote", {"card_id": card_id, "delta": 1})["ok"]:
                client.command("vote", {"card_id": card_id, "delta": -1})
    finally:
        client.close()


def test_the_others_dots_are_not_read_out_and_my_dot_budget_is_said_only_when_it_changes(server, contexts):
    scene = build_full_scene(server.url, "voting")
    page = open_board(contexts(viewport={"width": 1366, "height": 768}), scene["people"][0]["board_url"])
    expect(page.locator("#vote-budget")).to_be_visible()
    page.wait_for_timeout(300)
    page.evaluate(LISTEN)
    cards = [c["id"] for c in board_state(server, scene)["cards"] if c["zone"] not in ("deck", "parking")]
    workers = [threading.Thread(target=put_and_take_dots, daemon=True,
                                args=(server.url, person, cards, 10, random.Random(index)))
               for index, person in enumerate(scene["people"][1:])]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    page.wait_for_timeout(SUMMARY_INTERVAL_S * 1000 // 2)
    others = heard(page)
    print("\nheard while 19 others put and took 380 dots:", others)
    assert others == []  # the budget line is a live region: rewriting the same text would speak again
    # My own dot changes the line once, with new words.
    before = page.locator("#vote-budget").inner_text()
    page.locator("#panorama .card .dot-more").first.click()
    expect(page.locator("#vote-budget")).not_to_have_text(before)
    page.wait_for_timeout(300)
    mine = heard(page)
    assert len(mine) == 1 and mine[0]["region"] == "vote-budget", mine


def test_the_announcer_never_says_the_same_words_twice_in_a_row_and_a_new_sequence_at_once(server, contexts):
    """The real module on the page, with a short interval: two identical summaries in a row are told
    apart, a new sequence is said at once with what was waiting, my own feedback never waits."""
    workshop = create_workshop(server.url, participants=1)
    page = open_board(contexts(), workshop["participants"][0]["board_url"])
    said = page.evaluate("""async () => {
      const { Announcer } = await import('/static/js/announcer.js');
      const own = document.createElement('div'), others = document.createElement('div');
      const log = [];
      new MutationObserver(() => log.push(['others', others.textContent])).observe(others, { childList: true });
      new MutationObserver(() => log.push(['own', own.textContent])).observe(own, { childList: true });
      const announcer = new Announcer(own, others, { interval: 400, settle: 50 });
      const wait = (ms) => new Promise((done) => setTimeout(done, ms));
      const moved = (who) => ({ who, kind: 'moved', text: 'A', zone: 'Parking' });
      announcer.activity(moved('Karim'));
      announcer.own('« B » posée dans Parking.');   // mine: at once, not after the others
      const first = { own: own.textContent, others: others.textContent };
      await wait(150);
      announcer.activity(moved('Karim'));            // the same words again, later
      await wait(150);
      const throttled = log.filter(([region]) => region === 'others').length;  // still one
      await wait(400);
      announcer.activity(moved('Sophie'));
      announcer.activity(moved('Léa'));
      announcer.urgent('Nouvelle séquence : Placement.');  // at once, with what was waiting
      await wait(600);
      return { first, throttled, log };
    }""")
    print(said)
    assert said["first"] == {"own": "« B » posée dans Parking.", "others": ""}
    assert said["throttled"] == 1
    assert [text for region, text in said["log"] if region == "others"] == [
        "Karim a placé « A » dans Parking.",
        "Encore : Karim a placé « A » dans Parking.",
        "Nouvelle séquence : Placement. Sophie et Léa ont déplacé 2 cartes.",
    ]
