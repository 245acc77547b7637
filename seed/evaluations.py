"""Demo data for the evaluation leaderboard (工业模型评测体系): several seeded models evaluated on the same few
public industrial datasets (MVTec AD, NEU-DET, DeepPCB, CWRU, C-MAPSS, Taillard, ASHRAE GEPIII) and on an
evaluation body's own question set, with the same metrics; some results attested by the seeded evaluation bodies
on a given date, some self-reported (seed/data/evaluations.json, "shared_evaluations")."""
from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.models import Organisation
from marketplace.catalog.models import IndustrialModel
from seed.trust import evaluation_row


def load_shared_evaluations(rows: list[dict], models: dict[str, IndustrialModel],
                            evaluators: dict[str, Organisation], epoch: datetime) -> dict[str, int]:
    """Add each shared-dataset result to its model's card; an attested one keeps the date its body attested it."""
    added = 0
    for benchmark in rows:
        for result in benchmark["results"]:
            row = evaluation_row({"metric": benchmark["metric"], "dataset": benchmark["dataset"], **result},
                                 evaluators, epoch)
            if row.is_attested:
                row.attested_at = datetime.fromisoformat(result["attested_on"]).replace(hour=9, tzinfo=UTC)
            models[result["model"]].evaluations.append(row)
            added += 1
    return {"shared_evaluations": added}
