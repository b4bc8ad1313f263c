// The board's lock, said once on every screen (participant, console, projector): a band under the top
// bar while the facilitator keeps the board frozen (room_control.py, LOCK2). Cards then lift for no
// participant (locks.js); this band is where a person reads why.
import { t } from "./i18n.js";
import { el } from "./render.js";

/** Show the band on this page while `connection`'s board is locked; call once. */
export function bindLockBanner(connection) {
  const text = el("span", { class: "lock-text" });
  const banner = el("div", { id: "lock-banner", class: "lock-banner", role: "status", hidden: true },
    el("span", { class: "lock-icon", "aria-hidden": "true" }), text);
  document.querySelector(".topbar").after(banner);
  const update = () => {
    const view = connection.confirmed;
    if (!view) return;
    const locked = Boolean(view.room?.locked);
    document.body.dataset.boardLocked = String(locked); // (not data-locked: that marks a card that cannot move)
    banner.hidden = !locked;
    // The facilitator is never locked: their screens say what the participants live.
    const key = connection.you?.role === "facilitator" ? "room.locked_facilitator" : "room.locked";
    if (locked && text.textContent !== t(key)) text.textContent = t(key);
  };
  connection.addEventListener("change", update);
  return update;
}
