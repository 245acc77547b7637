"""The marketplace's one vocabulary: industries, scenario taxonomy, cities, deployments, levels.

Every form, filter, seed row and the matcher read these tuples; a code stored in the database is
always one of the codes below. Names are bilingual so the UI can show either language and the
matcher can describe each scenario to the encoder.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One entry of a controlled list: a stable code and its Chinese and English names."""

    code: str
    zh: str
    en: str
    description: str = ""
    parent: str | None = None

    def label(self, locale: str) -> str:
        """Return the name in the given locale (Chinese unless it starts with 'en')."""
        return self.en if str(locale).startswith("en") else self.zh


INDUSTRIES: tuple[Term, ...] = (
    Term("electronics", "电子信息", "Electronics & ICT", "PCB/PCBA、SMT贴片、消费电子整机、显示面板、电子元器件"),
    Term("home_appliance", "家用电器", "Home appliances", "空调、冰箱、小家电、厨电整机与零部件"),
    Term("auto_parts", "汽车及零部件", "Automotive & parts", "整车、新能源汽车、汽车零部件、线束、压铸件"),
    Term("equipment", "高端装备制造", "Advanced equipment", "数控机床、工业机器人、注塑机、专用设备"),
    Term("new_energy", "新能源", "New energy", "锂电池电芯与模组、光伏组件、储能系统"),
    Term("semiconductor", "半导体与集成电路", "Semiconductors", "晶圆制造、封装测试、功率器件"),
    Term("textile_apparel", "纺织服装", "Textiles & apparel", "面料织造、印染、成衣、内衣、牛仔"),
    Term("furniture", "家具制造", "Furniture", "板式家具、定制家居、软体家具、办公家具"),
    Term("ceramics_building", "陶瓷与建材", "Ceramics & building materials", "建筑陶瓷、卫浴、铝型材、玻璃"),
    Term("hardware_metal", "五金与金属制品", "Hardware & metal products", "五金工具、不锈钢制品、冲压件、紧固件"),
    Term("mould_plastics", "模具与塑料制品", "Moulds & plastics", "注塑模具、压铸模具、塑胶件、改性塑料"),
    Term("food_beverage", "食品饮料", "Food & beverage", "调味品、饮料、烘焙、预制菜、乳制品"),
    Term("biopharma", "生物医药与医疗器械", "Biopharma & medical devices", "原料药、制剂、医疗器械、体外诊断"),
    Term("petrochemical", "石油化工与新材料", "Petrochemicals & materials", "炼化、精细化工、涂料、新材料"),
    Term("toys_printing", "玩具与印刷包装", "Toys, printing & packaging", "玩具、印刷、纸品包装、彩盒"),
    Term("logistics", "现代物流", "Logistics", "仓储、配送、冷链、港口物流"),
)

SCENARIO_CATEGORIES: tuple[Term, ...] = (
    Term("rnd_design", "研发设计", "R&D and design", "产品研发、仿真、工艺设计"),
    Term("production", "生产制造", "Production", "计划、工艺、质检、分拣等车间环节"),
    Term("maintenance", "设备运维", "Equipment maintenance", "设备状态监测、维护与故障处理"),
    Term("energy", "能耗管理", "Energy management", "能源计量、用能优化、碳排放"),
    Term("supply_chain", "供应链管理", "Supply chain", "采购、供应商、需求预测"),
    Term("warehouse_logistics", "仓储物流", "Warehousing & logistics", "仓库、搬运、配送"),
    Term("safety", "安全生产", "Safety", "人员、设备、环境安全"),
    Term("management", "经营管理", "Business management", "知识、客服、财务与经营决策"),
)

SCENARIOS: tuple[Term, ...] = (
    Term("virtual_commissioning", "虚拟试验与调试", "Virtual testing & commissioning",
         "数字孪生产线仿真、虚拟调试PLC程序、产品虚拟试验、仿真替代实物样机", "rnd_design"),
    Term("mould_process_gen", "模具工艺生成", "Mould & process generation",
         "模具结构设计、注塑压铸工艺参数自动生成、冲压排样、CAE模流分析", "rnd_design"),
    Term("generative_design", "AI辅助研发设计", "AI-assisted product design",
         "生成式设计、外观设计、配方研发、图纸与BOM自动生成", "rnd_design"),
    Term("production_scheduling", "生产计划排程", "Production planning & scheduling",
         "APS高级排程、插单换线、订单交期预测、产能平衡", "production"),
    Term("process_optimization", "工艺参数优化", "Process parameter optimisation",
         "注塑、焊接、烧结、印染、涂布等工艺参数寻优，提升良率降低能耗", "production"),
    Term("visual_inspection", "产品视觉质检", "Visual quality inspection",
         "机器视觉缺陷检测、外观检测、表面划痕脏污、焊点检测、尺寸测量，降低漏检率", "production"),
    Term("smart_sorting", "智能分拣", "Intelligent sorting",
         "视觉引导机器人分拣、上下料、物料识别与分类", "production"),
    Term("predictive_maintenance", "设备预测性维护", "Predictive maintenance",
         "振动、温度、电流监测，预测轴承、主轴、电机故障，剩余寿命预测，减少非计划停机", "maintenance"),
    Term("fault_diagnosis", "故障诊断", "Fault diagnosis",
         "报警代码分析、维修知识库、故障根因定位、维修工单辅助", "maintenance"),
    Term("energy_optimization", "能耗优化与碳管理", "Energy optimisation & carbon",
         "空压机、冷站、窑炉、锅炉能耗优化，用电负荷预测，碳排放核算", "energy"),
    Term("demand_forecast", "需求预测与采购优化", "Demand forecasting & procurement",
         "销量预测、物料需求计划、安全库存、供应商评估与采购比价", "supply_chain"),
    Term("warehouse_logistics", "智能仓储物流", "Smart warehousing & logistics",
         "AGV/AMR调度、库位优化、拣货路径、出入库视觉识别、物流配送路径", "warehouse_logistics"),
    Term("safety_monitoring", "安全生产监测", "Safety monitoring",
         "安全帽与工服识别、危险区域闯入、烟火识别、危化品监测、视频AI巡检", "safety"),
    Term("knowledge_qa_agent", "知识库问答智能体", "Knowledge Q&A agent",
         "企业知识库、工艺文件与SOP问答、售后客服智能体、大模型问答", "management"),
    Term("operations_analytics", "经营分析与决策", "Operations analytics",
         "经营报表自动生成、成本分析、订单报价、财务与经营决策辅助", "management"),
)

CITIES: tuple[Term, ...] = (
    Term("guangzhou", "广州", "Guangzhou"), Term("shenzhen", "深圳", "Shenzhen"),
    Term("zhuhai", "珠海", "Zhuhai"), Term("shantou", "汕头", "Shantou"),
    Term("foshan", "佛山", "Foshan"), Term("shaoguan", "韶关", "Shaoguan"),
    Term("heyuan", "河源", "Heyuan"), Term("meizhou", "梅州", "Meizhou"),
    Term("huizhou", "惠州", "Huizhou"), Term("shanwei", "汕尾", "Shanwei"),
    Term("dongguan", "东莞", "Dongguan"), Term("zhongshan", "中山", "Zhongshan"),
    Term("jiangmen", "江门", "Jiangmen"), Term("yangjiang", "阳江", "Yangjiang"),
    Term("zhanjiang", "湛江", "Zhanjiang"), Term("maoming", "茂名", "Maoming"),
    Term("zhaoqing", "肇庆", "Zhaoqing"), Term("qingyuan", "清远", "Qingyuan"),
    Term("chaozhou", "潮州", "Chaozhou"), Term("jieyang", "揭阳", "Jieyang"),
    Term("yunfu", "云浮", "Yunfu"),
)

DEPLOYMENTS: tuple[Term, ...] = (
    Term("public_cloud", "公有云", "Public cloud"),
    Term("private", "私有化", "On-premises"),
    Term("edge", "边缘端", "Edge"),
)

ORG_SIZES: tuple[Term, ...] = (
    Term("large", "大型", "Large"), Term("medium", "中型", "Medium"),
    Term("small", "小型", "Small"), Term("micro", "微型", "Micro"),
)

DIGITAL_LEVELS: tuple[Term, ...] = tuple(
    Term(str(n), f"{zh}级", f"Level {n}") for n, zh in ((1, "一"), (2, "二"), (3, "三"), (4, "四"))
)

MODEL_KINDS: tuple[Term, ...] = (
    Term("vertical_llm", "行业大模型", "Vertical large model"),
    Term("scene_small", "场景小模型", "Scene-specific small model"),
    Term("agent", "工业智能体", "Industrial agent"),
)

PROVIDER_TYPES: tuple[Term, ...] = (
    Term("integrator", "综合集成服务商", "Comprehensive integrator"),
    Term("specialist", "专业服务商", "Specialist provider"),
)

PRICING_PLANS: tuple[Term, ...] = (
    Term("one_off", "一次性买断", "One-off purchase"),
    Term("annual", "年度订阅", "Annual subscription"),
    Term("per_call", "按次调用", "Per call"),
)

MODALITIES: tuple[Term, ...] = (
    Term("image", "图像", "Image"), Term("video", "视频", "Video"),
    Term("timeseries", "时序传感数据", "Time series"), Term("text", "文本", "Text"),
    Term("tabular", "结构化表格", "Tabular"), Term("cad", "CAD/三维模型", "CAD / 3D"),
    Term("audio", "声音", "Audio"),
)


def codes(terms: tuple[Term, ...]) -> tuple[str, ...]:
    """Return the codes of a controlled list, in order."""
    return tuple(t.code for t in terms)


def lookup(terms: tuple[Term, ...], code: str | None) -> Term | None:
    """Return the term with this code, or None for an unknown or empty code."""
    for term in terms:
        if term.code == code:
            return term
    return None


def scenarios_in(category: str) -> tuple[Term, ...]:
    """Return the scenarios that belong to one scenario category."""
    return tuple(s for s in SCENARIOS if s.parent == category)
