"""A real client against the running API: schemathesis reads /api/v1/openapi.json from a live server, generates
requests for every operation (examples, boundary cases and random ones) with a token of each role, and finds no
5xx and no answer that contradicts the document."""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db
from tests.api.conftest import issue_token
from tests.factories import make_active_agreement, make_model, make_need, make_proposal, make_user

CHECKS = ("not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,"
          "response_headers_conformance")
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    """Serve the app on its own migrated SQLite file with one of everything, on a loopback port; return its URL and
    a token per role.

    Its own database, not the session's: on PostgreSQL thousands of generated calls, each waking the in-process job
    workers, held more connections than the test cluster allows and starved the tests after it. (The NUL byte it
    found there is guarded by a unit test in tests/api/test_transitions.py.)"""
    from flask_migrate import upgrade

    folder = tmp_path_factory.mktemp("api-fuzz")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/api.sqlite", "INSTANCE_PATH": str(folder)})
    with app.app_context():
        upgrade(revision="heads")
        sme, vendor = make_user("enterprise", city="zhuhai"), make_user("vendor")
        from tests.factories import make_offering

        offering = make_offering(vendor.organisation)
        make_model(vendor.organisation)
        need = make_need(sme.organisation)
        make_proposal(need, vendor, [offering])
        make_active_agreement(vendor, sme, [offering])
        scopes = ("read", "listings", "needs", "orders", "statements")
        tokens = {"enterprise": issue_token(sme, scopes), "vendor": issue_token(vendor, scopes)}
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", tokens, folder
    server.shutdown()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        db.engine.dispose()


@pytest.mark.parametrize("role", ["enterprise", "vendor"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(api_server, role):
    """Does every generated call, as this role, answer without a 5xx and as the document says?"""
    url, tokens, folder = api_server
    report = Path(folder) / f"schemathesis-{role}.ndjson"
    command = [str(Path(sys.executable).parent / "st"), "run", f"{url}/api/v1/openapi.json",
               "-H", f"Authorization: Bearer {tokens[role]}", "--checks", CHECKS,
               "--max-examples", str(EXAMPLES), "--phases", "examples,coverage,fuzzing", "--workers", "1",
               "--seed", "20261201", "--generation-deterministic", "--request-timeout", "60",
               "--suppress-health-check", "all", "--no-color", "--report", "ndjson",
               "--report-ndjson-path", str(report)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1800,
                         env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    summary = "\n".join(run.stdout.splitlines()[-40:])
    print(summary)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    generated = re.search(r"(\d+)\s+generated", run.stdout)
    assert generated and int(generated.group(1)) > 0, summary
    (Path(folder) / f"schemathesis-{role}.json").write_text(json.dumps({"generated": int(generated.group(1))}))
