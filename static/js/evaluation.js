// The participants' evaluation of the workshop: a short questionnaire (a few 1-5 scales and one free
// text) that the format, or a campaign's template, sets (board/domain/evaluation.py, EVAL). While the
// board takes answers (the facilitator opened it, or the sequence allows it) a panel opens by itself
// once; its "Évaluation" button brings it back. Each participant answers once and may change their
// answer until the facilitator closes it. The rules are the server's; this is the form.
import { label, t } from "./i18n.js";
import { el } from "./render.js";

const SCORES = [1, 2, 3, 4, 5];

/** Whether participants may answer now, as evaluation.accepts_answers says. */
export function acceptsAnswers(view) {
  const status = view.evaluation?.status;
  return status === "open" || (status === "idle" && view.currentSequence.allows.includes("answer_evaluation"));
}

/** The questionnaire panel and its toolbar button, for a participant; nothing for a format without one. */
export function bindEvaluationPanel(connection, { toolbar, say = () => {} }) {
  const toggle = el("button", { type: "button", id: "evaluation-toggle", class: "evaluation-toggle", hidden: "",
    "aria-expanded": "false", "aria-controls": "evaluation-panel", text: t("evaluation.open") });
  const close = el("button", { type: "button", id: "evaluation-close", class: "evaluation-close", text: t("dialog.close") });
  const scales = el("div", { class: "evaluation-scales" });
  const questionLabel = el("label", { for: "evaluation-text", id: "evaluation-question", class: "evaluation-question" });
  const text = el("textarea", { id: "evaluation-text", rows: "3", maxlength: "1000" });
  const submit = el("button", { type: "submit", id: "evaluation-submit", class: "primary" });
  const status = el("p", { id: "evaluation-status", class: "evaluation-status", role: "status" });
  const form = el("form", { id: "evaluation-form", class: "evaluation-form" }, scales, questionLabel, text,
    el("div", { class: "evaluation-actions" }, submit), status);
  const panel = el("aside", { id: "evaluation-panel", class: "evaluation-panel", "aria-labelledby": "evaluation-title", hidden: "" },
    el("div", { class: "evaluation-head" }, el("h2", { id: "evaluation-title", tabindex: "-1", text: t("evaluation.title") }), close),
    el("p", { class: "evaluation-intro", text: t("evaluation.intro") }), form);
  toolbar.append(toggle);
  document.body.append(panel);
  let built = null; // the scale ids the form was built for
  let shownOnce = false; // it opens by itself once, when answers begin to be taken
  let edited = false; // a half-filled form is not reset by someone else's change

  const setOpen = (open) => {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) panel.querySelector("#evaluation-title").focus();
  };
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  close.addEventListener("click", () => { setOpen(false); toggle.focus(); });
  form.addEventListener("input", () => { edited = true; });

  function build(definition) {
    scales.replaceChildren(...definition.scales.map((scale) => el("fieldset", { class: "evaluation-scale", "data-scale": scale.id },
      el("legend", { text: label(scale.label) }),
      el("div", { class: "evaluation-choices" }, ...SCORES.map((score) => el("label", { class: "evaluation-choice" },
        el("input", { type: "radio", name: `evaluation-${scale.id}`, value: String(score) }),
        el("span", { text: String(score) })))),
      el("p", { class: "evaluation-ends", "aria-hidden": "true" },
        el("span", { text: t("evaluation.low") }), el("span", { text: t("evaluation.high") })))));
    questionLabel.textContent = label(definition.question);
    built = definition.scales.map((scale) => scale.id).join(",");
  }

  function fill(answer) {
    for (const input of form.querySelectorAll("input[type=radio]")) {
      const scale = input.name.slice("evaluation-".length);
      input.checked = Boolean(answer) && String(answer.scores[scale]) === input.value;
    }
    text.value = answer?.text ?? "";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const view = connection.confirmed;
    const scores = {};
    for (const scale of view.format.evaluation.scales) {
      const picked = form.querySelector(`input[name="evaluation-${scale.id}"]:checked`);
      if (!picked) {
        status.textContent = t("evaluation.missing", { scale: label(scale.label) });
        form.querySelector(`input[name="evaluation-${scale.id}"]`).focus();
        return;
      }
      scores[scale.id] = Number(picked.value);
    }
    const ack = await connection.send("answer_evaluation", { scores, text: text.value });
    if (ack.ok) {
      edited = false;
      status.textContent = t("evaluation.thanks");
      say(t("evaluation.thanks"));
    } else {
      status.textContent = ack.message || t("evaluation.refused");
    }
  });

  function render() {
    const view = connection.confirmed;
    if (!view) return;
    const definition = view.format.evaluation;
    const participant = connection.you.role === "participant";
    if (!definition || !participant || !view.evaluation || view.evaluation.status === "idle" && !acceptsAnswers(view)) {
      toggle.hidden = true;
      panel.hidden = true;
      return;
    }
    if (built !== definition.scales.map((scale) => scale.id).join(",")) build(definition);
    const mine = view.evaluation.answers?.[connection.you.id] ?? null;
    const open = acceptsAnswers(view);
    if (!edited) fill(mine);
    for (const control of form.querySelectorAll("input, textarea, button")) control.disabled = !open;
    submit.textContent = t(mine ? "evaluation.change" : "evaluation.send");
    submit.hidden = !open;
    if (!open) status.textContent = t(mine ? "evaluation.closed_answered" : "evaluation.closed");
    else if (mine && !edited && !status.textContent) status.textContent = t("evaluation.answered");
    toggle.hidden = false;
    toggle.textContent = t(mine ? "evaluation.open_answered" : "evaluation.open");
    if (open && !shownOnce && !mine) {
      shownOnce = true;
      setOpen(true);
      say(t("evaluation.opened"));
    }
  }
  connection.addEventListener("change", render);
  render();
  return { render };
}
