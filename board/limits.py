"""Rate limits: a token bucket per connection or per address."""
import time


class TokenBucket:
    """Allows `rate` actions per second on average, `burst` at once."""

    def __init__(self, rate, burst, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.stamp = clock()

    def allow(self):
        """Take one token if there is one; False means refuse."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class KeyedBuckets:
    """One TokenBucket per key (an IP address, say), forgotten when full again."""

    def __init__(self, rate, burst, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets = {}

    def allow(self, key):
        """Take one token from `key`'s bucket."""
        if len(self._buckets) > 10_000:  # forget buckets that have refilled completely
            now = self.clock()
            self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < b.burst / b.rate}
        bucket = self._buckets.setdefault(key, TokenBucket(self.rate, self.burst, self.clock))
        return bucket.allow()
