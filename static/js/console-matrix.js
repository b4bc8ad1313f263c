// The console's matrix (a format with axes only): the rated cards on the two axes, each label a button
// that keeps the card as a key factor or lets it go (keep_card, RATE7), and how many are kept.
import { t } from "./i18n.js";
import { el } from "./render.js";
import { axesOf, createMatrix } from "./matrix.js";

/** Put the matrix's section in the console, before the vote's; it shows only when the format rates. */
export function bindConsoleMatrix(connection) {
  const count = el("p", { id: "matrix-kept-count", class: "big", role: "status" });
  const section = el("section", { class: "matrix-panel", id: "matrix-panel", "aria-labelledby": "matrix-panel-title", hidden: true },
    el("h2", { id: "matrix-panel-title", text: t("matrix.title") }), count,
    el("p", { class: "notice", text: t("matrix.keep_help") }));
  const main = document.querySelector("main.console");
  main.insertBefore(section, main.querySelector("section.vote"));
  const matrix = createMatrix(section, {
    variant: "console",
    onPick: (card) => connection.send("keep_card", { card_id: card.id, kept: !card.kept }),
  });

  function render() {
    if (!connection.confirmed) return;
    const view = connection.view();
    section.hidden = !axesOf(view).length;
    if (section.hidden) return;
    const kept = [...view.cards.values()].filter((card) => card.kept).length;
    count.textContent = t("matrix.kept_count", { count: kept });
    matrix.render(view);
  }
  connection.addEventListener("change", render);
  return { render };
}
