// The real-time protocol, browser side: every name in one place.
// board/protocol.py holds the same lists; tests/test_frontend_protocol.py checks they agree.

export const PROTOCOL_VERSION = 1;

export const CLIENT = Object.freeze({
  COMMAND: "command",
  SYNC: "sync",
  DRAG: "drag",
  CURSOR: "cursor",
});

export const SERVER = Object.freeze({
  WELCOME: "welcome",
  EVENT: "event",
  EVENTS: "events",
  PRESENCE: "presence",
  DRAG: "dragging",
  CURSOR: "pointer",
  ERROR: "error",
  CLOSED: "closed",
  MOVED: "moved",
});

export const COMMAND_TYPES = Object.freeze([
  "create_team", "join_team", "move_card", "create_card", "edit_card", "delete_card", "set_sequence",
  "set_projector", "configure", "split_teams", "reveal_cards", "configure_vote", "open_vote", "close_vote",
  "reopen_vote", "reveal_results", "vote", "set_team", "delete_team", "remove_participant", "forget_participant", "lock_board",
  "unlock_board", "follow", "close_door", "open_door",
  "start_timer", "pause_timer", "resume_timer", "adjust_timer", "stop_timer", "set_done",
  "set_anonymity", "describe_workshop",
  "add_material", "edit_material", "remove_material", "move_material", "set_material_sequences",
  "rename_domain", "add_domain", "remove_domain", "rename_category", "add_category", "remove_category",
  "import_deck",
  "publish_synthesis", "unpublish_synthesis",
  "rate_card", "keep_card",
  "create_zone", "rename_zone", "delete_zone", "move_zone",
  "mark_card", "add_speaker",
  "link_card",
  "answer_evaluation", "open_evaluation", "close_evaluation",
]);

export const EVENT_TYPES = Object.freeze([
  "board_created", "participant_joined", "team_created", "team_joined", "card_moved", "card_created",
  "card_edited", "card_deleted", "sequence_changed", "projector_set", "options_configured", "teams_split",
  "cards_revealed", "vote_configured", "vote_opened", "vote_closed", "vote_reopened", "dot_changed",
  "results_revealed", "team_changed", "team_deleted", "participant_removed", "participant_forgotten", "board_locked", "board_unlocked",
  "follow_set", "door_closed", "door_opened",
  "timer_started", "timer_paused", "timer_resumed", "timer_adjusted", "timer_stopped", "done_changed",
  "anonymity_set", "workshop_described",
  "material_added", "material_edited", "material_removed", "material_moved", "material_sequences_set",
  "board_restored",
  "panorama_line_renamed", "panorama_line_added", "panorama_line_removed",
  "deck_imported",
  "synthesis_published", "synthesis_unpublished",
  "card_rated", "card_kept",
  "zone_created", "zone_renamed", "zone_deleted", "zone_moved",
  "card_marked", "speaker_added",
  "card_linked",
  "evaluation_answered", "evaluation_opened", "evaluation_closed",
]);

export const ERROR_CODES = Object.freeze([
  "bad_request", "unauthorized", "forbidden", "not_found", "conflict", "sequence_closed", "too_large",
  "rate_limited", "unavailable", "locked", "door_closed", "time_up",
  "not_empty",
]);

// Relayed positions per second; sending more often only costs bandwidth.
export const EPHEMERAL_HZ = 30;
