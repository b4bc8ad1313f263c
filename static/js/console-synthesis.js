// The console's synthesis section: publish the page "Découvrez le panorama" (names of authors in it
// or not), take it back, and show its link with a copy button and a way to open it. Publishing and
// unpublishing are commands (SYN1, SYN2); the link itself comes from the server over HTTP, for the
// facilitator only: it is in no snapshot or event.
import { confirmAction } from "./confirm.js";
import { t } from "./i18n.js";
import { el } from "./render.js";

/** Build the section before `before` (the console's personal-data section) and keep it up to date. */
export function bindSynthesis(connection, before) {
  const status = el("p", { id: "synthesis-status", class: "big", role: "status" });
  const names = el("input", { type: "checkbox", id: "synthesis-names" });
  const publish = el("button", { type: "button", id: "synthesis-publish", class: "primary", text: t("console.synthesis_publish") });
  const unpublish = el("button", { type: "button", id: "synthesis-unpublish", text: t("console.synthesis_unpublish") });
  const link = el("input", { id: "synthesis-link", type: "text", readonly: true, "aria-label": t("console.synthesis_link") });
  const copy = el("button", { type: "button", id: "synthesis-copy", text: t("console.synthesis_copy") });
  const open = el("a", { class: "button", id: "synthesis-open", target: "_blank", rel: "noopener", text: t("console.synthesis_open") });
  const pdf = el("a", { class: "button", id: "synthesis-pdf", target: "_blank", rel: "noopener", text: t("console.synthesis_pdf") });
  // The page as it would be published, names or not as the box says, before anyone else sees it.
  const preview = el("a", { class: "button", id: "synthesis-preview", target: "_blank", rel: "noopener", text: t("console.synthesis_preview") });
  const copied = el("p", { id: "synthesis-copied", class: "still", role: "status" });
  const linkBox = el("div", { id: "synthesis-link-box", class: "synthesis-link-box", hidden: true },
    el("label", { class: "synthesis-link-label" }, el("span", { text: t("console.synthesis_link") }), link),
    el("div", { class: "row" }, copy, open, pdf), copied);
  const section = el("section", { class: "synthesis-control", "aria-labelledby": "synthesis-title" },
    el("h2", { id: "synthesis-title", text: t("console.synthesis") }),
    el("p", { class: "still", text: t("console.synthesis_intro") }), status,
    el("label", { class: "check" }, names, " ", el("span", { text: t("console.synthesis_names") })),
    el("p", { id: "synthesis-anonymous", class: "notice", hidden: true, text: t("console.synthesis_anonymous") }),
    el("div", { class: "row" }, publish, unpublish, preview), linkBox);
  before.before(section);

  let shownEdition = null; // the publication whose link the box shows
  const fetchLink = async () => {
    const response = await fetch(`${location.pathname}/synthesis`, { headers: { Accept: "application/json" } });
    const answer = await response.json();
    if (!response.ok || !answer.url) return;
    link.value = answer.url;
    open.href = answer.url;
    pdf.href = answer.pdf_url;
    linkBox.hidden = false;
  };

  const updatePreview = () => {
    preview.href = `${location.pathname}/synthesis/preview${names.checked ? "?names=1" : ""}`;
  };
  const render = () => {
    const view = connection.confirmed;
    if (!view) return;
    const publication = view.publication;
    status.textContent = t(publication.published
      ? (publication.include_names ? "console.synthesis_on_names" : "console.synthesis_on") : "console.synthesis_off");
    // While the box's own change is on its way, a render of something else must not tick it back.
    if (publication.published && !names.dataset.pending) names.checked = publication.include_names;
    updatePreview();
    publish.hidden = publication.published;
    unpublish.hidden = !publication.published;
    section.querySelector("#synthesis-anonymous").hidden = !(view.anonymous ?? []).length;
    if (!publication.published) {
      linkBox.hidden = true;
      shownEdition = null;
    } else if (shownEdition !== publication.edition) {
      shownEdition = publication.edition;
      fetchLink().catch(() => { shownEdition = null; });
    }
  };

  publish.addEventListener("click", () => connection.send("publish_synthesis", { include_names: names.checked }));
  // Published: the box changes the page at once (same link); else it is the choice for publishing.
  names.addEventListener("change", () => {
    updatePreview();
    if (!connection.confirmed?.publication.published) return;
    names.dataset.pending = "1";
    connection.send("publish_synthesis", { include_names: names.checked })
      .finally(() => { delete names.dataset.pending; render(); });
  });
  unpublish.addEventListener("click", async () => {
    const yes = await confirmAction({ title: t("console.synthesis_unpublish_title"), message: t("console.synthesis_unpublish_message"),
      confirm: t("console.synthesis_unpublish"), danger: true });
    if (yes) connection.send("unpublish_synthesis", {});
  });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(link.value);
    } catch {
      // Plain http on the venue's network is no secure context: no clipboard API, the selection then.
      link.select();
      document.execCommand("copy");
    }
    copied.textContent = t("console.synthesis_copied");
  });
  connection.addEventListener("change", render);
  render();
}
