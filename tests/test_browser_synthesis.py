"""The published synthesis in real browsers (SYN1-SYN8), on the full-scale scene, results revealed.

The facilitator publishes it from the console's section (names left out), copies and opens its link;
the page is read at 1366×768 and on a phone: the heatmap, the ranking and the chart are visible, in
type one can read, nothing drawn over anything, nothing wider than the screen; printing hides the buttons.
"""
import re
import shutil
import subprocess

from playwright.sync_api import expect

from browser import font_px, on_top, open_board, shoot, wait_until
from fullscale import NAMES, build_full_scene
from realtime import BoardClient
from test_browser_a11y import audit

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def boxes_overlap(a, b):
    return a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5 \
        and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5


def assert_no_overlap(page, selector):
    """No two of the elements matching `selector` share any area."""
    boxes = page.locator(selector).evaluate_all(
        "(nodes) => nodes.map((n) => { const r = n.getBoundingClientRect();"
        " return {x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height}; })")
    assert boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not boxes_overlap(a, b), (selector, a, b)


def assert_counts_inside_their_cells(page):
    """Each cell's number is drawn whole inside its cell."""
    outside = page.evaluate("""(() => [...document.querySelectorAll('.heat-cell')].filter((cell) => {
        const c = cell.getBoundingClientRect(), d = cell.querySelector('.heat-dots').getBoundingClientRect();
        return d.left < c.left || d.right > c.right || d.top < c.top || d.bottom > c.bottom;
      }).map((cell) => cell.dataset.zone))()""")
    assert outside == [], outside


def assert_fits_the_width(page):
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1"), "wider than the screen"


def assert_readable(page):
    """The heatmap's numbers, its cards, the ranking and the chart's labels, in type one reads."""
    for selector, smallest in ((".heat-dots", 18), (".heat-card", 13), ("#ranking-overall td", 14),
                               (".row-ranking li", 14)):
        sizes = page.locator(selector).evaluate_all("(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))")
        assert sizes and min(sizes) >= smallest, (selector, min(sizes))
    label = page.locator(".chart-label:visible").first
    assert font_px(label) >= 14
    # Each bar's label ends inside the chart: nothing cut off at the side.
    overflow = page.evaluate("""(() => { const svg = document.querySelector('svg.chart').getBoundingClientRect();
        return [...document.querySelectorAll('.chart-label')].filter((t) => getComputedStyle(t).display !== 'none')
          .filter((t) => t.getBoundingClientRect().right > svg.right + 1).map((t) => t.textContent); })()""")
    assert overflow == [], overflow


def test_the_facilitator_publishes_the_synthesis_and_it_reads_well_on_a_laptop_and_a_phone(server, contexts, shots):
    scene = build_full_scene(server.url, "revealed")
    console = open_board(contexts(viewport=LAPTOP, permissions=["clipboard-read", "clipboard-write"]),
                         scene["facilitator_url"])
    section = console.locator(".synthesis-control")
    section.scroll_into_view_if_needed()
    expect(console.locator("#synthesis-status")).to_have_text("Non publiée : aucun lien ne l’ouvre.")
    names = console.locator("#synthesis-names")
    expect(names).not_to_be_checked()
    publish = console.locator("#synthesis-publish")
    expect(publish).to_be_visible()
    assert on_top(publish) and publish.bounding_box()["height"] >= 44
    publish.click()
    expect(console.locator("#synthesis-status")).to_have_text("Publiée, sans aucun nom de participant.")
    link = console.locator("#synthesis-link")
    wait_until(console, "document.getElementById('synthesis-link').value.includes('/r/')")
    url = link.input_value()
    for control in ("#synthesis-copy", "#synthesis-open", "#synthesis-unpublish"):
        expect(console.locator(control)).to_be_visible()
        assert console.locator(control).bounding_box()["height"] >= 44, control
    console.locator("#synthesis-copy").click()
    expect(console.locator("#synthesis-copied")).to_have_text("Lien copié.")
    assert console.evaluate("navigator.clipboard.readText()") == url
    section.screenshot(path="/tmp/synthesis-console.png")

    # "Ouvrir la synthèse" opens the page in a new tab.
    with console.context.expect_page() as opened:
        console.locator("#synthesis-open").click()
    page = opened.value
    # The browser's print dialog cannot be seen headless: what the button calls is counted instead.
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.reload()
    assert page.url == url
    expect(page.locator("h1")).to_have_text("Atelier Compétences")
    expect(page.locator(".syn-kicker")).to_have_text("Découvrez le panorama")
    expect(page.locator("#syn-participants")).to_have_text("20 participants")
    expect(page.locator(".heat-cell")).to_have_count(16)
    for part in ("#heatmap", "#ranking-overall", "#syn-chart", "#ranking-by-row", "#new-cards", ".syn-definitions"):
        page.locator(part).scroll_into_view_if_needed()
        expect(page.locator(part)).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    first_cell = page.locator(".heat-cell").first
    expect(first_cell).to_be_in_viewport()  # the heatmap begins on the first screen
    assert_readable(page)
    assert_fits_the_width(page)
    assert_counts_inside_their_cells(page)
    assert_no_overlap(page, ".heat-cell, .heat-row, .heat-column")
    assert_no_overlap(page, ".heat-dots, .heat-card")
    assert_no_overlap(page, ".chart-bar rect")
    # Every number of the heatmap is on top of its cell's shade, the cards too.
    for dots in page.locator(".heat-dots").all()[:4]:
        assert on_top(dots)
    assert on_top(page.locator("#syn-print")) and page.locator("#syn-print").bounding_box()["height"] >= 44
    page.locator("#syn-print").click()
    assert page.evaluate("window.printed") == 1
    text = page.locator("body").inner_text()
    assert [name for name in NAMES if name in text] == []
    shoot(page, "synthesis", shots)
    page.screenshot(path="/tmp/synthesis-laptop.png")

    # Printing: no buttons on paper; the browser's own print (what "Imprimer" opens) gives A4 landscape
    # pages, the whole heatmap on the first.
    page.emulate_media(media="print")
    expect(page.locator(".syn-actions")).to_be_hidden()
    printed = page.pdf(prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    if shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", "-"], input=printed, capture_output=True, check=True).stdout.decode()
        assert re.search(r"Page size:\s+841\.\d+ x 59[45]\.\d+ pts", info), info
        first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=printed, capture_output=True,
                               check=True).stdout.decode()
        assert "Le Panorama final" in first and "Management et" in first and "Les incontournables" not in first

    # No serious accessibility fault (axe-core; its script needs the CSP lifted, in a context of its own).
    audited = contexts(viewport=LAPTOP, bypass_csp=True).new_page()
    audited.goto(url)
    audit(audited, "synthesis")
    audited.set_viewport_size({"width": 390, "height": 844})
    audit(audited, "synthesis on a phone")

    # On a phone: one domain's name across, its two cells side by side, the chart's short labels.
    phone = contexts(**PHONE).new_page()
    phone.goto(url)
    expect(phone.locator(".heat-cell")).to_have_count(16)
    assert_fits_the_width(phone)
    assert_readable(phone)
    assert_counts_inside_their_cells(phone)
    assert_no_overlap(phone, ".heat-cell, .heat-row")
    assert_no_overlap(phone, ".heat-dots, .heat-card")
    expect(phone.locator(".heat-column-name").first).to_be_visible()
    expect(phone.locator(".chart-label-short").first).to_be_visible()
    expect(phone.locator(".chart-label-long").first).to_be_hidden()
    cells = phone.locator(".heat-cell").all()[:2]
    assert abs(cells[0].bounding_box()["y"] - cells[1].bounding_box()["y"]) < 1  # side by side
    phone.locator("#syn-chart").scroll_into_view_if_needed()
    phone.screenshot(path="/tmp/synthesis-phone-chart.png")
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path="/tmp/synthesis-phone.png")

    # Names ticked while published: the same link now names the new cards' authors. The answer is held
    # back while someone else's change redraws the console: the box must stay as the facilitator set it.
    console.bring_to_front()
    console.evaluate("""(() => { const connection = window.atelier.connection; const send = connection.send.bind(connection);
        connection.send = (type, data) => { connection.send = send; // only the next command is held
          return new Promise((done) => { window.releaseSend = () => send(type, data).then(done, done); }); }; })()""")
    version = console.evaluate("window.atelier.connection.confirmed.version")
    names.check()
    other = BoardClient(server.url, scene["admin_token"])
    try:
        other.command("set_projector", {"show_join": False})
    finally:
        other.close()
    wait_until(console, f"window.atelier.connection.confirmed.version > {version}")
    expect(names).to_be_checked()
    console.evaluate("window.releaseSend()")
    expect(console.locator("#synthesis-status")).to_have_text("Publiée, avec les noms des auteurs des nouvelles cartes.")
    expect(link).to_have_value(url)
    assert console.locator("#synthesis-preview").get_attribute("href").endswith("/synthesis/preview?names=1")
    page.reload()
    expect(page.locator("#new-cards th", has_text="Auteur")).to_be_visible()
    assert any(name in page.locator("#new-cards").inner_text() for name in NAMES)

    # Taken back from the console: the open link answers the dead-link page.
    console.locator("#synthesis-unpublish").click()
    question = console.locator("dialog.confirm")
    expect(question).to_contain_text("Son lien n’ouvrira plus rien")
    question.locator(".confirm-yes").click()
    expect(console.locator("#synthesis-status")).to_have_text("Non publiée : aucun lien ne l’ouvre.")
    expect(console.locator("#synthesis-link-box")).to_be_hidden()
    assert phone.goto(url).status == 404
