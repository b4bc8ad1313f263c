"""The participants' evaluation in chromium (EVAL8): the panel opens on a laptop and on a phone when the
facilitator opens the evaluation, its choices are visible, 44 px, inside the screen and unhidden; an
answer sent, changed, and closed; the console counts the answers. On a board made from the campaign's
template (tests/campaign_scene.py), at the end of a played workshop (its vote closed).
"""
from browser import expect, font_px, on_top, open_board, shoot
from campaign_scene import TOURS, create_evaluated_workshop
from realtime import BoardClient
from test_browser_a11y import audit

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def reachable(page, locator):
    """Visible, inside the viewport, at least 44 px each way, and not covered by anything."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    size = page.viewport_size
    assert box["width"] >= 44 and box["height"] >= 44, box
    assert 0 <= box["x"] and box["x"] + box["width"] <= size["width"] + 0.5, box
    assert 0 <= box["y"] and box["y"] + box["height"] <= size["height"] + 0.5, box
    assert on_top(locator)


def test_participants_answer_on_a_laptop_and_a_phone_and_the_console_counts(server, contexts, shots):
    workshop = create_evaluated_workshop(server.url, participants=3)
    facilitator = BoardClient(server.url, workshop["admin_token"])
    try:
        # The end of a workshop: cards placed, the vote held and closed.
        assert facilitator.command("set_sequence", {"index": 2})["ok"]
        for card_id, zone in TOURS["placed"].items():
            assert facilitator.command("move_card", {"card_id": card_id, "zone_id": zone, "x": 0.3, "y": 0.5})["ok"]
        assert facilitator.command("set_sequence", {"index": 3})["ok"]
        assert facilitator.command("open_vote")["ok"] and facilitator.command("close_vote")["ok"]
        console = open_board(contexts(viewport={"width": 1366, "height": 900}), workshop["facilitator_url"])
        laptop = open_board(contexts(**LAPTOP), workshop["participants"][0]["board_url"])
        phone = open_board(contexts(**PHONE), workshop["participants"][1]["board_url"])
        for page in (laptop, phone):
            expect(page.locator("#evaluation-toggle")).to_be_hidden()  # not open yet
        expect(console.locator("#evaluation-count")).to_have_text("Réponses : 0 sur 3")
        console.locator("#evaluation-open").click()

        # The panel opens by itself on both, its title and the first scale's five choices in reach.
        for page in (laptop, phone):
            expect(page.locator("#evaluation-panel")).to_be_visible()
            expect(page.locator("#evaluation-title")).to_have_text("Votre avis sur l’atelier")
            legends = page.locator(".evaluation-scale legend")
            assert legends.all_inner_texts() == ["Utilité pour mon travail", "Rythme de l’atelier", "Un langage commun"]
            assert font_px(legends.first) >= 16
            choices = page.locator('.evaluation-scale[data-scale="utile"] .evaluation-choice')
            assert choices.all_inner_texts() == ["1", "2", "3", "4", "5"]
            for index in range(5):
                reachable(page, choices.nth(index))
            xs = [choices.nth(i).bounding_box()["x"] for i in range(5)]
            assert xs == sorted(xs)  # 1 to 5, left to right
        # No serious accessibility fault in the open panel (axe-core needs the CSP bypassed to be injected).
        auditor = open_board(contexts(bypass_csp=True, **LAPTOP), workshop["participants"][2]["board_url"])
        expect(auditor.locator("#evaluation-panel")).to_be_visible()
        audit(auditor, "evaluation panel")
        shoot(laptop, "evaluation-laptop", shots)
        shoot(phone, "evaluation-phone", shots)

        # The laptop answers; a missing scale is said, not sent.
        laptop.locator('.evaluation-scale[data-scale="utile"] .evaluation-choice').nth(3).click()
        laptop.locator("#evaluation-submit").click()
        expect(laptop.locator("#evaluation-status")).to_contain_text("« Rythme de l’atelier »")
        laptop.locator('.evaluation-scale[data-scale="rythme"] .evaluation-choice').nth(2).click()
        laptop.locator('.evaluation-scale[data-scale="langage"] .evaluation-choice').nth(4).click()
        laptop.locator("#evaluation-text").fill("Un vocabulaire enfin partagé.")
        laptop.locator("#evaluation-submit").click()
        expect(laptop.locator("#evaluation-status")).to_have_text("Merci : votre réponse est enregistrée.")
        expect(laptop.locator("#evaluation-submit")).to_have_text("Modifier ma réponse")
        expect(console.locator("#evaluation-count")).to_have_text("Réponses : 1 sur 3")

        # The phone answers with its thumb, after scrolling the sheet to the text.
        for scale, index in (("utile", 1), ("rythme", 4), ("langage", 3)):
            choice = phone.locator(f'.evaluation-scale[data-scale="{scale}"] .evaluation-choice').nth(index)
            choice.scroll_into_view_if_needed()
            choice.tap()
        phone.locator("#evaluation-submit").scroll_into_view_if_needed()
        reachable(phone, phone.locator("#evaluation-submit"))
        phone.locator("#evaluation-submit").tap()
        expect(console.locator("#evaluation-count")).to_have_text("Réponses : 2 sur 3")

        # Changed on the laptop, then closed: the form is frozen and says so.
        laptop.locator('.evaluation-scale[data-scale="utile"] .evaluation-choice').nth(4).click()
        laptop.locator("#evaluation-submit").click()
        expect(laptop.locator("#evaluation-status")).to_have_text("Merci : votre réponse est enregistrée.")
        console.locator("#evaluation-close-all").click()
        expect(laptop.locator("#evaluation-status")).to_have_text(
            "L’évaluation est close : votre réponse est enregistrée. Merci !")
        expect(laptop.locator('input[name="evaluation-utile"][value="5"]')).to_be_checked()
        expect(laptop.locator('input[name="evaluation-utile"][value="5"]')).to_be_disabled()
        expect(laptop.locator("#evaluation-submit")).to_be_hidden()
        expect(console.locator("#evaluation-state")).to_have_text("Close : les réponses sont définitives.")
        answers = facilitator.state()["evaluation"]["answers"]
        assert answers[workshop["participants"][0]["participant_id"]] == {
            "scores": {"utile": 5, "rythme": 3, "langage": 5}, "text": "Un vocabulaire enfin partagé."}
        assert answers[workshop["participants"][1]["participant_id"]]["scores"] == {"utile": 2, "rythme": 5, "langage": 4}
        shoot(console, "evaluation-console", shots)
    finally:
        facilitator.close()
