"""The teams' default colours can be told apart, also by people with red-green colour blindness.

Computed, not eyeballed: WCAG relative luminance and contrast ratio; CIELAB (D65) and the CIEDE2000
colour difference; deuteranopia and protanopia simulated with the full-severity matrices of Machado,
Oliveira and Fernandes (2009), applied to linear RGB. A CIEDE2000 difference of about 2 is "just
noticeable"; two team colours should be far beyond that at a glance, on a projector, under any vision.
"""
import itertools
import math
import re
from pathlib import Path

import pytest

from board.domain.decide import TEAM_COLOURS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEAMS = 4  # the Atelier Compétences runs with four teams
WHITE = (255, 255, 255)

PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
VISIONS = {"normal": None, "deuteranopia": DEUTERANOPIA, "protanopia": PROTANOPIA}


def rgb(hex_colour):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def linear(channel):
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def encoded(value):
    value = min(1.0, max(0.0, value))
    return round(255 * (12.92 * value if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055))


def luminance(colour):
    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG contrast ratio, 1 to 21."""
    dark, light = sorted((luminance(a), luminance(b)))
    return (light + 0.05) / (dark + 0.05)


def simulate(colour, matrix):
    """How `colour` looks with a colour vision deficiency (None: as it is)."""
    if matrix is None:
        return colour
    lin = [linear(c) for c in colour]
    return tuple(encoded(sum(row[j] * lin[j] for j in range(3))) for row in matrix)


def lab(colour):
    r, g, b = (linear(c) for c in colour)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1, lab2):
    """The CIEDE2000 colour difference (Sharma, Wu, Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0
    if c1p * c2p:
        dhp = h2p - h1p
        dhp += -360 if dhp > 180 else 360 if dhp < -180 else 0
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if not c1p * c2p:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_mean - 30)) + 0.24 * math.cos(math.radians(2 * hp_mean))
         + 0.32 * math.cos(math.radians(3 * hp_mean + 6)) - 0.20 * math.cos(math.radians(4 * hp_mean - 63)))
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (lp_mean - 50) ** 2 / math.sqrt(20 + (lp_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (dhp_big / s_h) ** 2
                     + r_t * (dcp / s_c) * (dhp_big / s_h))


def difference(a, b, vision):
    return ciede2000(lab(simulate(a, VISIONS[vision])), lab(simulate(b, VISIONS[vision])))


def test_the_colour_science_matches_published_values():
    # Sharma et al.'s test data, pair 1 and pair 7; WCAG's black on white; grey stays grey in any vision.
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert contrast((0, 0, 0), WHITE) == pytest.approx(21)
    assert simulate((128, 128, 128), DEUTERANOPIA) == pytest.approx((128, 128, 128), abs=1)
    # Red and green that everyone else tells apart are close for a deuteranope: the simulation bites.
    assert difference(rgb("#2e7d32"), rgb("#b23c17"), "normal") > 40
    assert difference(rgb("#2e7d32"), rgb("#b23c17"), "deuteranopia") < 10


@pytest.mark.parametrize("vision", VISIONS)
def test_the_four_default_team_colours_are_far_apart_in_every_vision(vision):
    colours = [rgb(c) for c in TEAM_COLOURS[:DEFAULT_TEAMS]]
    distances = {(a, b): difference(colours[a], colours[b], vision)
                 for a, b in itertools.combinations(range(DEFAULT_TEAMS), 2)}
    print(vision, {k: round(v, 1) for k, v in distances.items()})
    assert min(distances.values()) >= 25, distances  # the old palette had 1.7 (blue and purple)


def test_the_four_default_team_colours_differ_in_lightness_and_stand_out_from_a_white_card():
    colours = [rgb(c) for c in TEAM_COLOURS[:DEFAULT_TEAMS]]
    # Against the card they mark: the 3:1 WCAG asks of a graphic that carries meaning.
    assert all(contrast(c, WHITE) >= 3 for c in colours)
    # From each other: 3:1 is out of reach for four colours that all pass 3:1 against white (their
    # luminances would need a range of 27:1 within 7:1), so as far apart as the rest allows; the old
    # palette had 1.05:1, and 1.03:1 for a deuteranope.
    for vision in VISIONS:
        seen = [simulate(c, VISIONS[vision]) for c in colours]
        ratios = [contrast(a, b) for a, b in itertools.combinations(seen, 2)]
        print(vision, [round(r, 2) for r in ratios])
        assert min(ratios) >= 1.45, (vision, ratios)


def test_every_default_colour_is_distinct_and_marks_a_white_card():
    colours = [rgb(c) for c in TEAM_COLOURS]
    assert len(set(TEAM_COLOURS)) == len(TEAM_COLOURS)
    assert all(contrast(c, WHITE) >= 3 for c in colours)
    # Later teams too: no two in the list are confusable, under normal vision.
    assert min(difference(a, b, "normal") for a, b in itertools.combinations(colours, 2)) >= 10


def test_the_browser_offers_the_same_default_colours_as_the_server():
    source = (ROOT / "static" / "js" / "teams.js").read_text(encoding="utf-8")
    listed = re.search(r"TEAM_COLOURS = \[(.*?)\];", source, re.S).group(1)
    assert tuple(re.findall(r'"(#[0-9a-f]{6})"', listed)) == TEAM_COLOURS
