// Who this browser is on each workshop, so a refresh, a sleeping laptop or a new visit to the join
// link brings back the same person. Kept in localStorage, keyed by the workshop's join code.
const PREFIX = "atelier.member.";

export function normaliseCode(code) {
  return (code || "").toUpperCase().replace(/[\s-]/g, "");
}

export function rememberMember(code, token, name) {
  if (!code) return;
  localStorage.setItem(PREFIX + normaliseCode(code), JSON.stringify({ token, name }));
}

export function rememberedMember(code) {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + normaliseCode(code)));
  } catch {
    return null;
  }
}

/** Forget who this browser was on a workshop (they were removed): the join page then offers no dead link. */
export function forgetMember(code) {
  if (code) localStorage.removeItem(PREFIX + normaliseCode(code));
}
