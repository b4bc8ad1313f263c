"""The vote on the must-have competences ("incontournables"): rules, changes and ranking.

A voter is a participant, or a whole team when the vote is per team. Each has
a budget of dots and may put at most `per_card` on one card; the facilitator
may enter dots for someone without a device (marked as proxy dots).
"""
from .errors import BAD_REQUEST, CONFLICT, FORBIDDEN, NOT_FOUND, SEQUENCE_CLOSED, Rejection
from .model import FACILITATOR, PARTICIPANT

OPEN, CLOSED, IDLE = "open", "closed", "idle"
VOTE = "vote"  # the command a sequence's `allows` names when it is the vote's sequence


# -- resolvers: (board, actor, role, command) -> (event type, data) or Rejection

def configure_vote(board, actor, role, cmd):
    """Settings may change before the vote; while it is open only the budget, and only upwards."""
    vote = board.vote
    changes = {k: v for k, v in (("mode", cmd.mode), ("budget", cmd.budget), ("per_card", cmd.per_card),
                                 ("facilitator_votes", cmd.facilitator_votes), ("anonymous", cmd.anonymous))
               if v is not None and getattr(vote, k) != v}
    if not changes:
        return Rejection(BAD_REQUEST, "Nothing to change in the vote settings.")
    if vote.status == CLOSED:
        return Rejection(CONFLICT, "The vote is closed: its settings are frozen.")
    if vote.status == OPEN:
        if set(changes) != {"budget"}:
            return Rejection(CONFLICT, "While the vote is open, only the budget can change.")
        if changes["budget"] < vote.budget:
            return Rejection(CONFLICT, "While the vote is open, the budget can only grow.")
    return "vote_configured", changes


def open_vote(board, actor, role, cmd):
    """Open an idle vote, in a sequence whose format lets participants vote."""
    refusal = _outside_voting_sequence(board)
    if refusal:
        return refusal
    if board.vote.status != IDLE:
        return Rejection(CONFLICT, "The vote is already open." if board.vote.status == OPEN
                         else "The vote is closed: reopen it instead.")
    return "vote_opened", {}


def close_vote(board, actor, role, cmd):
    # Closing is accepted in any sequence: a facilitator who moved on must still be able to stop it.
    if board.vote.status != OPEN:
        return Rejection(CONFLICT, "The vote is not open.")
    return "vote_closed", {}


def reopen_vote(board, actor, role, cmd):
    """Open a closed vote again (a close by mistake), as long as nobody has seen its results."""
    refusal = _outside_voting_sequence(board)
    if refusal:
        return refusal
    if board.vote.status != CLOSED:
        return Rejection(CONFLICT, "Only a closed vote can be reopened.")
    if board.vote.revealed:
        return Rejection(CONFLICT, "The results are revealed: the vote cannot reopen.")
    return "vote_reopened", {}


def reveal_results(board, actor, role, cmd):
    if board.vote.status != CLOSED:
        return Rejection(CONFLICT, "Close the vote before revealing its results.")
    if board.vote.revealed:
        return Rejection(CONFLICT, "The results are already revealed.")
    # Nothing may stay face down into the results without the facilitator knowing it.
    hidden = sum(1 for card in board.cards.values() if card.private)
    if hidden:
        cards = "1 card is" if hidden == 1 else f"{hidden} cards are"
        return Rejection(CONFLICT, f"{cards} still hidden from the other teams (private mode): "
                                   "reveal the hidden cards before the results.")
    return "results_revealed", ranking(board)


def voting_sequence(board):
    """The index of the first sequence whose format lets participants vote, or None."""
    return next((index for index, sequence in enumerate(board.format.sequences) if VOTE in sequence.allows), None)


def _outside_voting_sequence(board):
    """The refusal to open the vote now, or None: the format's sequences say where a vote happens."""
    if VOTE in board.current_sequence.allows:
        return None
    current = board.current_sequence.name["en"]
    index = voting_sequence(board)
    if index is None:
        return Rejection(SEQUENCE_CLOSED, f"No sequence of this workshop has a vote (now: {current}).")
    where = board.format.sequences[index].name["en"]
    return Rejection(SEQUENCE_CLOSED, f"The vote opens in sequence {index + 1} ({where}); "
                                      f"the current sequence ({current}) has no vote.")


def cast(board, actor, role, cmd):
    """Put or take back one dot, for oneself, one's team, or (facilitator) someone without a device."""
    vote = board.vote
    if vote.status != OPEN:
        return Rejection(SEQUENCE_CLOSED, "The vote is closed." if vote.status == CLOSED else "The vote is not open.")
    voter = _voter(board, actor, role, cmd.voter)
    if isinstance(voter, Rejection):
        return voter
    card = board.cards.get(cmd.card_id)
    if card is None or not _sees(board, actor, role, card):
        return Rejection(NOT_FOUND, f"Unknown card {cmd.card_id!r}.")
    if card.parent is not None:  # dots go to cards, not to their notes (NOTE4)
        return Rejection(FORBIDDEN, "A note cannot be chosen: choose its card.")
    if board.zones[card.zone].kind == "deck":
        return Rejection(FORBIDDEN, "Only cards on the Panorama can be chosen.")
    on_card = vote.dots.get(voter, {}).get(card.id, 0)
    if cmd.delta > 0 and vote.used(voter) >= vote.budget:
        return Rejection(CONFLICT, f"No dots left: the budget is {vote.budget}.")
    if cmd.delta > 0 and on_card >= vote.per_card:
        return Rejection(CONFLICT, f"At most {vote.per_card} dots on one card.")
    if cmd.delta < 0 and on_card == 0:
        return Rejection(CONFLICT, "There is no dot to take back on this card.")
    return "dot_changed", {"voter": voter, "card_id": card.id, "delta": cmd.delta, "proxy": cmd.voter is not None}


def _sees(board, actor, role, card):
    """A face-down card (another team's, private) cannot be chosen: for this voter it is not there."""
    return not card.private or role == FACILITATOR or card.team == board.participants[actor].team


def _voter(board, actor, role, proxy_for):
    """Whose budget a dot uses: the person, their team, or whoever the facilitator votes for."""
    vote = board.vote
    if proxy_for is not None:
        if role != FACILITATOR:
            return Rejection(FORBIDDEN, "Only the facilitator enters dots for someone else.")
        known = board.teams if vote.mode == "team" else {
            pid: p for pid, p in board.participants.items() if p.role == PARTICIPANT}
        if proxy_for not in known:
            return Rejection(NOT_FOUND, f"Unknown {'team' if vote.mode == 'team' else 'participant'} {proxy_for!r}.")
        return proxy_for
    if role == FACILITATOR and not vote.facilitator_votes:
        return Rejection(FORBIDDEN, "The facilitator does not vote in this workshop.")
    if vote.mode == "team":
        team = board.participants[actor].team
        if team is None:
            return Rejection(FORBIDDEN, "Join a team to vote: this vote is per team.")
        return team
    return actor


# -- evolvers

def vote_configured(board, data):
    for key, value in data.items():
        setattr(board.vote, key, value)


def vote_opened(board, data):
    board.vote.status = OPEN


def vote_closed(board, data):
    board.vote.status = CLOSED


def vote_reopened(board, data):
    board.vote.status = OPEN


def dot_changed(board, data):
    voter, card_id = data["voter"], data["card_id"]
    for book in ([board.vote.dots, board.vote.proxy] if data["proxy"] else [board.vote.dots]):
        cards = book.setdefault(voter, {})
        cards[card_id] = cards.get(card_id, 0) + data["delta"]
        if cards[card_id] <= 0:
            del cards[card_id]
    # Proxy dots are some of the voter's dots: when the voter takes one back, there may be no more
    # dots on that card than proxy dots, and the marking must not outlive the dots.
    proxied, left = board.vote.proxy.get(voter, {}), board.vote.dots.get(voter, {}).get(card_id, 0)
    if proxied.get(card_id, 0) > left:
        if left:
            proxied[card_id] = left
        else:
            del proxied[card_id]


def results_revealed(board, data):
    board.vote.revealed = True
    board.vote.results = data


# -- results

def ranking(board):
    """Totals and ranks: overall and per Panorama row; equal totals share a rank (1, 1, 3)."""
    totals = board.vote.totals()
    chosen = [card for card in board.cards.values() if totals.get(card.id)]
    overall = _ranked(chosen, totals)
    by_row = {}
    for row in board.format.rows:
        in_row = [card for card in chosen if board.zones[card.zone].row == row["id"]]
        if in_row:
            by_row[row["id"]] = _ranked(in_row, totals)
    return {"totals": totals, "overall": overall, "by_row": by_row}


def _ranked(cards, totals):
    ordered = sorted(cards, key=lambda card: (-totals[card.id], card.text.casefold(), card.id))
    result, rank = [], 0
    for position, card in enumerate(ordered, start=1):
        if position == 1 or totals[card.id] != totals[ordered[position - 2].id]:
            rank = position
        result.append({"card_id": card.id, "dots": totals[card.id], "rank": rank})
    return result


def progress(board):
    """Who still has dots to place: the voters and those who used their whole budget."""
    vote = board.vote
    if vote.mode == "team":
        voters = list(board.teams)
    else:
        voters = [pid for pid, p in board.participants.items()
                  if p.role == PARTICIPANT or (p.role == FACILITATOR and vote.facilitator_votes)]
    still = [voter for voter in voters if vote.used(voter) < vote.budget]
    return {"voters": len(voters), "still_voting": len(still), "still": still}


RESOLVERS = {"configure_vote": configure_vote, "open_vote": open_vote, "close_vote": close_vote,
             "reopen_vote": reopen_vote, "reveal_results": reveal_results, VOTE: cast}
EVOLVERS = {"vote_configured": vote_configured, "vote_opened": vote_opened, "vote_closed": vote_closed,
            "vote_reopened": vote_reopened, "dot_changed": dot_changed, "results_revealed": results_revealed}
