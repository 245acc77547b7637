"""Per-account throttles (failed sign-ins, reset e-mails) kept in Flask-Limiter's shared storage.

The storage is `RATELIMIT_STORAGE_URI`: Redis in production, so every worker counts the same failures.
Keys hold a digest of the normalised e-mail, never the address itself.
"""
from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from flask import current_app
from limits import parse

from marketplace.extensions import limiter


@dataclass(frozen=True)
class AccountThrottle:
    """A limit (a config key such as LOGIN_ACCOUNT_LIMIT) counted per e-mail address."""

    name: str
    config_key: str

    def _item(self):
        """Return the parsed rate-limit item from the config."""
        return parse(current_app.config[self.config_key])

    def _key(self, email: str) -> str:
        """Return the storage identifier for an e-mail address."""
        return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]

    @staticmethod
    def active() -> bool:
        """Tell whether rate limiting is on for this app."""
        return bool(current_app.config.get("RATELIMIT_ENABLED", True))

    def blocked_for(self, email: str) -> int:
        """Return the seconds until the address may try again (0 when it is not blocked)."""
        if not self.active():
            return 0
        item, key = self._item(), self._key(email)
        if limiter.limiter.test(item, self.name, key):
            return 0
        reset = limiter.limiter.get_window_stats(item, self.name, key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def hit(self, email: str) -> None:
        """Count one attempt (a failure, or a reset e-mail) against the address."""
        if self.active():
            limiter.limiter.hit(self._item(), self.name, self._key(email))

    def clear(self, email: str) -> None:
        """Forget the address's counted attempts (after a successful sign-in)."""
        if self.active():
            limiter.limiter.clear(self._item(), self.name, self._key(email))


LOGIN_FAILURES = AccountThrottle("login-account", "LOGIN_ACCOUNT_LIMIT")
RESET_MAILS = AccountThrottle("reset-account", "PASSWORD_RESET_ACCOUNT_LIMIT")
