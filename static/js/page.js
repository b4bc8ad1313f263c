// Plain pages (home, join, errors): translate them, and offer to come back as the same person.
import { bindLanguageSwitch, lang, loadCatalogue, t } from "./i18n.js";
import { rememberedMember } from "./identity.js";

await loadCatalogue();
bindLanguageSwitch(document.getElementById("lang-switch"));

// A name already taken on the board: the sentence and the button name it and the free one offered.
for (const node of document.querySelectorAll("[data-i18n][data-suggestion]")) {
  node.textContent = t(node.dataset.i18n, { name: node.dataset.name ?? "", suggestion: node.dataset.suggestion });
}

// A format's name and summary from its own file (an option, or /animer's format choices), in the reader's language.
for (const node of document.querySelectorAll("[data-label-fr]")) {
  node.textContent = node.dataset[lang === "en" ? "labelEn" : "labelFr"];
}

// A format's size at /animer: "4 séquences · 62 cartes".
for (const node of document.querySelectorAll("[data-i18n][data-sequences]")) {
  node.textContent = t(node.dataset.i18n, { sequences: node.dataset.sequences, cards: node.dataset.cards });
}

// Someone who joined this workshop from this browser gets their own board back, not a new identity.
for (const form of document.querySelectorAll(".join-form")) {
  const code = form.elements.code;
  const offer = () => {
    const member = rememberedMember(code.value);
    const box = form.querySelector(".continue");
    box.hidden = !member;
    if (member) {
      const link = box.querySelector("a");
      link.href = `/p/${encodeURIComponent(member.token)}`;
      link.textContent = t("join.continue_as", { name: member.name });
    }
  };
  code.addEventListener("input", offer);
  offer();
}
