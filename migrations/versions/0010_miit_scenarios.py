"""Adopt MIIT's 2025 scenario taxonomy: rewrite every stored scenario code from the 15 home-made codes.

The marketplace's own 15 scenario codes give way to the 40 scenarios of MIIT's
《智能制造典型场景参考指引（2025年版）》. Every place a scenario code is stored is rewritten with the
default mapping below (a record's owner can pick a better-fitting scenario afterwards):

- need.scenario, case.scenario (one code);
- provider_profile, industrial_model, offering and matchmaking_event .scenarios (comma-fenced code lists);
- the "scenario" filter kept with a search: search_log.filters (JSON text), saved_search.filters (JSON),
  and the scenario= argument of the search links in notification.link (saved-search digests).

The mapping is copied here, not imported: a migration must keep meaning what it meant when it was written.
Downgrade maps each new code back to one old code (the inverse of the mapping where there is one, else the
nearest old scenario), so a downgraded database again holds only the old codes. Audit events are history
and keep the codes they were written with.

Revision ID: 0010_miit_scenarios
Revises: 0009_merge_hardening
"""
import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0010_miit_scenarios"
down_revision = "0009_merge_hardening"
branch_labels = None
depends_on = None

UPGRADE = {
    "virtual_commissioning": "virtual_verification",
    "mould_process_gen": "process_design",
    "generative_design": "product_design",
    "production_scheduling": "shop_scheduling",
    "process_optimization": "process_optimization",
    "visual_inspection": "online_inspection",
    "smart_sorting": "human_robot_collaboration",
    "predictive_maintenance": "predictive_maintenance",
    "fault_diagnosis": "maintenance_repair",
    "energy_optimization": "energy_management",
    "demand_forecast": "procurement_planning",
    "warehouse_logistics": "smart_warehousing",
    "safety_monitoring": "safety_control",
    "knowledge_qa_agent": "lean_management",
    "operations_analytics": "business_decision",
}

# Every one of the 40 new codes back to one old code: the inverse of UPGRADE where it has one, else the old
# scenario nearest in meaning.
DOWNGRADE = {new: old for old, new in UPGRADE.items()}
DOWNGRADE.update({
    "factory_planning": "virtual_commissioning",
    "digital_infrastructure": "operations_analytics",
    "digital_twin_factory": "virtual_commissioning",
    "manufacturing_engineering": "virtual_commissioning",
    "production_planning": "production_scheduling",
    "progress_tracking": "production_scheduling",
    "dynamic_dispatching": "production_scheduling",
    "material_delivery": "warehouse_logistics",
    "hazardous_automation": "smart_sorting",
    "carbon_management": "energy_optimization",
    "pollution_monitoring": "safety_monitoring",
    "networked_manufacturing": "production_scheduling",
    "flexible_changeover": "production_scheduling",
    "advanced_process_control": "process_optimization",
    "quality_traceability": "visual_inspection",
    "quality_analysis": "visual_inspection",
    "equipment_monitoring": "predictive_maintenance",
    "mass_customization": "generative_design",
    "precision_marketing": "operations_analytics",
    "remote_operations": "fault_diagnosis",
    "value_added_service": "operations_analytics",
    "proactive_service": "knowledge_qa_agent",
    "supply_chain_management": "demand_forecast",
    "supply_chain_risk": "demand_forecast",
    "logistics_delivery": "warehouse_logistics",
})

SINGLE = {"need": "scenario", "case": "scenario"}
LISTS = {"provider_profile": "scenarios", "industrial_model": "scenarios", "offering": "scenarios",
         "matchmaking_event": "scenarios"}
LINK_SCENARIO = re.compile(r"([?&]scenario=)([A-Za-z0-9_]+)")


def code_list(value, mapping):
    """Rewrite a comma-fenced code list (',a,b,'), keeping order and dropping duplicates."""
    codes = [mapping.get(c, c) for c in (value or "").split(",") if c]
    return "," + ",".join(dict.fromkeys(codes)) + "," if codes else ""


def filters_dict(value, mapping):
    """Rewrite the scenario of a filters dict (other keys untouched)."""
    if isinstance(value, dict) and isinstance(value.get("scenario"), str):
        return {**value, "scenario": mapping.get(value["scenario"], value["scenario"])}
    return value


def filters_text(value, mapping):
    """Rewrite the scenario of filters kept as JSON text, written as the app writes it (sorted keys)."""
    try:
        data = json.loads(value) if value else None
    except ValueError:
        return value
    rewritten = filters_dict(data, mapping)
    if rewritten == data:
        return value
    return json.dumps(rewritten, ensure_ascii=False, sort_keys=True)[:1000]


def link(value, mapping):
    """Rewrite the scenario= argument of a site link."""
    if not value:
        return value
    return LINK_SCENARIO.sub(lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)), value)


def rewrite(connection, table_name, column, column_type, convert, mapping):
    """Apply `convert` to one column of every row, writing back only the rows it changes."""
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column, column_type))
    rows = connection.execute(sa.select(table.c.id, table.c[column])).all()
    for row_id, value in rows:
        new = convert(value, mapping)
        if new != value:
            connection.execute(table.update().where(table.c.id == row_id).values({column: new}))


def remap(mapping):
    """Rewrite every stored scenario code with the mapping."""
    connection = op.get_bind()
    for table_name, column in SINGLE.items():
        rewrite(connection, table_name, column, sa.String(40), lambda v, m: m.get(v, v), mapping)
    for table_name, column in LISTS.items():
        rewrite(connection, table_name, column, sa.String(1000), code_list, mapping)
    rewrite(connection, "search_log", "filters", sa.String(1000), filters_text, mapping)
    rewrite(connection, "saved_search", "filters", sa.JSON, filters_dict, mapping)
    rewrite(connection, "notification", "link", sa.String(300), link, mapping)


def upgrade():
    """Rewrite the 15 old scenario codes as MIIT 2025 codes everywhere they are stored."""
    remap(UPGRADE)


def downgrade():
    """Map every MIIT 2025 code back to one of the 15 old codes."""
    remap(DOWNGRADE)
