"""Does migration 0016 carry the old self-declared `third_party` flag over meaningfully?"""
from __future__ import annotations

from sqlalchemy import text

from marketplace.extensions import db
from tests.factories import make_model, make_user

INSERT = text("INSERT INTO model_evaluation (model_id, metric, value, dataset, evaluator, third_party) "
              "VALUES (:m, :metric, '1%', 'd', :evaluator, :third)")


def test_third_party_rows_name_a_known_evaluator_and_wait_others_become_self_reported(app):
    """A third-party row whose evaluator text is an evaluation body on the site names it and waits for its
    attestation; a third-party row naming nobody known, and a self-reported row, are self-reported with their
    text kept. Nothing is attested by the migration."""
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        db.session().expire_on_commit = False
        lab = make_user("evaluator", name="广东省工业模型评测中心").organisation
        model = make_model(make_user("vendor").organisation, evaluations=[])
        db.session.commit()
        downgrade(revision="0015_trust_foundation")
        for metric, evaluator, third in (("a", "广东省工业模型评测中心", True), ("b", "某某实验室", True),
                                         ("c", "企业自测", False)):
            db.session.execute(INSERT, {"m": model.id, "metric": metric, "evaluator": evaluator, "third": third})
        db.session.commit()
        db.session.remove()
    with app.app_context():
        upgrade(revision="heads")
        rows = db.session.execute(text("SELECT metric, evaluator, evaluator_org_id, attestation, attested_at "
                                       "FROM model_evaluation ORDER BY metric")).all()
    assert [tuple(r) for r in rows] == [("a", "广东省工业模型评测中心", lab.id, "pending", None),
                                        ("b", "某某实验室", None, "self_reported", None),
                                        ("c", "企业自测", None, "self_reported", None)]
