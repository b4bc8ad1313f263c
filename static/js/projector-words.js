// Long words on the projector (spec DISPLAY10): a card's title breaks between words or after a hyphen,
// never inside a word that fits its card ("intergénératio / nnel" reads as two words from the back of the
// room). The layout prefers the card widths where every word fits (brokenWords counts those that do not);
// a card whose longest word is still wider than its line has its title set smaller, down to a floor, so
// the word stays whole; a word wider than the card even so gets soft hyphens at its syllables
// (syllabify), and the browser breaks it at one, with a hyphen, instead of anywhere.

// A line may break after a space, or after a hyphen or a slash inside a word ("macro-" / "déterminants").
const UNITS = /[^\s/-]+[/-]?|[/-]/g;
const SHRUNK = "wordFit"; // dataset key: the card's title was set smaller for a long word
const MARGIN = 0.98; // a word exactly as wide as its line may still wrap on rounding
const SOFT_HYPHEN = "\u00ad";
const VOWELS = "aeiouyàâäéèêëîïôöùûüÿœæ";
// Consonants French does not part: a break goes before them ("ta-ble", "ap-pro", "pra-tique").
const INSEPARABLE = new Set(["bl", "cl", "fl", "gl", "pl", "br", "cr", "dr", "fr", "gr", "pr", "tr", "vr", "ch", "ph", "th", "gn", "qu"]);
// Titles given soft hyphens here, with their plain text: render.js writes the plain text back on each
// update, and keepHyphens puts the hyphens back until the next layout.
const hyphenated = new Map();
const measure = document.createElement("canvas").getContext("2d");
const widths = new Map(); // "font\ntext" -> the widest word's width per px of type

/** The visible cards' titles under `root`, each with the block its lines are laid out in. */
function titles(root) {
  return [...root.querySelectorAll(".card .card-text")]
    .filter((text) => text.checkVisibility())
    .map((text) => ({ text, line: text.closest(".card-line") || text.closest(".card-body") }));
}

/** How much wider than its line a title's widest word is (1 = exactly as wide; below 1, it fits), both
 *  in the title's own CSS px (before zoom). The word is measured with the title's font, not from the
 *  page's boxes: those of a word the browser has broken across lines overlap and add up to too much. */
function overflowOf({ text, line }) {
  const width = line.clientWidth;
  if (!width) return 0;
  return widestWord(text) / width;
}

/** The width of a title's widest word at its size, in CSS px; per px of type, kept per font and text. */
function widestWord(text) {
  const style = getComputedStyle(text);
  const plain = text.textContent.replaceAll(SOFT_HYPHEN, "");
  const key = `${style.fontStyle} ${style.fontWeight} ${style.fontFamily}\n${plain}`;
  if (!widths.has(key)) {
    measure.font = `${style.fontStyle} ${style.fontWeight} 100px ${style.fontFamily}`;
    widths.set(key, Math.max(0, ...[...plain.matchAll(UNITS)].map((match) => measure.measureText(match[0]).width)) / 100);
  }
  return widths.get(key) * parseFloat(style.fontSize);
}

/** How many shown titles hold a word wider than their line (the layout's second fault after a cut title). */
export function brokenWords(root) {
  return titles(root).filter((title) => overflowOf(title) > MARGIN).length;
}

/** Give every title its own size and text back (before a new layout is sought). */
export function resetWords(root) {
  for (const text of root.querySelectorAll(".card .card-text[data-word-fit]")) {
    text.style.removeProperty("font-size");
    delete text.dataset[SHRUNK];
  }
  for (const [text, { plain }] of hyphenated) {
    if (text.isConnected && text.textContent !== plain) text.textContent = plain;
    delete text.dataset.hyphenated;
  }
  hyphenated.clear();
}

/** After the cards are drawn again (render.js writes their plain text): the soft hyphens back. */
export function keepHyphens() {
  for (const [text, { plain, shown }] of hyphenated) {
    if (!text.isConnected) hyphenated.delete(text);
    else if (text.textContent === plain) text.textContent = shown;
    else if (text.textContent !== shown) hyphenated.delete(text); // the card's text changed: a new layout comes
  }
}

/**
 * A word with soft hyphens where French breaks it, by rule of thumb: before a lone consonant between
 * vowels ("vi-sion"), between two consonants ("con-som"), before a pair French keeps together ("ap-pro",
 * "pra-tique"); never leaving fewer than 2 letters before a break nor 3 after it.
 */
export function syllabify(word) {
  const letters = [...word];
  const lower = letters.map((letter) => letter.toLowerCase());
  const isLetter = (i) => i < letters.length && /\p{L}/u.test(letters[i]);
  const isVowel = (i) => isLetter(i) && VOWELS.includes(lower[i]) && !(lower[i] === "u" && lower[i - 1] === "q");
  const breaks = new Set();
  for (let vowel = 0; vowel < letters.length; vowel++) {
    if (!isVowel(vowel) || !isLetter(vowel + 1) || isVowel(vowel + 1)) continue; // the last vowel of a run
    let next = vowel + 1;
    while (isLetter(next) && !isVowel(next)) next++;
    if (!isVowel(next)) continue; // consonants to the word's end: no break among them
    const consonants = lower.slice(vowel + 1, next).join("");
    const at = consonants.length === 1 ? vowel + 1 : INSEPARABLE.has(consonants.slice(-2)) ? next - 2 : next - 1;
    if (at >= 2 && letters.length - at >= 3) breaks.add(at);
  }
  return letters.map((letter, i) => (breaks.has(i) ? SOFT_HYPHEN : "") + letter).join("");
}

/**
 * Set smaller the titles whose widest word is wider than their line, just enough for it to fit, never
 * below `floor` (CSS px as rendered, zoom included) nor below `ratio` of their size; where that is not
 * enough, keep the title's size and hyphenate its words that are too wide at their syllables.
 */
export function fitWords(root, { floor = 0, ratio = 0.75 } = {}) {
  for (const title of titles(root)) {
    const over = overflowOf(title);
    if (over <= MARGIN) continue;
    const size = parseFloat(getComputedStyle(title.text).fontSize);
    const wanted = (size * MARGIN) / over;
    const smallest = Math.max(size * ratio, floor / renderedScale(title.text));
    if (wanted >= smallest) {
      title.text.style.fontSize = `${wanted.toFixed(2)}px`;
      title.text.dataset[SHRUNK] = "";
    } else {
      hyphenate(title);
    }
  }
}

/** Soft hyphens in the words of a title that are wider than its line. */
function hyphenate({ text, line }) {
  const plain = text.textContent;
  const style = getComputedStyle(text);
  measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = line.clientWidth * MARGIN;
  const shown = plain.replace(UNITS, (unit) => (measure.measureText(unit).width > room ? syllabify(unit) : unit));
  if (shown === plain) return;
  hyphenated.set(text, { plain, shown });
  text.textContent = shown;
  text.dataset.hyphenated = "";
}

/** The CSS zoom an element is drawn at (its own and its ancestors'). */
function renderedScale(node) {
  let zoom = 1;
  for (let at = node; at && at.nodeType === 1; at = at.parentElement) zoom *= parseFloat(getComputedStyle(at).zoom) || 1;
  return zoom;
}
