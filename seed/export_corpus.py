"""Export the seed catalogue as an evaluation corpus: the exact documents the app indexes, keyed by seed key.

Usage: python -m seed.export_corpus eval/corpus.jsonl   (also writes eval/scenarios.json, the taxonomy
descriptions the live index uses for scenario-aware ranking)
The seed is loaded into a throwaway, migrated SQLite database so every text goes through the same
`document_for` the live index uses. Listings, models, providers and cases are exported (not needs).
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from flask_migrate import upgrade

from marketplace import create_app
from marketplace.vocab import scenario_descriptions


def export(path: Path) -> int:
    """Write the corpus file and return how many documents it holds."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/corpus.sqlite", "INSTANCE_PATH": tmp})
        # the feature packages import each other through their blueprints: load them through the app first
        from marketplace.extensions import db
        from marketplace.matching.documents import document_for, is_indexed
        from marketplace.needs.models import Need
        from seed.loader import load

        with app.app_context():
            upgrade(revision="heads")
            keys: dict = {}
            load(keys=keys)
            db.session.commit()
            rows = []
            for key, record in sorted(keys.items()):
                if isinstance(record, Need) or not is_indexed(record):
                    continue
                doc = document_for(record)
                rows.append({"id": key, "text": doc.text, "scenario": doc.scenario})
            db.session.remove()
            db.engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    scenarios = path.with_name("scenarios.json")
    scenarios.write_text(json.dumps(scenario_descriptions(), ensure_ascii=False, indent=1), encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "eval/corpus.jsonl")
    print(f"wrote {export(target)} documents to {target}")
