// The console's evaluation (a format with one only): how many participants answered, out of how many,
// and the buttons that open the questionnaire to them whatever the sequence, or close it
// (board/domain/evaluation.py, EVAL2, EVAL5, EVAL6). The answers themselves go into the JSON file.
import { acceptsAnswers } from "./evaluation.js";
import { t } from "./i18n.js";
import { el } from "./render.js";

/** The evaluation's section, before the vote's; hidden when the format has no evaluation. */
export function bindConsoleEvaluation(connection) {
  const count = el("p", { id: "evaluation-count", class: "big", role: "status" });
  const state = el("p", { id: "evaluation-state", class: "notice" });
  const open = el("button", { type: "button", id: "evaluation-open", class: "primary", text: t("evaluation.console_open") });
  const close = el("button", { type: "button", id: "evaluation-close-all", text: t("evaluation.console_close") });
  const section = el("section", { class: "evaluation-control", id: "evaluation-control", "aria-labelledby": "evaluation-control-title", hidden: true },
    el("h2", { id: "evaluation-control-title", text: t("evaluation.console_title") }), count, state,
    el("div", { class: "row" }, open, close));
  const main = document.querySelector("main.console");
  main.insertBefore(section, main.querySelector("section.vote"));
  open.addEventListener("click", () => connection.send("open_evaluation"));
  close.addEventListener("click", () => connection.send("close_evaluation"));

  function render() {
    if (!connection.confirmed) return;
    const view = connection.view();
    section.hidden = !view.format.evaluation || !view.evaluation;
    if (section.hidden) return;
    const participants = [...view.participants.values()].filter((p) => p.role === "participant").length;
    const answers = Object.keys(view.evaluation.answers || {}).length;
    count.textContent = t("evaluation.console_count", { answers, total: participants });
    const status = view.evaluation.status;
    state.textContent = t(status === "closed" ? "evaluation.console_closed"
      : acceptsAnswers(view) ? "evaluation.console_taking" : "evaluation.console_idle");
    open.hidden = status === "open";
    close.hidden = status === "closed";
  }
  connection.addEventListener("change", render);
  render();
  return { render };
}
