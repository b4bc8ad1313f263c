// The console's hold on the room (room_control.py): lock and unlock the board, close and reopen the
// door to new arrivals, and lead everyone (participants and projector) to one view or let them go.
// Each control says the state it is in, in words; each click is one command.
import { fillChoices, choiceOf, parseChoice } from "./console-projector.js";
import { t } from "./i18n.js";
import { OVERVIEW, focusName } from "./projector-focus.js";

const $ = (id) => document.getElementById(id);

/** Wire the section's controls to the console's connection; call once. */
export function bindRoomControls(connection) {
  // From the view with the facilitator's own changes on their way: a double click does not send twice.
  $("room-lock").addEventListener("click", () => {
    connection.send(connection.view().room.locked ? "unlock_board" : "lock_board", {});
  });
  $("room-door").addEventListener("click", () => {
    connection.send(connection.view().room.door_open ? "close_door" : "open_door", {});
  });
  $("room-follow").addEventListener("click", () => {
    connection.send("follow", { focus: parseChoice($("room-follow-focus").value || choiceOf(OVERVIEW)) });
  });
  $("room-follow-release").addEventListener("click", () => {
    if (connection.view().room.follow) connection.send("follow", { focus: null });
  });
}

/** Show the lock, the door and whom everyone follows. */
export function renderRoomControls(view) {
  const { locked, door_open: open, follow } = view.room;
  setText($("room-lock"), t(locked ? "console.room_unlock" : "console.room_lock"));
  $("room-lock").setAttribute("aria-pressed", String(locked));
  setText($("room-lock-status"), t(locked ? "console.room_locked" : "console.room_unlocked"));
  $("room-lock-status").dataset.state = locked ? "locked" : "open";
  setText($("room-door"), t(open ? "console.door_close" : "console.door_open"));
  $("room-door").setAttribute("aria-pressed", String(!open));
  setText($("room-door-status"), t(open ? "console.door_is_open" : "console.door_is_closed"));
  $("room-door-status").dataset.state = open ? "open" : "closed";
  const select = $("room-follow-focus");
  fillChoices(select, view);
  if (follow && document.activeElement !== select) select.value = choiceOf(follow);
  setText($("room-follow-status"), follow ? t("console.following", { what: focusName(view, follow) }) : t("console.not_following"));
  $("room-follow-release").disabled = !follow;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
