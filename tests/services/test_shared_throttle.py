"""With several web workers, do the sign-in limits hold across all of them? (Redis, as in production.)"""
from __future__ import annotations

import redis

from marketplace import create_app
from marketplace.extensions import db
from tests.conftest import empty_tables
from tests.factories import make_user


def worker(database_uri, tmp_path, redis_url, name):
    """Build one web worker's app: its own process state, the shared database and the shared Redis."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / name),
                       "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url,
                       "LOGIN_RATE_LIMIT": "10 per minute", "LOGIN_ACCOUNT_LIMIT": "5 per 15 minutes"})


def test_forty_wrong_passwords_over_two_workers_get_five_tries(database_uri, tmp_path, redis_url):
    """Forty wrong passwords for one account, alternating between two workers and many addresses: five are checked."""
    first = worker(database_uri, tmp_path, redis_url, "a")
    second = worker(database_uri, tmp_path, redis_url, "b")
    try:
        with first.app_context():
            email = make_user("enterprise").email
        clients = [first.test_client(), second.test_client()]
        statuses = [clients[n % 2].post("/accounts/login", data={"email": email, "password": f"wrong-{n}"},
                                        environ_base={"REMOTE_ADDR": f"10.1.{n}.1"}).status_code
                    for n in range(40)]
        assert statuses.count(422) == 5, statuses      # password checked and refused
        assert statuses.count(429) == 35, statuses     # throttled before any password check
        keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("LIMITS*")]
        assert any("login-account" in k for k in keys), keys  # the count lives in Redis, not in a worker
    finally:
        with first.app_context():
            empty_tables()
            db.session.remove()


def test_one_address_is_limited_across_both_workers(database_uri, tmp_path, redis_url):
    """One client address failing against many accounts is counted once across the two workers."""
    first = worker(database_uri, tmp_path, redis_url, "c")
    second = worker(database_uri, tmp_path, redis_url, "d")
    try:
        clients = [first.test_client(), second.test_client()]
        statuses = [clients[n % 2].post("/accounts/login", data={"email": f"nobody{n}@example.cn", "password": "x"},
                                        environ_base={"REMOTE_ADDR": "10.2.0.9"}).status_code for n in range(16)]
        assert statuses.count(429) == 6, statuses
    finally:
        with first.app_context():
            empty_tables()
            db.session.remove()
