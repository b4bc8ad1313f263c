// The browser's end of the protocol: one socket, the confirmed board, and the commands in flight.
// A command shows at once (predicted), is kept until the server confirms or refuses it, and is
// resent with the same id after a reconnect; the server answers a resend with its first answer.
import { io } from "/vendor/socket.io.esm.min.js";
import { applyPresence } from "./presence.js";
import { CLIENT, EPHEMERAL_HZ, SERVER } from "./protocol.js";
import { BoardState, predict } from "./state.js";

const ACK_TIMEOUT_MS = 10000;

export class Connection extends EventTarget {
  /** `viewAs`: a participant's id, to see the board as they do with the facilitator's token (read-only). */
  constructor(token, { viewAs = null } = {}) {
    super();
    this.token = token;
    this.viewAs = viewAs;
    this.confirmed = null;
    this.you = null;
    this.online = [];
    this.earlyPresence = []; // presence changes that came before the welcome, applied on top of it
    this.pending = new Map(); // command id -> {type, data, version}
    this.status = "connecting";
    this.counter = 0;
    this.nextDragTick = null; // when the next drag position may go (drag())
    this.dragTimer = null; // the latest position held for that tick
    this.clockOffset = 0;
    // On a reconnect, say which version we hold: the server then sends only what we missed.
    const who = viewAs ? { token, view_as: viewAs } : { token };
    const auth = (send) => send(this.confirmed ? { ...who, since: this.confirmed.version } : who);
    // The board's id (the token's prefix, not a secret) rides in the URL, where a proxy in front of
    // several server processes reads it to send this board's every request to one of them.
    const board = token.includes(".") ? token.split(".")[0] : null;
    this.socket = io({ auth, query: board ? { board } : {}, transports: ["websocket", "polling"], reconnectionDelayMax: 2000 });
    this.listen();
  }

  listen() {
    const s = this.socket;
    // A deleted workshop stays "closed": its socket goes, and trying again would open nothing.
    s.on("disconnect", () => {
      this.earlyPresence = []; // until the next welcome (presence.js)
      this.setStatus(this.status === "closed" ? "closed" : "offline");
    });
    // Another server process serves this board now (docs/deployment.md): reconnect, which reaches it;
    // the welcome brings what was missed and the commands in flight are sent again.
    s.on(SERVER.MOVED, () => {
      s.disconnect();
      setTimeout(() => s.connect(), 100 + Math.random() * 300);
    });
    s.on(SERVER.CLOSED, () => {
      s.io.reconnection(false);
      this.setStatus("closed");
    });
    s.on("connect_error", (error) => {
      this.setStatus(error?.data?.code === "unauthorized" ? "refused" : "offline");
      // Refused for now (on a shared server, another process still holds the workshop while it fails
      // over, or hands it back): a refusal stops Socket.IO's own retries, so try again in a moment.
      if (error?.data?.code === "unavailable" && !s.active) setTimeout(() => s.connect(), 300 + Math.random() * 400);
    });
    s.on(SERVER.WELCOME, (welcome) => {
      if (welcome.state) this.confirmed = new BoardState(welcome.state);
      else for (const event of welcome.events) this.confirmed.apply(event);
      this.you = welcome.you;
      this.online = (this.earlyPresence ?? []).reduce(applyPresence, welcome.online);
      this.earlyPresence = null;
      // How far the server's clock is from ours (ms): every screen counts the timer down on the server's.
      if (typeof welcome.server_time === "number") this.clockOffset = welcome.server_time * 1000 - Date.now();
      this.settle();
      this.setStatus("online");
      for (const id of this.pending.keys()) this.emitCommand(id);
      this.changed();
    });
    s.on(SERVER.EVENT, (event) => this.receive(event));
    // Changes committed together come in one frame: each is applied in order, as if it came alone;
    // after a gap the rest waits for the catch-up, which brings them too.
    s.on(SERVER.EVENTS, (events) => {
      for (const event of events) if (!this.receive(event)) return;
    });
    s.on(SERVER.PRESENCE, (presence) => {
      // A change that comes before the welcome is applied on top of the welcome's list (it may be
      // newer); a whole list before it is not (the welcome's is as new).
      if (this.earlyPresence) {
        if (!presence.online) this.earlyPresence.push(presence);
        return;
      }
      this.online = applyPresence(this.online, presence);
      this.dispatchEvent(new CustomEvent("presence"));
    });
    // A frame carries every drag that moved in the board's tick (a list); each is its own "drag" event.
    s.on(SERVER.DRAG, (drags) => {
      for (const drag of Array.isArray(drags) ? drags : [drags]) this.dispatchEvent(new CustomEvent("drag", { detail: drag }));
    });
    s.on(SERVER.ERROR, (error) => this.dispatchEvent(new CustomEvent("problem", { detail: error })));
  }

  /** Apply one confirmed event; false when it shows a gap (a catch-up is then asked for). */
  receive(event) {
    if (!this.confirmed) return false;
    if (this.confirmed.apply(event) === "gap") {
      this.catchUp();
      return false;
    }
    // My own command's event may come before its ack: it is the answer, the prediction must go
    // (else the view shows the change twice, then once: a flicker, and a live region said twice).
    const mine = event.command_id ? this.pending.get(event.command_id) : null;
    if (mine && mine.version === null) mine.version = event.version;
    this.settle();
    this.changed(event);
    return true;
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    document.body.dataset.connection = status; // visible to styles and to the browser tests
    this.dispatchEvent(new CustomEvent("status", { detail: status }));
  }

  changed(event = null) {
    this.dispatchEvent(new CustomEvent("change", { detail: event }));
  }

  /** The board as this person sees it: confirmed state plus their commands still in flight. */
  view() {
    const view = this.confirmed.clone();
    for (const { type, data } of this.pending.values()) predict(view, type, data, this.you.id);
    return view;
  }

  /** Send a command; it shows at once and resolves with the server's acknowledgement, once the
   *  confirmed board holds the change (or at once for a refusal). */
  send(type, data) {
    // Seeing the board as a participant changes nothing: said at once, sent never (the server would refuse it).
    if (this.viewAs) {
      const refusal = { ok: false, code: "forbidden", view_as: true, message: "read-only" };
      this.dispatchEvent(new CustomEvent("rejected", { detail: { ...refusal, type, data } }));
      return Promise.resolve(refusal);
    }
    const id = `${this.you.id}.${Date.now().toString(36)}.${++this.counter}`;
    return new Promise((resolve) => {
      this.pending.set(id, { type, data, version: null, resolve });
      this.emitCommand(id);
      this.changed();
    });
  }

  /** A fresh random id for something this browser creates (a card); it names no one, since a
   *  private card's id reaches the other teams. getRandomValues works on plain http, randomUUID not. */
  newId(prefix) {
    const bytes = crypto.getRandomValues(new Uint8Array(9));
    return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  }

  emitCommand(id) {
    const entry = this.pending.get(id);
    if (!entry || entry.version !== null || !this.socket.connected) return;
    this.socket.timeout(ACK_TIMEOUT_MS).emit(CLIENT.COMMAND, { id, type: entry.type, data: entry.data }, (err, ack) => {
      if (err) return this.emitCommand(id); // no answer yet: resend, the server keeps it once
      if (!this.pending.has(id)) return entry.resolve(ack); // settled already, by its event
      if (ack.ok) {
        // Acknowledged as soon as durable, before the broadcast: the caller is answered once the
        // confirmed board holds the change (settle), so what it reads next already shows it.
        entry.version = ack.version;
        entry.ack = ack;
        this.settle();
        this.changed();
        return;
      }
      this.pending.delete(id);
      this.dispatchEvent(new CustomEvent("rejected", { detail: { ...ack, type: entry.type, data: entry.data } }));
      entry.resolve(ack);
      this.changed();
    });
  }

  /** Forget predictions the confirmed state has caught up with. */
  settle() {
    for (const [id, entry] of this.pending) {
      if (entry.version !== null && entry.version <= this.confirmed.version) {
        this.pending.delete(id);
        if (entry.ack) entry.resolve(entry.ack);
      }
    }
  }

  catchUp() {
    this.socket.emit(CLIENT.SYNC, { since: this.confirmed.version }, (answer) => {
      if (!answer?.ok) return;
      if (answer.snapshot) this.confirmed = new BoardState(answer.snapshot);
      else for (const event of answer.events) this.confirmed.apply(event);
      this.settle();
      this.changed();
    });
  }

  /**
   * Share a drag position with the others, at most EPHEMERAL_HZ times a second (the end always).
   * Paced on a fixed grid of ticks (half a tick early allowed), not from the last send, so a hand
   * moving at the screen's rate is not thinned into a sawtooth; a move between ticks is held and the
   * latest goes at the next tick, so where the card stopped reaches the others even when the hand
   * then holds still (as the server paces its relay, board/pacing.py).
   */
  drag(payload) {
    clearTimeout(this.dragTimer);
    this.dragTimer = null;
    const interval = 1000 / EPHEMERAL_HZ;
    const now = performance.now();
    if (payload.active === false) {
      this.nextDragTick = null; // the next drag starts its own grid
      this.emitDrag(payload);
      return;
    }
    const due = this.nextDragTick ?? now;
    if (now >= due - interval / 2) {
      // Back on the grid; after a pause longer than a tick, a new grid from now.
      this.nextDragTick = now - due > interval ? now + interval : due + interval;
      this.emitDrag(payload);
    } else {
      this.dragTimer = setTimeout(() => this.drag(payload), due - now);
    }
  }

  emitDrag(payload) {
    if (this.socket.connected && !this.viewAs) this.socket.emit(CLIENT.DRAG, payload);
  }
}
