// The projector's matrix (a format with axes only): while the current sequence opens rating, the room
// sees the two-axis matrix in large type instead of the board, kept cards marked.
import { createMatrix, axesOf } from "./matrix.js";
import { el } from "./render.js";

/** Mount the matrix over the stage; it shows in the sequences whose `allows` names rate_card. */
export function bindProjectorMatrix(connection) {
  const holder = el("section", { id: "projector-matrix", class: "projector-matrix", hidden: true });
  document.getElementById("stage").after(holder);
  const matrix = createMatrix(holder, { variant: "projector" });

  function render() {
    const view = connection.confirmed;
    if (!view) return;
    const on = axesOf(view).length > 0 && view.currentSequence.allows.includes("rate_card");
    holder.hidden = !on;
    document.body.classList.toggle("projector-matrix-shown", on);
    if (on) matrix.render(view);
  }
  connection.addEventListener("change", render);
  return { render };
}
