"""Abuse limits: failed enrolments and failed authentications per client address and per device.

Each limit is "at most ``limit`` failures of one key in any ``window`` seconds"; a key over it is answered
``429`` with ``Retry-After`` until its oldest failure in the window has aged out. Successful requests do
not count, so a clinic enrolling all its PCs at once, or a desktop syncing every few minutes, never meets
a limit; a client guessing codes or tokens, or a revoked device that keeps calling, does.

The counts live in the memory of each server process, not in PostgreSQL: the check runs before every
authenticated request, and a database round trip for it would cost the push and pull paths more than the
limit is worth. With N server processes behind the proxy a client may make up to N times the attempts,
and a restart forgets the counts; both are acceptable for limits whose purpose is to make guessing and
floods slow, not to count exactly (docs/hq-server.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


class RateLimiter:
    """At most ``limit`` events per key in any ``window`` seconds; thread-safe, in this process's memory."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit, self.window, self.clock, self.max_keys = limit, window, clock, max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        events = self._events.get(key)
        if events is None:
            return None
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return None
        return events

    def retry_after(self, key: str) -> int | None:
        """Whole seconds until ``key`` may try again, or None when it is under its limit."""
        if self.limit <= 0:
            return None  # 0 turns the limit off
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            if events is None or len(events) < self.limit:
                return None
            return max(1, math.ceil(events[0] + self.window - now))

    def hit(self, key: str) -> None:
        """Count one event (a failure) of ``key``."""
        if self.limit <= 0:
            return
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._forget_expired(now)
                events = self._events[key] = deque(maxlen=self.limit)
            events.append(now)

    def _forget_expired(self, now: float) -> None:
        for key in list(self._events):
            self._recent(key, now)
        if len(self._events) >= self.max_keys:  # a flood of fresh keys: drop the oldest half
            oldest = sorted(self._events, key=lambda k: self._events[k][-1])
            for key in oldest[: len(oldest) // 2]:
                del self._events[key]


@dataclass
class Limits:
    """The server's limits, made from its settings (``clinic_hq.config.Settings``)."""

    enrol_address: RateLimiter
    enrol_device: RateLimiter
    auth_address: RateLimiter
    auth_device: RateLimiter
    signin_address: RateLimiter | None = None  # failed console sign-ins; None: no limit

    @classmethod
    def from_settings(cls, settings, clock: Callable[[], float] = time.monotonic) -> Limits:
        window = settings.rate_window_seconds
        return cls(
            RateLimiter(settings.enrol_failures_per_address, window, clock=clock),
            RateLimiter(settings.enrol_failures_per_device, window, clock=clock),
            RateLimiter(settings.auth_failures_per_address, window, clock=clock),
            RateLimiter(settings.auth_failures_per_device, window, clock=clock),
            RateLimiter(settings.signin_failures_per_address, window, clock=clock),
        )
