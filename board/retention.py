"""The retention setting: workshops nobody changed for N days are deleted (RGPD), at start and then
periodically while the server runs."""
import logging

log = logging.getLogger("atelier.retention")


def retention_every(days):
    """How often the retention check runs: a tenth of the retention, between 1 s and 1 hour."""
    return min(3600.0, max(1.0, days * 86400 / 10))


def keep_retention(workshops, days, sleep):
    """Every retention_every(days) seconds, delete the workshops idle for `days` days."""
    while True:
        sleep(retention_every(days))
        try:
            for board_id in workshops.delete_idle(days):
                log.info("retention: deleted workshop %s, unchanged for %g days", board_id, days)
        except Exception:  # a failed pass is tried again at the next one; the server keeps serving
            log.exception("retention: the pass failed")
