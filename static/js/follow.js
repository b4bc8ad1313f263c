// Following the facilitator (room_control.py, FOLLOW1-FOLLOW3): when they lead everyone to one domain,
// one cell or the whole Panorama, this participant's board goes there and a bar says what is shown.
// A person may look elsewhere ("Regarder ailleurs", or simply scrolling or zooming) and come back in
// one click; being led again to a view brings them back. The board's own data never changes here.
import { t } from "./i18n.js";
import { focusName } from "./projector-focus.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);

/**
 * Wire following into the participant's page; call once. `zoomer` is the board's zoom (zoom.js).
 * Returns {following}, for the tests and the curious.
 */
export function bindFollow(connection, zoomer) {
  const what = el("span", { class: "follow-what" });
  const leave = el("button", { type: "button", id: "follow-leave", class: "follow-leave" });
  const back = el("button", { type: "button", id: "follow-back", class: "follow-back primary", hidden: true });
  const bar = el("div", { id: "follow-bar", class: "follow-bar", role: "status", hidden: true }, what, leave, back);
  // Under the lock's band when there is one: a frozen board is the first thing to know.
  (document.getElementById("lock-banner") ?? document.querySelector(".topbar")).after(bar);
  const state = { following: false, focus: null };

  const show = () => {
    const view = connection.confirmed;
    bar.hidden = !state.focus;
    if (!state.focus || !view) {
      document.body.dataset.following = "false";
      return markFollowed(null); // let go: no outline left behind
    }
    const name = focusName(view, state.focus);
    what.textContent = t(state.following ? "room.follow_showing" : "room.follow_left", { what: name });
    leave.textContent = t("room.follow_leave");
    back.textContent = t("room.follow_back");
    leave.hidden = !state.following;
    back.hidden = state.following;
    document.body.dataset.following = String(state.following);
    markFollowed(state.following ? state.focus : null);
  };

  const goThere = () => {
    state.following = true;
    show();
    // After the board has drawn this change, so the cells measured are where they will stay.
    requestAnimationFrame(() => pointAt(connection.confirmed, state.focus, zoomer));
  };

  const lookElsewhere = () => {
    if (!state.following) return;
    state.following = false;
    show();
  };
  leave.addEventListener("click", lookElsewhere);
  back.addEventListener("click", goThere);
  // Scrolling or zooming the board oneself is looking elsewhere too (the bar then offers the way back).
  const viewport = $("viewport");
  viewport.addEventListener("wheel", lookElsewhere, { passive: true });
  viewport.addEventListener("touchmove", lookElsewhere, { passive: true });
  for (const id of ["zoom-in", "zoom-out", "zoom-fit"]) $(id)?.addEventListener("click", lookElsewhere);
  document.getElementById("domain-picker")?.addEventListener("change", (event) => { if (event.isTrusted) lookElsewhere(); });

  let started = false;
  connection.addEventListener("change", ({ detail: event }) => {
    const view = connection.confirmed;
    if (!view || connection.you?.role !== "participant") return;
    const focus = view.room?.follow ?? null;
    // Led anew (a follow_set, or the board as it was when this page opened): go there.
    const led = event?.type === "follow_set" || (!started && focus);
    started = true;
    state.focus = focus;
    if (focus && led) goThere();
    else {
      if (!focus) state.following = false;
      show();
    }
  });
  return state;
}

/** Outline the cells being shown (none when not following). */
function markFollowed(focus) {
  for (const node of document.querySelectorAll("#panorama .followed")) node.classList.remove("followed");
  for (const node of followedZones(focus)) node.classList.add("followed");
}

function followedZones(focus) {
  if (!focus || focus.kind === "overview") return [];
  if (focus.kind === "row") return [...document.querySelectorAll(`#panorama .cell[data-zone^="${CSS.escape(focus.id)}/"]`)];
  return [...document.querySelectorAll(`#panorama [data-zone="${CSS.escape(focus.id)}"]`)];
}

/** Bring the focus into sight: the whole board fitted, or the domain or cell at the top of the board. */
function pointAt(view, focus, zoomer) {
  if (!view || !focus) return;
  const picker = document.getElementById("domain-picker");
  if (picker && picker.offsetParent !== null && focus.kind !== "overview") {
    // A phone shows one domain at a time: pick the one led to.
    const rowId = focus.kind === "row" ? focus.id : view.zones.get(focus.id)?.row;
    const index = view.format.panorama.rows.findIndex((row) => row.id === rowId);
    if (index >= 0) {
      picker.value = String(index);
      picker.dispatchEvent(new Event("change"));
    }
  }
  if (focus.kind === "overview") return zoomer.fit();
  const target = followedZones(focus)[0];
  if (!target) return;
  const viewport = $("viewport");
  // Measured on the cell: a grid row is only a box of the grid's layout, with no place of its own.
  const box = target.getBoundingClientRect();
  const frame = viewport.getBoundingClientRect();
  const sideways = box.left < frame.left || box.right > frame.right; // a cell out of sight to the side
  const left = focus.kind === "row" ? 0 : sideways ? viewport.scrollLeft + box.left - frame.left - 8 : viewport.scrollLeft;
  viewport.scrollTo({ top: viewport.scrollTop + box.top - frame.top - 8, left });
}
