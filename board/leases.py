"""The watch over a shared store's leases (run.py starts it on a PostgreSQL database)."""
import logging

log = logging.getLogger(__name__)
WATCH_SECONDS = 2.0  # how soon a lease lost with its database session is noticed between writes


def watch_leases(workshops, sleep, interval=WATCH_SECONDS):
    """For ever: drop the boards whose lease this process lost (their sockets reconnect and catch up
    where the board is served now). A write notices a lost lease at once; this notices it while the
    board is quiet, so its people are not left on a board that can no longer change."""
    while True:
        sleep(interval)
        try:
            lost = workshops.store.lost_leases()
        except Exception:  # the database is away: the next round asks again
            log.exception("the leases could not be checked")
            continue
        for board_id in lost:
            log.warning("board %s: this process lost its lease; its sockets reconnect", board_id)
            workshops.drop(board_id)
