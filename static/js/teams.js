// How a team is told apart: its colour, and never the colour alone: a mark (a shape) and its name.
// TEAM_COLOURS is board/domain/decide.py's list (tests/test_team_colours.py checks they agree).

export const TEAM_COLOURS = ["#001848", "#2a9d70", "#7643e4", "#404000", "#186060", "#ff4800", "#300000", "#480090",
  "#786048", "#7890c0", "#a86090", "#601830"];

// One shape per team, in the order teams were made; the colour band's pattern follows the same order.
export const TEAM_MARKS = ["●", "▲", "■", "◆", "▼", "★", "◉", "▶"];

/** The index of a team in the board's order (0 for the first made), or -1. */
export function teamIndex(view, teamId) {
  return teamId ? [...view.teams.keys()].indexOf(teamId) : -1;
}

/** The shape that marks a team, "" for none. */
export function teamMark(view, teamId) {
  const index = teamIndex(view, teamId);
  return index < 0 ? "" : TEAM_MARKS[index % TEAM_MARKS.length];
}

/** The colour a new team gets by default: the next one of the list. */
export function nextTeamColour(view) {
  return TEAM_COLOURS[view.teams.size % TEAM_COLOURS.length];
}
