"""The README's API example, run word for word against a live server: an offering created, published and found."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db
from tests.api.conftest import issue_token
from tests.factories import make_user

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    """Return the README's Python block that calls the API."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    return next(block for block in blocks if "/api/v1/offerings" in block)


def test_readme_example_creates_publishes_and_finds_an_offering(database_uri, tmp_path):
    """Does the example, as printed, create a draft, publish it, and find it first in search?"""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / "instance")})
    with app.app_context():
        from marketplace.policy.rules import install_default_instruments

        install_default_instruments()
        token = issue_token(make_user("vendor"), ("read", "listings"))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = subprocess.run([sys.executable, "-c", readme_example()], capture_output=True, text=True, timeout=600,
                             env={**os.environ, "MOSHU_URL": f"http://127.0.0.1:{server.server_port}",
                                  "MOSHU_TOKEN": token})
    finally:
        server.shutdown()
        with app.app_context():
            from tests.conftest import empty_tables

            empty_tables()
            db.session.remove()
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert lines[0].startswith("created ") and lines[0].endswith(" draft")
    assert lines[1] == "published: published"
    offering_id = int(lines[0].split()[1])
    assert f"({offering_id}, '锂电池极片表面缺陷在线检测'" in lines[2]
