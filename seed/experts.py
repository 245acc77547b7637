"""Demo data for the expert pool (专家人才库): twenty experts kept by the three promotion centers, and a few
requests from SMEs in different states. People and institutes are invented; fields and scenarios follow the
programme's priorities (seed 001, item 7). Deterministic.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.accounts.models import Organisation, User
from marketplace.experts.models import Expert, ExpertRequest
from marketplace.extensions import db
from seed.centers import EPOCH

# (center city, name, position, employer, fields, industries, scenarios, cities, availability)
EXPERTS = (
    ("zhuhai", "陈嘉禾", "教授级高级工程师", "粤港澳智能制造研究院",
     "机器视觉质检；缺陷检测样本采集与标注规范；AOI 误报复判",
     ["electronics", "semiconductor"], ["online_inspection", "quality_analysis"], ["zhuhai", "zhongshan", "jiangmen"],
     "available"),
    ("zhuhai", "林思远", "首席数据科学家", "珠江工业大数据实验室", "设备预测性维护；振动与电流信号分析；故障知识库",
     ["equipment", "home_appliance"], ["predictive_maintenance", "equipment_monitoring"], ["zhuhai", "zhongshan"],
     "available"),
    ("zhuhai", "黄立新", "高级工程师", "珠海市智能制造协会专家委员会", "中小企业数字化水平诊断；MES 选型；车间联网改造",
     ["home_appliance", "electronics", "mould_plastics"], ["digital_infrastructure", "production_planning"],
     ["zhuhai"], "available"),
    ("zhuhai", "周婉宁", "副教授", "南海之滨理工学院自动化系", "排产与调度优化；运筹学建模；APS 落地",
     ["electronics", "auto_parts"], ["shop_scheduling", "production_planning"], ["zhuhai", "jiangmen"], "limited"),
    ("zhuhai", "郑海峰", "研究员", "粤港澳智能制造研究院", "工业大模型应用；工艺知识问答；企业知识库建设",
     ["equipment", "new_energy"], ["business_decision", "process_design"], ["zhuhai", "guangzhou", "shenzhen"],
     "available"),
    ("zhuhai", "何子涵", "工程师", "珠江工业大数据实验室", "能耗监测与空压站节能；碳排放核算",
     ["petrochemical", "hardware_metal"], ["energy_management", "carbon_management"], ["zhuhai", "zhongshan"],
     "unavailable"),
    ("zhuhai", "吴承泽", "高级工程师", "珠海精密模具工程中心", "注塑工艺参数优化；模具寿命预测",
     ["mould_plastics"], ["process_optimization", "predictive_maintenance"], ["zhuhai", "zhongshan", "jiangmen"],
     "available"),
    ("foshan", "梁敏仪", "教授", "佛山陶瓷产业技术研究所", "陶瓷砖表面缺陷检测；窑炉温度曲线优化",
     ["ceramics_building"], ["online_inspection", "advanced_process_control"], ["foshan", "zhaoqing", "qingyuan"],
     "available"),
    ("foshan", "冯家俊", "高级工程师", "顺德家电智造促进会", "家电总装线质量追溯；装配防错；数字孪生产线",
     ["home_appliance"], ["quality_traceability", "digital_twin_factory"], ["foshan"], "available"),
    ("foshan", "邓晓彤", "副研究员", "佛山数字化转型研究院", "定制家具拆单与排料；柔性产线改造",
     ["furniture"], ["mass_customization", "flexible_changeover"], ["foshan", "dongguan"], "limited"),
    ("foshan", "罗志强", "高级技师", "南海五金产业服务中心", "五金冲压设备状态监测；刀具磨损预测",
     ["hardware_metal"], ["equipment_monitoring", "predictive_maintenance"], ["foshan", "jiangmen"], "available"),
    ("foshan", "谢雨桐", "咨询总监", "佛山数字化转型研究院", "中小企业数字化水平评测；转型路线图与投入产出测算",
     ["ceramics_building", "furniture", "home_appliance"], ["lean_management", "business_decision"],
     ["foshan", "zhaoqing"], "available"),
    ("foshan", "潘国栋", "工程师", "顺德家电智造促进会", "仓储物流自动化；AGV 调度；WMS 实施",
     ["home_appliance", "logistics"], ["smart_warehousing", "material_delivery"], ["foshan"], "available"),
    ("dongguan", "蔡明轩", "教授级高级工程师", "东莞精密制造工程中心", "SMT 产线工艺优化；锡膏印刷 SPI 数据分析",
     ["electronics"], ["process_optimization", "online_inspection"], ["dongguan", "huizhou", "shenzhen"],
     "available"),
    ("dongguan", "叶嘉欣", "副教授", "松山湖智能装备学院", "工业机器人与人机协作；视觉引导抓取",
     ["equipment", "electronics"], ["human_robot_collaboration", "hazardous_automation"], ["dongguan", "huizhou"],
     "available"),
    ("dongguan", "袁浩然", "首席顾问", "东莞市中小企业数字化转型服务联盟", "供应链协同与采购计划；需求预测",
     ["textile_apparel", "toys_printing"], ["supply_chain_management", "procurement_planning"],
     ["dongguan", "shenzhen"], "available"),
    ("dongguan", "曾丽华", "高级工程师", "东莞纺织服装创新中心", "面料瑕疵检测；服装柔性生产与小单快反",
     ["textile_apparel"], ["online_inspection", "mass_customization"], ["dongguan", "guangzhou"], "limited"),
    ("dongguan", "龙俊杰", "研究员", "松山湖智能装备学院", "工业数据治理与数据资产登记；可信数据空间",
     ["electronics", "equipment"], ["digital_infrastructure", "networked_manufacturing"],
     ["dongguan", "guangzhou", "shenzhen"], "available"),
    ("dongguan", "方欣怡", "工程师", "东莞精密制造工程中心", "安全生产视频智能分析；危化品区域巡检",
     ["petrochemical", "new_energy"], ["safety_control", "pollution_monitoring"], ["dongguan", "huizhou"],
     "available"),
    ("dongguan", "钟文博", "高级工程师", "东莞市中小企业数字化转型服务联盟", "食品饮料产线质量追溯；配方与工艺参数管理",
     ["food_beverage"], ["quality_traceability", "process_optimization"], ["dongguan", "guangzhou", "foshan"],
     "available"),
)

AREA_CODES = {"zhuhai": "0756", "foshan": "0757", "dongguan": "0769"}

BIO = ("从事{fields}相关工作十余年，参与过多个广东省“人工智能赋能制造业”试点项目，擅长先诊断、再选场景、"
       "小步快跑验证效果。（示范数据：人物与机构为虚构。）")


def load_expert_work(centers: list[Organisation], sme_email: str) -> dict[str, int]:
    """Add the experts, and requests from the demo SME (one scheduled, one waiting) and another SME (declined)."""
    by_city = {c.city: c for c in centers}
    experts = []
    for i, (city, name, position, employer, fields, industries, scenarios, cities, availability) in enumerate(EXPERTS):
        center = by_city.get(city, centers[0])
        experts.append(Expert(
            center_id=center.id, name=name, position=position, employer=employer, fields=fields,
            bio=BIO.format(fields=fields.split("；")[0]), industries=industries, scenarios=scenarios, cities=cities,
            availability=availability, phone=f"{AREA_CODES.get(city, '020')}-3800-{1200 + i:04d}",
            email=f"expert{i + 1:02d}@experts.demo.moshu.cn",
            created_at=EPOCH + timedelta(hours=i), updated_at=EPOCH + timedelta(hours=i)))
    db.session.add_all(experts)
    db.session.flush()
    sme = db.session.scalar(select(User).where(User.email == sme_email))
    requests = []
    if sme is not None:
        requests = [
            ExpertRequest(expert_id=experts[2].id, organisation_id=sme.organisation_id, requested_by_id=sme.id,
                          kind="diagnosis", topic="工厂数字化水平诊断与智能化改造路线", state="scheduled",
                          details="希望先摸清车间联网和数据采集现状，再决定从质检还是排产入手。",
                          scheduled_for=EPOCH + timedelta(days=100), place="企业一号厂房会议室",
                          answer="黄工将带数字化水平评测表上门，约两小时。", created_at=EPOCH + timedelta(days=3),
                          decided_at=EPOCH + timedelta(days=4)),
            ExpertRequest(expert_id=experts[0].id, organisation_id=sme.organisation_id, requested_by_id=sme.id,
                          kind="consultation", topic="外观缺陷视觉检测的样本要准备多少", state="requested",
                          created_at=EPOCH + timedelta(days=20)),
        ]
        db.session.add_all(requests)
    return {"experts": len(experts), "expert requests": len(requests)}
