// The board's matrix view (a format with axes only): a "Matrice" toggle next to the board's tools swaps
// the Panorama for the two-axis matrix and, beside it, the compact list of cards to rate.
import { t } from "./i18n.js";
import { el } from "./render.js";
import { axesOf, createMatrix } from "./matrix.js";
import { createRatingList } from "./rating-controls.js";

/** Wire the toggle into `toolbar` and the view after `.workspace`; it shows only when the format rates. */
export function bindMatrixView(connection, { toolbar }) {
  const toggle = el("button", { type: "button", id: "matrix-toggle", class: "matrix-toggle", "aria-pressed": "false",
    "aria-controls": "matrix-view", hidden: true, text: t("matrix.open") });
  toolbar.prepend(toggle);
  const view = el("section", { id: "matrix-view", class: "matrix-view", "aria-label": t("matrix.title"), hidden: true });
  document.querySelector(".workspace").after(view);
  const matrix = createMatrix(view, { variant: "board" });
  const list = createRatingList(view, connection);

  function shown() {
    return toggle.getAttribute("aria-pressed") === "true";
  }

  function render() {
    if (!connection.confirmed) return;
    const board = connection.view();
    const rates = axesOf(board).length > 0;
    toggle.hidden = !rates;
    if (!rates && shown()) show(false);
    if (shown()) {
      matrix.render(board);
      list.render(board);
    }
  }

  function show(on) {
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = t(on ? "matrix.close" : "matrix.open");
    view.hidden = !on;
    document.body.classList.toggle("matrix-shown", on);
    render();
  }

  toggle.addEventListener("click", () => show(!shown()));
  connection.addEventListener("change", render);
  return { show, render };
}
