"""Is the scenario taxonomy MIIT's 2025 guide, and can people find a scenario by the names they use?"""
from __future__ import annotations

import pytest

from marketplace import vocab

AGREED = {  # the agreed codes, in the guide's order, with their stage
    "factory_build": ["factory_planning", "digital_infrastructure", "digital_twin_factory"],
    "rnd": ["product_design", "virtual_verification"],
    "process_engineering": ["process_design", "manufacturing_engineering"],
    "production_management": ["production_planning", "shop_scheduling", "progress_tracking", "dynamic_dispatching",
                              "smart_warehousing", "material_delivery", "hazardous_automation", "safety_control",
                              "energy_management", "carbon_management", "pollution_monitoring"],
    "production_operations": ["networked_manufacturing", "flexible_changeover", "process_optimization",
                              "advanced_process_control", "human_robot_collaboration", "online_inspection",
                              "quality_traceability", "quality_analysis", "equipment_monitoring",
                              "predictive_maintenance", "maintenance_repair"],
    "operations_management": ["business_decision", "lean_management", "mass_customization", "precision_marketing"],
    "product_service": ["remote_operations", "value_added_service", "proactive_service"],
    "supply_chain": ["supply_chain_management", "procurement_planning", "supply_chain_risk", "logistics_delivery"],
}


def test_taxonomy_is_the_guides_40_scenarios_in_8_stages_in_order():
    """The stages and scenarios are exactly the agreed codes, in the guide's order, each under its stage."""
    assert list(vocab.codes(vocab.STAGES)) == list(AGREED)
    assert list(vocab.codes(vocab.SCENARIOS)) == [code for codes in AGREED.values() for code in codes]
    for stage, codes in AGREED.items():
        assert list(vocab.codes(vocab.scenarios_in(stage))) == codes
        assert all(vocab.stage_of(code).code == stage for code in codes)
    shared = {s.code: s.also for s in vocab.SCENARIOS if s.also}
    assert shared == {c: ("production_management",) for c in
                      ("networked_manufacturing", "flexible_changeover", "human_robot_collaboration")}


def test_every_scenario_has_names_and_a_chinese_description_of_its_own():
    """Each scenario has Chinese and English names and an 80–160 character Chinese description."""
    for s in vocab.SCENARIOS:
        assert s.zh and s.en and s.en != s.zh, s.code
        assert 80 <= len(s.description) <= 160, (s.code, len(s.description))
    assert len({s.description for s in vocab.SCENARIOS}) == len(vocab.SCENARIOS)


@pytest.mark.parametrize("name, code", [
    ("虚拟试验与调试", "virtual_verification"), ("模具工艺生成", "process_design"), ("生产计划排程", "shop_scheduling"),
    ("产品视觉质检", "online_inspection"), ("设备预测性维护", "predictive_maintenance"), ("质量检测", "online_inspection"),
    ("工艺优化", "process_optimization"), ("设备运维", "maintenance_repair"), ("视觉质检", "online_inspection"),
    ("缺陷检测", "online_inspection"), ("aoi", "online_inspection"), (" 在线智能检测 ", "online_inspection"),
    ("Online intelligent inspection", "online_inspection"), ("碳足迹", "carbon_management"),
    ("空压站群控", "energy_management"), ("AGV调度", "material_delivery"),
])
def test_plan_names_and_sme_words_find_their_scenario(name, code):
    """The Zhuhai and Guangdong plans' scenario names and common SME words lead to the agreed scenario."""
    assert vocab.scenario_for_name(name) == code


def test_unknown_names_find_nothing_and_no_name_belongs_to_two_scenarios():
    """A name that is no scenario's gives None; every name and alias belongs to exactly one scenario."""
    assert vocab.scenario_for_name("区块链") is None and vocab.scenario_for_name(None) is None
    names = [n.strip().lower() for s in vocab.SCENARIOS for n in (s.zh, s.en, *s.aliases)]
    assert len(names) == len(set(names))


def test_legacy_codes_map_onto_the_agreed_scenarios():
    """Each of the 15 old codes has its agreed new scenario."""
    assert vocab.LEGACY_SCENARIOS == {
        "virtual_commissioning": "virtual_verification", "mould_process_gen": "process_design",
        "generative_design": "product_design", "production_scheduling": "shop_scheduling",
        "process_optimization": "process_optimization", "visual_inspection": "online_inspection",
        "smart_sorting": "human_robot_collaboration", "predictive_maintenance": "predictive_maintenance",
        "fault_diagnosis": "maintenance_repair", "energy_optimization": "energy_management",
        "demand_forecast": "procurement_planning", "warehouse_logistics": "smart_warehousing",
        "safety_monitoring": "safety_control", "knowledge_qa_agent": "lean_management",
        "operations_analytics": "business_decision"}


def test_encoder_text_of_a_scenario_names_it_its_stages_and_aliases(app):
    """What the encoder reads for a scenario carries its names, every stage listing it, its aliases and description."""
    from marketplace.matching.engine import scenario_descriptions

    texts = scenario_descriptions()
    assert list(texts) == list(vocab.codes(vocab.SCENARIOS))
    inspection = texts["online_inspection"]
    assert inspection.startswith("在线智能检测 Online intelligent inspection")
    assert "产品视觉质检" in inspection and "AOI" in inspection and "生产作业" in inspection
    assert vocab.lookup(vocab.SCENARIOS, "online_inspection").description in inspection
    assert "生产作业、生产管理" in texts["flexible_changeover"]
