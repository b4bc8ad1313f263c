// The board as the browser holds it: a snapshot plus events applied in version order.
// Events carry the values they set, so applying one is plain assignment (board/domain/evolve.py).

export class BoardState {
  constructor(snapshot) {
    this.id = snapshot.id;
    this.version = snapshot.version;
    // A format may have no Panorama (its cards in free or canvas areas): the pages read an empty grid then.
    this.format = snapshot.format.panorama ? snapshot.format : { ...snapshot.format, panorama: { rows: [], columns: [] } };
    this.sequence = snapshot.sequence;
    this.vote = snapshot.vote;
    this.display = { ...(snapshot.display || { show_join: true }) };
    this.options = { ...(snapshot.options || {}) };
    this.cardsRevealed = Boolean(snapshot.cards_revealed); // private cards were turned over once (PRIV4)
    // The facilitator's lock, door and whom everyone follows (room_control.py).
    this.room = { locked: false, door_open: true, follow: null, ...(snapshot.room || {}) };
    this.timer = snapshot.timer ?? null; // the sequence's timer (TIME1), counted down by timer.js
    this.done = { ...(snapshot.done || {}) }; // who said done in this sequence (DONE1): id -> unit
    this.anonymous = [...(snapshot.anonymous || [])]; // the sequences that name nobody (ANON1)
    // Texts, quotes and links for participants, and the sequences that show them (material.py, MAT1).
    this.material = structuredClone(snapshot.material || { items: [], sequences: [] });
    // The published synthesis (SYN1): whether it is out, with names or not; its link is not here.
    this.publication = { published: false, include_names: false, edition: 0, ...(snapshot.publication || {}) };
    this.details = { title: "", date: null, place: "", ...(snapshot.details || {}) }; // the workshop's (DESK1)
    this.speakers = [...(snapshot.speakers || [])]; // speakers the facilitator added (marks.py, MARK12)
    // The evaluation (evaluation.py): null when the format has none; the answers this member may read.
    this.evaluation = snapshot.evaluation ? structuredClone(snapshot.evaluation) : null;
    this.zones = new Map(snapshot.zones.map((z) => [z.id, z]));
    this.cards = new Map(snapshot.cards.map((c) => [c.id, { ...c }]));
    this.teams = new Map(snapshot.teams.map((t) => [t.id, { ...t }]));
    this.participants = new Map(snapshot.participants.map((p) => [p.id, { ...p }]));
  }

  /** Apply one event: "applied", "old" (already in), or "gap" (something is missing before it). */
  apply(event) {
    if (event.version <= this.version) return "old";
    if (event.version > this.version + 1) return "gap";
    const reduce = REDUCERS[event.type];
    if (reduce) reduce(this, event.data);
    this.version = event.version;
    return "applied";
  }

  /** A deep-enough copy to apply optimistic changes on without touching the confirmed state. */
  clone() {
    const copy = Object.create(BoardState.prototype);
    Object.assign(copy, this, {
      display: { ...this.display },
      options: { ...this.options },
      room: { ...this.room },
      done: { ...this.done },
      anonymous: [...this.anonymous],
      material: structuredClone(this.material),
      publication: { ...this.publication },
      details: { ...this.details },
      speakers: [...this.speakers],
      evaluation: this.evaluation ? structuredClone(this.evaluation) : null,
      vote: structuredClone(this.vote),
      cards: new Map([...this.cards].map(([id, c]) => [id, { ...c, ...(c.marks ? { marks: structuredClone(c.marks) } : {}) }])),
      teams: new Map(this.teams),
      participants: new Map([...this.participants].map(([id, p]) => [id, { ...p }])),
    });
    return copy;
  }

  get currentSequence() {
    return this.format.sequences[this.sequence];
  }

  /** Whether a participant may send `commandType` in the current sequence (the server decides). */
  allows(commandType, role) {
    return role === "facilitator" || (!this.room.locked && this.currentSequence.allows.includes(commandType));
  }

  /** The cards of their own in a zone, in reading order; notes show under their card (notes.js). */
  cardsIn(zoneId) {
    return [...this.cards.values()]
      .filter((c) => c.zone === zoneId && !c.parent)
      .sort((a, b) => a.y - b.y || a.x - b.x || a.z - b.z);
  }

  topZ(zoneId) {
    let top = 0;
    for (const card of this.cards.values()) if (card.zone === zoneId) top = Math.max(top, card.z);
    return top + 1;
  }
}

/**
 * The names this page may read from now on, sent when anonymity turns (ANON4): every name and
 * author the page holds is replaced, so names withheld are gone from it and names given back return.
 */
function readNames(s, names) {
  if (!names) return; // the facilitator's page keeps every name
  for (const member of names.participants) {
    const person = s.participants.get(member.id);
    if (person) person.name = member.name;
  }
  for (const [id, authors] of Object.entries(names.cards)) {
    const card = s.cards.get(id);
    if (card) Object.assign(card, authors);
  }
}

/** A participant's material event: the whole list this page may read now (MAT6); false for the facilitator's. */
function readMaterial(s, d) {
  if (!d.items) return false;
  s.material.items = d.items;
  return true;
}

const REDUCERS = {
  participant_joined(s, d) {
    s.participants.set(d.id, { id: d.id, name: d.name, role: d.role, team: null });
  },
  team_created(s, d) {
    s.teams.set(d.id, { id: d.id, name: d.name, colour: d.colour, domain: d.domain });
  },
  team_joined(s, d) {
    const person = s.participants.get(d.participant_id);
    if (person) person.team = d.team_id;
  },
  card_moved(s, d) {
    const card = s.cards.get(d.card_id);
    if (!card) return;
    Object.assign(card, { zone: d.zone_id, x: d.x, y: d.y, z: d.z, team: d.team, colour: d.colour,
      placed_by: d.placed_by ?? null });
    for (const note of s.cards.values()) if (note.parent === card.id) note.zone = card.zone; // NOTE4
  },
  card_created(s, d) {
    s.cards.set(d.id, {
      id: d.id, kind: d.kind, text: d.text, description: d.description, zone: d.zone_id, x: d.x, y: d.y,
      z: d.z, author: d.author, team: d.team, colour: d.colour, domain: null, category: null, placed_by: null,
      parent: d.parent ?? null, note_kind: d.note_kind ?? null, ratings: {}, kept: false,
      private: Boolean(d.private), hidden: Boolean(d.hidden),
      ...(d.speaker != null ? { speaker: d.speaker } : {}), // who said it (MARK11)
    });
  },
  // Marks per participant (marks.py, MARK3): the card's list of who marked it, in order.
  card_marked(s, d) {
    const card = s.cards.get(d.card_id);
    if (!card) return;
    const marks = (card.marks ||= {});
    const ids = (marks[d.mark] ||= []);
    if (d.on && !ids.includes(d.participant_id)) ids.splice(d.position ?? ids.length, 0, d.participant_id);
    if (!d.on && ids.includes(d.participant_id)) ids.splice(ids.indexOf(d.participant_id), 1);
    if (!ids.length) delete marks[d.mark];
    if (!Object.keys(marks).length) delete card.marks;
  },
  card_linked(s, d) {
    const card = s.cards.get(d.card_id);
    if (!card) return;
    const links = (card.links ||= []);
    if (d.on && !links.includes(d.target_id)) links.splice(d.position ?? links.length, 0, d.target_id);
    if (!d.on && links.includes(d.target_id)) links.splice(links.indexOf(d.target_id), 1);
    if (!links.length) delete card.links;
  },
  // The evaluation (board/domain/evaluation.py): someone else's answer arrives empty (EVAL6).
  evaluation_answered(s, d) {
    if (!s.evaluation || !d.participant) return;
    s.evaluation = { ...s.evaluation, answers: { ...s.evaluation.answers,
      [d.participant]: { scores: { ...d.scores }, text: d.text } } };
  },
  evaluation_opened(s) {
    s.evaluation ||= { status: "idle", answers: {} };
    s.evaluation = { ...s.evaluation, status: "open" };
  },
  evaluation_closed(s) {
    s.evaluation ||= { status: "idle", answers: {} };
    s.evaluation = { ...s.evaluation, status: "closed" };
  },
  speaker_added(s, d) {
    s.speakers = [...s.speakers, d.name];
  },
  card_edited(s, d) {
    const card = s.cards.get(d.card_id);
    if (!card || d.hidden) return;
    if (d.text !== undefined) card.text = d.text;
    if (d.description !== undefined) card.description = d.description;
    if (d.note_kind !== undefined) card.note_kind = d.note_kind;
    if (d.speaker !== undefined) card.speaker = d.speaker;
  },
  // Ratings on two axes and the kept cards (board/domain/ratings.py). A new ratings object each
  // time: a clone shares the confirmed card's, and a prediction must not write into it.
  card_rated(s, d) {
    const card = s.cards.get(d.card_id);
    if (!card) return;
    const onAxis = { ...(card.ratings?.[d.axis] || {}) };
    if (d.value === null) delete onAxis[d.rater];
    else onAxis[d.rater] = d.value;
    const ratings = { ...(card.ratings || {}), [d.axis]: onAxis };
    if (!Object.keys(onAxis).length) delete ratings[d.axis];
    card.ratings = ratings;
  },
  card_kept(s, d) {
    const card = s.cards.get(d.card_id);
    if (card) card.kept = d.kept;
  },
  cards_revealed(s, d) {
    for (const card of d.cards) {
      const mine = s.cards.get(card.id);
      if (mine) Object.assign(mine, card, { private: false, hidden: false });
    }
    s.cardsRevealed = true;
  },
  options_configured(s, d) {
    Object.assign(s.options, d);
  },
  team_changed(s, d) {
    const team = s.teams.get(d.team_id);
    if (!team) return;
    if ("colour" in d) {
      for (const card of s.cards.values()) if (card.team === team.id && card.colour === team.colour) card.colour = d.colour;
    }
    for (const key of ["name", "colour", "domain"]) if (key in d) team[key] = d[key];
  },
  team_deleted(s, d) {
    s.teams.delete(d.team_id);
  },
  participant_removed(s, d) {
    // As teams.py: the person goes, a merge hands their cards over (those placed too, and the dots the
    // one who stays can take: `dots`, TEAM19), an open vote gives the rest of their dots back.
    s.participants.delete(d.participant_id);
    const handover = "dots" in d;
    for (const card of s.cards.values()) {
      if (card.author === d.participant_id) card.author = d.merge_into;
      if (handover && card.placed_by === d.participant_id) card.placed_by = d.merge_into;
    }
    for (const book of handover ? ["dots", "proxy"] : []) {
      for (const [cardId, count] of Object.entries(d[book] || {})) {
        const kept = (s.vote[book][d.merge_into] ||= {});
        kept[cardId] = (kept[cardId] || 0) + count;
        const gone = s.vote[book][d.participant_id];
        const left = (gone?.[cardId] || 0) - count;
        if (left > 0) gone[cardId] = left;
        else if (gone) delete gone[cardId];
      }
    }
    if (s.vote.status !== "closed") {
      delete s.vote.dots[d.participant_id];
      delete s.vote.proxy[d.participant_id];
    }
  },
  participant_forgotten(s, d) {
    // As privacy.py: the name becomes a neutral label; with "remove" their cards go (also those this
    // page holds face down, with no author: the event names them), their dots back to the voters.
    const person = s.participants.get(d.participant_id);
    if (person) person.name = d.label;
    for (const cardId of d.cards) REDUCERS.card_deleted(s, { card_id: cardId });
  },
  teams_split(s, d) {
    for (const team of d.teams) REDUCERS.team_created(s, team);
    for (const [pid, tid] of Object.entries(d.assignments)) {
      const person = s.participants.get(pid);
      if (person) person.team = tid;
    }
  },
  vote_configured(s, d) {
    Object.assign(s.vote, d);
  },
  vote_opened(s) {
    s.vote.status = "open";
  },
  vote_closed(s) {
    s.vote.status = "closed";
  },
  vote_reopened(s) {
    s.vote.status = "open"; // the dots placed before the close stay where they are
  },
  dot_changed(s, d) {
    if (d.progress) s.vote.progress = d.progress;
    if (!d.voter) {
      if (s.vote.totals && d.card_id) s.vote.totals[d.card_id] = (s.vote.totals[d.card_id] || 0) + d.delta;
      return; // someone else's dot, or an anonymous one: nothing more to know
    }
    for (const book of d.proxy ? ["dots", "proxy"] : ["dots"]) {
      const cards = (s.vote[book][d.voter] ||= {});
      cards[d.card_id] = (cards[d.card_id] || 0) + d.delta;
      if (cards[d.card_id] <= 0) delete cards[d.card_id];
    }
    // Proxy dots are some of the voter's dots: never more of them than dots (as vote.py).
    const proxied = s.vote.proxy[d.voter];
    const left = s.vote.dots[d.voter]?.[d.card_id] || 0;
    if (proxied && (proxied[d.card_id] || 0) > left) {
      if (left) proxied[d.card_id] = left;
      else delete proxied[d.card_id];
    }
  },
  results_revealed(s, d) {
    s.vote.revealed = true;
    s.vote.results = d;
  },
  deck_imported(s, d) {
    // As deck.py: the unplaced deck cards a replace took out go, the new ones enter the deck in order.
    for (const id of d.removed) REDUCERS.card_deleted(s, { card_id: id }); // its dots, if any, go back too
    const deck = [...s.zones.values()].find((zone) => zone.kind === "deck")?.id ?? "deck";
    for (const c of d.cards) {
      s.cards.set(c.id, {
        id: c.id, kind: "deck", text: c.text, description: c.description, zone: deck, x: 0, y: 0, z: c.z,
        author: null, team: null, colour: null, domain: c.domain, category: c.category, placed_by: null,
        parent: null, ratings: {}, kept: false, private: false, hidden: false,
      });
    }
  },
  card_deleted(s, d) {
    s.cards.delete(d.card_id);
    for (const id of d.notes || []) s.cards.delete(id); // its notes go with it (NOTE10)
    for (const book of [s.vote.dots, s.vote.proxy]) {
      for (const cards of Object.values(book)) delete cards[d.card_id]; // its dots go back to the voters
    }
    const gone = new Set([d.card_id, ...(d.notes || [])]);
    for (const card of s.cards.values()) { // no link to a card gone (LINK7)
      if (!card.links?.some((id) => gone.has(id))) continue;
      card.links = card.links.filter((id) => !gone.has(id));
      if (!card.links.length) delete card.links;
    }
  },
  sequence_changed(s, d) {
    s.sequence = d.index;
    s.timer = null; // a timer and the done signals belong to their sequence (TIME6, DONE4)
    s.done = {};
    readNames(s, d.names);
    if (d.material) s.material.items = d.material; // the new sequence's material, for a participant (MAT6)
  },
  timer_started(s, d) {
    s.timer = { ...d };
  },
  timer_paused(s, d) {
    s.timer = { ...d };
  },
  timer_resumed(s, d) {
    s.timer = { ...d };
  },
  timer_adjusted(s, d) {
    s.timer = { ...d };
  },
  timer_stopped(s) {
    s.timer = null;
  },
  done_changed(s, d) {
    if (d.done) s.done[d.who] = d.unit;
    else delete s.done[d.who];
  },
  anonymity_set(s, d) {
    const chosen = new Set(s.anonymous);
    for (const index of d.sequences) d.on ? chosen.add(index) : chosen.delete(index);
    s.anonymous = [...chosen].sort((a, b) => a - b);
    readNames(s, d.names);
  },
  workshop_described(s, d) {
    s.details = { ...d.details };
  },
  projector_set(s, d) {
    s.display = { ...s.display, ...d };
  },
  // The material (material.py): the facilitator's page gets each change; a participant's page the
  // whole list it may read now (`items`), which replaces the one it holds (MAT6).
  material_added(s, d) {
    if (!readMaterial(s, d)) s.material.items.push(d.item);
  },
  material_edited(s, d) {
    if (!readMaterial(s, d)) s.material.items = s.material.items.map((item) => (item.id === d.item.id ? d.item : item));
  },
  material_removed(s, d) {
    if (!readMaterial(s, d)) s.material.items = s.material.items.filter((item) => item.id !== d.id);
  },
  material_moved(s, d) {
    if (readMaterial(s, d)) return;
    const item = s.material.items.find((one) => one.id === d.id);
    if (!item) return;
    s.material.items = s.material.items.filter((one) => one !== item);
    s.material.items.splice(d.position, 0, item);
  },
  material_sequences_set(s, d) {
    s.material.sequences = [...d.sequences];
    readMaterial(s, d);
  },
  synthesis_published(s, d) {
    s.publication = { published: true, include_names: d.include_names, edition: d.edition };
  },
  synthesis_unpublished(s) {
    s.publication = { ...s.publication, published: false };
  },
  board_locked(s) {
    s.room.locked = true;
  },
  board_unlocked(s) {
    s.room.locked = false;
  },
  door_closed(s) {
    s.room.door_open = false;
  },
  door_opened(s) {
    s.room.door_open = true;
  },
  // The Panorama's labels (board/domain/panorama.py): the row or column whole, the cells rebuilt.
  panorama_line_renamed(s, d) {
    setLines(s, d.axis, s.format.panorama[d.axis].map((entry) => (entry.id === d.entry.id ? d.entry : entry)));
  },
  panorama_line_added(s, d) {
    setLines(s, d.axis, [...s.format.panorama[d.axis], d.entry]);
  },
  panorama_line_removed(s, d) {
    setLines(s, d.axis, s.format.panorama[d.axis].filter((entry) => entry.id !== d.id));
    // What pointed to it points nowhere (PANO6), as panorama.py does.
    const side = d.axis === "rows" ? "domain" : "category";
    for (const card of s.cards.values()) if (card[side] === d.id) card[side] = null;
    if (d.axis === "rows") {
      for (const team of s.teams.values()) if (team.domain === d.id) s.teams.set(team.id, { ...team, domain: null });
    }
    const gone = (focus) => focus && ((focus.kind === "row" && !s.format.panorama.rows.some((r) => r.id === focus.id))
      || (focus.kind === "zone" && !s.zones.has(focus.id)));
    if (gone(s.display.focus)) s.display = { ...s.display, focus: { kind: "overview" } };
    if (gone(s.room.follow)) s.room = { ...s.room, follow: null };
  },
  // Families on a canvas (board/domain/canvas.py): a new Map each time, so a prediction on a copy of
  // the board never reaches the confirmed one (clone() shares the zones).
  zone_created(s, d) {
    s.zones = new Map(s.zones).set(d.zone.id, { ...d.zone });
    for (const moved of d.cards) REDUCERS.card_moved(s, moved);
  },
  zone_renamed(s, d) {
    const zone = s.zones.get(d.zone_id);
    if (zone) s.zones = new Map(s.zones).set(zone.id, { ...zone, label: { ...d.label } });
  },
  zone_moved(s, d) {
    const zone = s.zones.get(d.zone_id);
    if (zone) s.zones = new Map(s.zones).set(zone.id, { ...zone, x: d.x, y: d.y });
  },
  zone_deleted(s, d) {
    s.zones = new Map(s.zones);
    s.zones.delete(d.zone_id);
    const gone = (focus) => focus?.kind === "zone" && focus.id === d.zone_id;
    if (gone(s.display.focus)) s.display = { ...s.display, focus: { kind: "overview" } };
    if (gone(s.room.follow)) s.room = { ...s.room, follow: null };
  },
  follow_set(s, d) {
    // Everyone is led to the focus, the projector too; letting go leaves the projector where it is.
    s.room.follow = d.focus;
    if (d.focus) s.display = { ...s.display, focus: d.focus };
  },
};
/** A new list of rows or columns: a new format object (pages compare it to know the grid changed) and
 *  the cells rebuilt, row by row, before the other zones (as formats.load_format orders them). */
function setLines(s, axis, entries) {
  s.format = { ...s.format, panorama: { ...s.format.panorama, [axis]: entries } };
  const { rows, columns } = s.format.panorama;
  const cells = rows.flatMap((row) => columns.map((column) => {
    const id = `${row.id}/${column.id}`;
    return [id, { id, kind: "cell", label: {}, row: row.id, column: column.id, created_by: null }];
  }));
  const others = [...s.zones].filter(([, zone]) => zone.kind !== "cell");
  s.zones = new Map([...cells, ...others]);
}

// The facilitator's room controls show at once, as they will be once confirmed.
const ROOM_PREDICTIONS = { lock_board: "board_locked", unlock_board: "board_unlocked", close_door: "door_closed",
  open_door: "door_opened", follow: "follow_set" };

/** Whose dots a member spends: their own, or their team's when the vote is per team. */
export function voterKey(state, me) {
  return state.vote.mode === "team" ? state.participants.get(me)?.team ?? null : me;
}

/** What a command would do if accepted: shown at once, undone if the server refuses it. */
export function predict(state, type, data, me) {
  if (type === "move_card") {
    const card = state.cards.get(data.card_id);
    if (card) Object.assign(card, { zone: data.zone_id, x: data.x, y: data.y, z: state.topZ(data.zone_id) });
  } else if (type === "create_card" && data.card_id) {
    REDUCERS.card_created(state, {
      ...data, id: data.card_id, description: data.description || "", z: state.topZ(data.zone_id),
      author: me, team: state.participants.get(me)?.team ?? null, colour: data.colour ?? null,
    });
  } else if (type === "edit_card") {
    REDUCERS.card_edited(state, data);
  } else if (type === "delete_card") {
    REDUCERS.card_deleted(state, data);
  } else if (type === "join_team") {
    REDUCERS.team_joined(state, { participant_id: data.participant_id || me, team_id: data.team_id });
  } else if (type === "set_sequence") {
    state.sequence = data.index;
  } else if (type === "configure_vote") {
    REDUCERS.vote_configured(state, data);
  } else if (type === "configure") {
    REDUCERS.options_configured(state, data);
  } else if (type === "set_projector") {
    REDUCERS.projector_set(state, data);
  } else if (type === "set_material_sequences") {
    state.material.sequences = [...data.sequences]; // the console's boxes stay as ticked (material.py)
  } else if (ROOM_PREDICTIONS[type]) {
    REDUCERS[ROOM_PREDICTIONS[type]](state, { focus: data.focus ?? null });
  } else if (type === "rate_card") {
    // The rater is the sender's team, or the sender without one (RATE3).
    const rater = state.participants.get(me)?.team ?? me;
    REDUCERS.card_rated(state, { card_id: data.card_id, axis: data.axis, value: data.value, rater });
  } else if (type === "keep_card") {
    REDUCERS.card_kept(state, data);
  } else if (type === "create_zone") {
    // Shown at once where it was put; its cards, if any, come with the server's event.
    const label = { fr: data.label.trim(), en: data.label.trim() };
    REDUCERS.zone_created(state, { zone: { id: data.zone_id, kind: "family", label, row: null, column: null,
      created_by: state.participants.get(me)?.team ?? me, area: data.area_id, x: data.x, y: data.y }, cards: [] });
  } else if (type === "rename_zone") {
    REDUCERS.zone_renamed(state, { zone_id: data.zone_id, label: { fr: data.label.trim(), en: data.label.trim() } });
  } else if (type === "delete_zone") {
    REDUCERS.zone_deleted(state, data);
  } else if (type === "move_zone") {
    REDUCERS.zone_moved(state, data); // shown at once where it was put
  } else if (type === "link_card") {
    REDUCERS.card_linked(state, { card_id: data.card_id, target_id: data.target_id, on: data.on, position: data.position });
  } else if (type === "mark_card") {
    REDUCERS.card_marked(state, { ...data, participant_id: me });
  } else if (type === "answer_evaluation") {
    REDUCERS.evaluation_answered(state, { participant: me, scores: data.scores, text: (data.text || "").trim() });
  } else if (type === "vote") {
    const voter = data.voter || voterKey(state, me);
    if (voter) REDUCERS.dot_changed(state, { voter, card_id: data.card_id, delta: data.delta, proxy: Boolean(data.voter) });
  }
}
