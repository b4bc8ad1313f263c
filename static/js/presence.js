// Who is online, kept up to date from the server's `presence` messages (PRES1, PRES2): the welcome
// and a change of anonymity bring the whole list {online}; any other change only {arrived, left}.

/**
 * The online list after one `presence` message: the whole list replaces it; a change removes those
 * who left, puts those who arrived (once each, the latest as they read it) and keeps the server's
 * order by id.
 */
export function applyPresence(online, presence) {
  if (Array.isArray(presence.online)) return presence.online;
  const gone = new Set(presence.left ?? []);
  const byId = new Map(online.filter((member) => !gone.has(member.id)).map((member) => [member.id, member]));
  for (const member of presence.arrived ?? []) if (!gone.has(member.id)) byId.set(member.id, member);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
