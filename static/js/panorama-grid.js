// The Panorama's grid is built once for a set of labels. When the facilitator renames, adds or removes a
// domain or a category (the panorama_line_* events, board/domain/panorama.py), every page builds it again
// at once, the cards going back into their cells (render.js keeps them by id).

/** What the grid is built from: the rows and the columns, their ids, names and order. */
export function panoramaKey(view) {
  return JSON.stringify(view.format.panorama);
}

/** The deck's filters list the domains and categories too: built again, each keeping its choice while
 *  that domain or category is still there. */
export function rebuildDeckFilters(deck, view) {
  const selects = [document.getElementById("deck-domain"), document.getElementById("deck-category")];
  const chosen = selects.map((select) => select.value);
  deck.buildFilters(view);
  selects.forEach((select, index) => {
    if ([...select.options].some((option) => option.value === chosen[index])) select.value = chosen[index];
  });
}
