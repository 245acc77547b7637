"""The marketplace's one vocabulary: industries, scenario taxonomy, cities, deployments, levels.

Every form, filter, seed row and the matcher read these tuples; a code stored in the database is
always one of the codes below. Names are bilingual so the UI can show either language and the
matcher can describe each scenario to the encoder. The scenario taxonomy is MIIT's
《智能制造典型场景参考指引（2025年版）》: 40 scenarios (`SCENARIOS`) in 8 stages (`STAGES`).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One entry of a controlled list: a stable code, its Chinese and English names and, for scenarios, the
    stage it belongs to (`parent`), other stages that list it too (`also`) and other names people use for it
    (`aliases`)."""

    code: str
    zh: str
    en: str
    description: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

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

STAGES: tuple[Term, ...] = (
    Term("factory_build", "工厂建设", "Factory construction", "工厂数字化规划、数字基础设施与数字孪生工厂"),
    Term("rnd", "产品研发", "Product R&D", "产品数字化设计、配方研发与产品虚拟验证"),
    Term("process_engineering", "工艺设计", "Process design", "工艺数字化设计、模具工艺与制造工程优化"),
    Term("production_management", "生产管理", "Production management",
         "计划排产、进度与调度、仓储配送、安全、能源、碳与环保管理"),
    Term("production_operations", "生产作业", "Production operations",
         "产线作业、工艺控制、质量检测与追溯、设备监控与维修"),
    Term("operations_management", "运营管理", "Operations management", "经营决策、精益管理、规模化定制与精准营销"),
    Term("product_service", "产品服务", "Product services", "远程运维、产品增值服务与客户服务"),
    Term("supply_chain", "供应链管理", "Supply-chain management", "供应商协同、采购计划、供应链风险与物流配送"),
)
"""The eight stages (环节) of MIIT's 智能制造典型场景参考指引（2025年版）, in the guide's order."""

SCENARIOS: tuple[Term, ...] = (
    # 工厂建设
    Term("factory_planning", "工厂数字化规划设计", "Digital factory planning",
         "新建或改造工厂、车间时，在设备采购和施工前规划厂房布局、产线配置、物流动线和产能。利用厂房CAD图、"
         "设备清单、工艺路线和产能目标，AI自动生成多套布局方案，做离散事件仿真评估瓶颈、在制品和人员配置，"
         "对比投资与节拍。常见于动力电池、汽车零部件、电子模组新建车间。",
         "factory_build",
         aliases=("工厂规划", "车间布局规划", "产线布局规划", "布局仿真", "物流仿真", "新建车间规划",
                  "Plant Simulation", "FlexSim")),
    Term("digital_infrastructure", "数字基础设施建设", "Digital infrastructure",
         "为AI应用打好数据和算力底座：老旧设备联网与数据采集，OPC UA、Modbus、Profinet等协议适配，5G专网和"
         "工业网络改造，边缘计算网关、私有化算力服务器和工业互联网平台部署，数据治理打通ERP、MES和设备数据孤岛。"
         "适用于信息化基础薄弱、设备品牌杂的中小工厂。",
         "factory_build",
         aliases=("设备联网", "数据采集", "工业网络", "5G专网", "边缘计算", "工业互联网平台", "数据治理",
                  "算力部署", "私有化算力", "数据中台")),
    Term("digital_twin_factory", "数字孪生工厂构建", "Digital-twin factory",
         "构建与实体工厂同步运行的全厂或整车间三维数字孪生体，融合设备、产线、物流和能源的实时数据，在虚拟工厂里"
         "可视化监控生产、回放异常、推演产能和改造方案。区别于单条产线的虚拟调试，面向工厂整体运营。"
         "常见于电子、汽车、新能源、家电智能工厂。",
         "factory_build",
         aliases=("数字孪生", "数字孪生工厂", "虚拟工厂", "孪生车间", "三维可视化工厂", "工厂数字孪生")),
    # 产品研发
    Term("product_design", "产品数字化设计", "Digital product design",
         "产品研发阶段用生成式AI和CAD提升设计效率：按风格描述生成外观效果图和线稿，装配图识别自动生成BOM，"
         "釉料、涂料、化工材料配方推荐与性能预测，学习历史试验记录减少打样和试错轮次。适用于小家电、灯饰、"
         "潮玩、陶瓷岩板釉面、涂料和精细化工新品研发。",
         "rnd",
         aliases=("AI辅助研发设计", "生成式设计", "外观设计", "工业设计", "配方研发", "配方设计", "材料研发",
                  "新品研发", "图纸转BOM", "BOM生成", "CAD设计")),
    Term("virtual_verification", "产品虚拟验证", "Virtual product verification",
         "用仿真和数字样机替代实物样机验证产品：结构强度、热、流体、跌落、电磁等CAE仿真，产品虚拟试验，"
         "AI代理模型加速仿真计算，利用CAD模型、材料参数和历史试验数据预测性能，减少样机制作和实物试验次数。"
         "适用于汽车零部件、家电、装备、电子产品研发验证。",
         "rnd",
         aliases=("虚拟试验与调试", "虚拟试验", "仿真验证", "CAE仿真", "数字样机", "虚拟样机", "有限元分析",
                  "产品仿真")),
    # 工艺设计
    Term("process_design", "工艺数字化设计", "Digital process design",
         "根据产品三维模型和材料自动生成制造工艺：模具分型面、浇口和冷却水路设计，模流分析，注塑和压铸首版工艺"
         "参数，冲压落料排样与拉伸工艺，铝挤压模具设计，印染配色配方，服装唛架排料和按Tech Pack编制工艺单，减少"
         "试模打样次数和对老师傅经验的依赖。适用于模具、注塑、压铸、五金冲压、纺织服装。",
         "process_engineering",
         aliases=("模具工艺生成", "模具设计", "模流分析", "Moldflow", "首版工艺", "工艺参数生成", "冲压排样",
                  "排料", "唛架排料", "印染配色", "染色配方", "工艺单", "工艺卡", "工艺路线设计", "CAPP")),
    Term("manufacturing_engineering", "制造工程优化", "Manufacturing engineering",
         "产线和工装在投产前的工程验证与优化：搭建产线数字孪生，连接真实PLC程序做虚拟调试，验证机器人轨迹、节拍、"
         "联锁逻辑和机构干涉，做产线平衡和工装夹具设计，把联调问题消灭在设备进场前，缩短现场调试和量产爬坡期。"
         "适用于汽车焊装、动力电池、家电总装和非标自动化专机。",
         "process_engineering",
         aliases=("虚拟调试", "PLC虚拟调试", "产线虚拟调试", "节拍仿真", "产线平衡", "机器人离线编程",
                  "工装夹具设计")),
    # 生产管理
    Term("production_planning", "生产计划优化", "Production planning",
         "月度和周度主生产计划优化：根据客户订单、销售预测、产能和库存做产能平衡，决定每条线每周做什么、做多少，"
         "评估急单对在制订单的影响，给客户回复可信交期（可承诺交期CTP），协调产销。区别于车间工序级排产。"
         "适用于多品种小批量的电子、家电、汽车零部件企业。",
         "production_management",
         aliases=("主生产计划", "MPS", "产能规划", "产能平衡", "产销协同", "交期承诺", "可承诺交期", "CTP",
                  "插单评估", "周计划")),
    Term("shop_scheduling", "车间智能排产", "Shop-floor scheduling",
         "车间工序级高级计划排程（APS）：在机台、模具、人员和物料齐套约束下把工单排到设备和班次，优化换模换色、"
         "换线顺序，处理急单插单后的滚动重排，替代计划员用Excel和白板手工排产。适用于注塑排模排机、SMT换线、"
         "定制家具开料、彩盒印刷、玩具多工序车间。",
         "production_management",
         aliases=("生产计划排程", "APS", "高级排程", "排产", "排程", "排模排机", "SMT排程", "换线排程", "插单",
                  "工单排序", "齐套排产")),
    Term("progress_tracking", "生产进度跟踪", "Production progress tracking",
         "实时掌握每个订单、工单在车间做到了哪一步：通过MES报工、扫码、设备计数和视觉识别采集在制品数据，"
         "自动生成生产进度看板，提前预警可能延期的订单，让跟单员和客户随时查询进度。适用于订单多、交期紧的电子、"
         "服装、家具、五金代工厂。",
         "production_management",
         aliases=("生产进度", "订单跟踪", "进度跟踪", "报工", "在制品跟踪", "WIP", "生产看板", "交期预警",
                  "MES报工")),
    Term("dynamic_dispatching", "生产动态调度", "Dynamic production dispatching",
         "生产执行中遇到设备故障、缺料、急单、质量异常等扰动时，分钟级重新分派任务和资源：根据设备状态、在制品和"
         "人员实时数据，AI给出调度和派工方案，维持产线平衡和交付。区别于事前排产，强调执行中的实时响应。"
         "适用于半导体封测、汽车零部件、流程与离散混合车间。",
         "production_management",
         aliases=("动态调度", "实时调度", "异常调度", "产线调度", "智能派工", "派工", "扰动响应")),
    Term("smart_warehousing", "仓储智能管理", "Smart warehousing",
         "原材料、半成品和成品仓库的智能管理：库位分配与按出库频次动态调整库位，出入库扫码和视觉识别箱唛，波次"
         "与拣货路径优化，先进先出和临期预警，立体库与WMS，解决找货慢、发错货、叉车倒垛。适用于电商仓、冷库、"
         "陶瓷成品仓、五金和彩盒成品仓。",
         "production_management",
         aliases=("智能仓储物流", "智能仓储", "仓储管理", "WMS", "库位优化", "库位管理", "拣货路径", "波次优化",
                  "立体库", "冷库管理", "库存管理")),
    Term("material_delivery", "物料精准配送", "Precise material delivery",
         "厂内物料从仓库到工位的准时配送：AGV/AMR调度与路径规划、产线叫料和线边库补料、多品牌搬运机器人统一调度与"
         "交通管制、叉车转运任务分配，减少车间等料和人工搬运。区别于厂外运输配送。适用于电子、线缆、汽车零部件、"
         "家电总装车间。",
         "production_management",
         aliases=("厂内物流", "AGV", "AMR", "AGV调度", "AMR调度", "线边配送", "产线叫料", "物料配送", "搬运机器人",
                  "RCS")),
    Term("hazardous_automation", "危险作业自动化", "Hazardous work automation",
         "用机器人和自动化装备替代高温、高压、粉尘、有毒和重体力的危险岗位：冲床和油压机上下料、压铸取件、喷涂、"
         "打磨抛光、危化品投料、巡检机器人，3D视觉引导机器人无序抓取反光金属件，减少工伤事故和招工难。"
         "适用于五金冲压、压铸、化工、陶瓷。",
         "production_management",
         aliases=("机器换人", "危险作业", "高危作业", "机器人上下料", "冲床上下料", "无序抓取", "巡检机器人",
                  "危险岗位替代")),
    Term("safety_control", "安全一体化管控", "Integrated safety management",
         "厂区人员、设备、危化品和消防安全的一体化监测预警：视频AI识别未戴安全帽、未穿反光衣、区域闯入、吸烟、"
         "烟火，叉车与行人碰撞预警，可燃气体和危化品泄漏、粉尘涉爆、锂电热失控监测，告警联动推送手机和应急平台。"
         "适用于化工园区、锂电、陶瓷建材、仓储物流。",
         "production_management",
         aliases=("安全生产监测", "安全生产", "安全监测", "安全帽识别", "烟火识别", "危化品监测", "视频AI巡检",
                  "人员行为识别", "泄漏检测", "消防预警", "安全管控")),
    Term("energy_management", "能源智能管控", "Smart energy management",
         "水、电、气、蒸汽分项计量与用能优化：空压机群控与压力设定、冷站和冷水机组寻优、窑炉和锅炉燃烧优化、"
         "用电负荷预测、峰谷电价与储能调度、异常用能报警，降低电费和单位产品能耗。适用于注塑车间、陶瓷窑炉、"
         "食品冷库、五金和电子厂的公辅系统。",
         "production_management",
         aliases=("能耗优化与碳管理", "能耗优化", "能耗管理", "能源管理", "节能", "节能降耗", "空压机节能",
                  "空压站群控", "冷站优化", "窑炉节能", "电费", "用电负荷预测", "EMS")),
    Term("carbon_management", "碳资产全生命周期管理", "Carbon asset lifecycle management",
         "企业和产品碳排放的核算、监测、报告与减排：按核算口径采集能源和物料数据，自动生成组织碳排放报表和产品"
         "碳足迹，满足主机厂、出口客户供应链碳数据填报和欧盟碳边境调节要求，管理碳配额、绿电绿证和减排项目。"
         "适用于家电配套、汽车零部件、出口型企业。",
         "production_management",
         aliases=("碳排放核算", "碳排放", "碳足迹", "产品碳足迹", "碳核算", "碳管理", "碳资产", "双碳", "绿电",
                  "ESG")),
    Term("pollution_monitoring", "污染在线管理", "Online pollution management",
         "废气、废水、固废排放的在线监测与治理优化：VOCs、COD、氨氮、颗粒物在线数据异常预警，治理设施运行状态"
         "监控，污水处理加药优化，环保台账和排污许可报表自动生成，防止超标排放被处罚。适用于化工、印染、电镀、"
         "涂装、陶瓷。",
         "production_management",
         aliases=("污染监测", "环保监测", "环保", "废气监测", "废水处理", "污水处理", "VOCs", "排放监测",
                  "环保合规")),
    # 生产作业
    Term("networked_manufacturing", "网络协同制造", "Networked collaborative manufacturing",
         "跨工厂、跨企业协同生产：集团多基地或产业集群上下游在线共享订单、产能和工艺数据，外协外发任务在线派单"
         "和跟踪，云端统一下达生产计划，实现产能共享和订单分包。适用于服装、玩具、电子代工、模具等产业集群。",
         "production_operations", also=("production_management",),
         aliases=("协同制造", "云制造", "外协协同", "外发管理", "产能共享", "多工厂协同", "共享工厂")),
    Term("flexible_changeover", "柔性产线快速换产", "Fast changeover of flexible lines",
         "多品种小批量生产中缩短换型、换线、换模时间：快速换模SMED，换型参数和程序自动下发，配方一键切换，治具"
         "自动识别，AI按产品族推荐换产顺序和首件参数，减少换产停机和首件调试。适用于注塑、冲压、SMT、食品灌装、"
         "印刷。",
         "production_operations", also=("production_management",),
         aliases=("快速换产", "快速换模", "SMED", "换型", "换线", "柔性产线", "混线生产")),
    Term("process_optimization", "工艺动态优化", "Dynamic process optimisation",
         "根据实时生产数据动态寻优工艺参数，提升良率、降低物耗：注塑保压和料温、压铸压射曲线和真空度、焊接电流、"
         "涂布面密度、牛仔洗水和印染配方、铝型材挤压速度、窑炉烧成曲线，用历史数据建模找出关键参数，推荐工艺窗口"
         "或闭环写回PLC。适用于注塑、压铸、锂电、印染、陶瓷。",
         "production_operations",
         aliases=("工艺参数优化", "工艺优化", "参数寻优", "调机", "调机参数", "工艺窗口", "良率提升", "配方优化",
                  "缩痕飞边")),
    Term("advanced_process_control", "先进过程控制", "Advanced process control",
         "流程工业装置的先进控制与实时优化：基于DCS历史数据建立多变量模型预测控制MPC，稳定反应釜温度、压力、"
         "液位和产品质量，软测量实时预测批次终点粘度等难以在线测量的指标，减少操作波动和人工干预。适用于石化、"
         "精细化工、聚合反应、制药、食品发酵。",
         "production_operations",
         aliases=("APC", "MPC", "模型预测控制", "DCS优化", "软测量", "实时优化", "过程控制", "批次质量预测")),
    Term("human_robot_collaboration", "人机协同作业", "Human-robot collaboration",
         "工人与协作机器人、视觉系统协同完成装配、分拣、计数和包装：视觉识别物料款式、颜色和数量，引导机械手或"
         "分拣机构分类装袋，AR作业指导和防错，把工人从重复点数、挑拣中解放出来。适用于五金小件、积木颗粒分装、"
         "水产分级剔除、电子组装。",
         "production_operations", also=("production_management",),
         aliases=("智能分拣", "视觉分拣", "分拣", "分拣计数", "混料分拣", "物料识别", "协作机器人", "人机协作",
                  "作业防错", "AR作业指导")),
    Term("online_inspection", "在线智能检测", "Online intelligent inspection",
         "在产线上用机器视觉和深度学习逐件检测产品，替代人工目检：表面划痕、脏污、针孔、缩痕、裂纹、焊点缺陷、"
         "AOI误报复判、X光气孔评级、布匹疵点、极片漏箔、尺寸测量，解决漏检多、误判多、检验员疲劳。适用于SMT、"
         "注塑件、瓷砖、面料、锂电、五金和封装外观检测。",
         "production_operations",
         aliases=("产品视觉质检", "质量检测", "视觉质检", "视觉检测", "缺陷检测", "外观检测", "表面缺陷检测",
                  "AOI", "AI质检", "机器视觉", "瑕疵检测", "验布", "质检")),
    Term("quality_traceability", "质量精准追溯", "Precise quality traceability",
         "建立从原材料批次、工序参数、设备、人员到成品的一物一码追溯链：扫码赋码、批次关联、工艺数据绑定，"
         "出现客诉或不良时几分钟内查清受影响批次和范围，精准召回。满足汽车IATF 16949、医疗器械UDI、食品出口"
         "的追溯要求。适用于汽车零部件、医疗器械、食品、电子。",
         "production_operations",
         aliases=("质量追溯", "追溯", "产品追溯", "批次追溯", "一物一码", "赋码", "UDI", "召回")),
    Term("quality_analysis", "质量分析与改进", "Quality analysis and improvement",
         "对检测和生产数据做质量统计分析与根因改进：SPC异常预警、良率和不良趋势分析、缺陷与工艺参数关联找根因、"
         "8D报告自动生成、质量异常闭环跟踪、客诉与失效分析，把发现问题变成解决问题。区别于产线逐件检测。"
         "适用于电子、半导体、汽车零部件、家电。",
         "production_operations",
         aliases=("质量分析", "质量改进", "SPC", "8D", "8D报告", "根因分析", "良率分析", "质量异常闭环",
                  "失效分析", "客诉分析")),
    Term("equipment_monitoring", "设备运行监控", "Equipment operation monitoring",
         "实时采集设备运行、待机、停机和报警状态：设备联网看板，OEE和稼动率统计，停机原因和停台规律分析，开机率、"
         "产量和能效统计，车间大屏和手机随时查看每台机的状态。侧重设备现在怎么样，而非预测何时坏。适用于注塑机、"
         "CNC、织机、冲床、贴片机车间。",
         "production_operations",
         aliases=("设备监控", "OEE", "稼动率", "停机分析", "停台分析", "设备看板", "开机率",
                  "设备数据采集")),
    Term("predictive_maintenance", "设备故障诊断与预测", "Fault diagnosis and prediction",
         "用振动、温度、电流、油液和压力等传感数据预测设备故障：频谱与包络分析识别轴承内外圈损伤、不对中、松动，"
         "监测主轴、液压泵、阀和电机劣化，预测剩余寿命RUL，提前安排检修，减少非计划停机。适用于数控机床主轴、"
         "注塑机和压铸机液压系统、风机水泵、空压机、织机。",
         "production_operations",
         aliases=("设备预测性维护", "预测性维护", "故障预测", "振动监测", "振动分析", "剩余寿命预测", "健康监测",
                  "健康管理", "PHM", "轴承故障")),
    Term("maintenance_repair", "设备维修维护", "Equipment repair and maintenance",
         "设备坏了怎么修、平时怎么保养：FANUC、西门子等数控系统报警代码解读，维修知识库和维修助手给出排查步骤"
         "与备件建议，相似维修工单检索，维修工单电子化与根因归类，点检和保养计划，沉淀老师傅维修经验。适用于机加工、"
         "注塑、贴片机、化工装置维修班组。",
         "production_operations",
         aliases=("设备运维", "故障诊断", "设备维修", "维修助手", "报警诊断", "报警代码", "维修知识库", "维修工单",
                  "点检", "保养", "TPM")),
    # 运营管理
    Term("business_decision", "智能经营决策", "Intelligent business decisions",
         "用ERP、财务和市场数据辅助老板和管理层经营决策：经营日报和报表自动生成，产品实时成本与毛利分析，看图或"
         "读3D图自动报价，原料价格波动下的报价底线，经营分析智能体用自然语言回答经营问题。适用于定制家具、模具、"
         "灯具外贸、精细化工等中小企业。",
         "operations_management",
         aliases=("经营分析与决策", "经营分析", "经营决策", "报价", "智能报价", "成本核算", "成本分析", "毛利分析",
                  "经营报表", "财务分析", "BI")),
    Term("lean_management", "数智精益管理", "Digital lean management",
         "用数字化和AI推进精益生产和现场管理：SOP、作业指导书和工艺文件知识库问答，受控文件版本管理，员工培训和"
         "考核，老师傅经验沉淀传承，质量体系和GMP文件查询，改善提案与5S，减少用错文件和经验流失造成的返工。"
         "适用于电子、医疗器械、化工、陶瓷。",
         "operations_management",
         aliases=("知识库问答智能体", "精益管理", "精益生产", "SOP问答", "作业指导书", "知识库", "工艺文件问答",
                  "员工培训", "经验传承", "5S")),
    Term("mass_customization", "规模化定制", "Mass customisation",
         "按单个客户需求规模化定制生产：客户在线选配和设计方案，设计方案自动拆单生成板件清单、五金清单和生产BOM，"
         "个性化订单合批进入批量生产，C2M反向定制。适用于全屋定制家具、定制门窗、服装定制、家电和灯具个性化定制。",
         "operations_management",
         aliases=("个性化定制", "大规模定制", "C2M", "拆单", "定制家居", "全屋定制", "客户选配", "选配")),
    Term("precision_marketing", "产品精准营销", "Precision marketing",
         "用客户和市场数据做精准营销：客户画像和需求洞察，外贸询盘自动分析与多语言回复起草，销售线索评分，"
         "跨境电商商品文案和选品，提高询盘转化和复购。适用于外贸灯具、跨境电商小家电、玩具、食品。",
         "operations_management",
         aliases=("精准营销", "营销", "询盘", "询盘回复", "客户画像", "选品", "销售线索", "电商运营")),
    # 产品服务
    Term("remote_operations", "远程运维服务", "Remote O&M services",
         "装备制造企业对售出设备的远程监控和运维：设备联网回传运行数据，远程诊断故障、远程升级程序，预测客户现场"
         "设备故障并提前派工上门，从卖设备转向卖服务。适用于机床、注塑机、空压机、储能设备、工程机械和专用设备厂商。",
         "product_service",
         aliases=("远程运维", "远程诊断", "远程监控", "售后运维", "设备售后服务", "服务化延伸")),
    Term("value_added_service", "产品增值服务", "Value-added product services",
         "基于产品使用数据提供增值服务：智能家电和装备联网后的能效报告、耗材提醒和使用建议，按使用量付费，"
         "设备租赁与融资，数据服务，延伸产品价值链。适用于家电、智能硬件、工业装备、新能源储能。",
         "product_service",
         aliases=("增值服务", "服务型制造", "按需付费", "产品即服务", "智能产品服务", "耗材提醒")),
    Term("proactive_service", "客户主动服务", "Proactive customer service",
         "面向经销商和终端用户的智能客服与主动服务：售后客服智能体7×24小时回答安装、使用、故障代码和保修问题，"
         "支持多语言和粤语语音，自动生成服务工单，主动回访和提醒。适用于家电、厨电、跨境电商、灯具。",
         "product_service",
         aliases=("售后客服", "智能客服", "客服智能体", "售后服务", "客户服务", "售后问答", "多语言客服")),
    # 供应链管理
    Term("supply_chain_management", "供应链数字化管理", "Digital supply-chain management",
         "打通上下游的供应链数字化协同：供应商准交率、来料质量和价格的动态评分，主机厂EDI需求对接，订单与交付"
         "协同，库存可视，提升准交率和响应速度。适用于汽车零部件、电子、家电配套企业。",
         "supply_chain",
         aliases=("供应链管理", "供应商管理", "供应商评分", "供应链协同", "SRM", "供应链可视化", "EDI")),
    Term("procurement_planning", "采购计划优化协同", "Procurement planning",
         "销量和物料需求预测驱动采购：按SKU和渠道预测销量，BOM展开为物料需求，计算安全库存和采购建议，评估客户"
         "forecast可信度，压降呆滞料、避免缺料断货。适用于EMS电子代工、跨境小家电、玩具、预制菜等季节性产品。",
         "supply_chain",
         aliases=("需求预测与采购优化", "需求预测", "销量预测", "采购优化", "采购计划", "备料", "安全库存", "呆滞料",
                  "补货", "库存积压", "MRP", "物料需求计划")),
    Term("supply_chain_risk", "供应链风险预警与调度", "Supply-chain risk warning",
         "监测供应中断和价格风险并预警调度：铝锭、铜、ABS、C9等原材料价格波动预警和采购时机建议，供应商交付延迟、"
         "断供和物流异常预警，替代料和替代供应商推荐。适用于汽车零部件、电子、化工等原材料依赖型企业。",
         "supply_chain",
         aliases=("供应链风险", "断供预警", "价格预警", "原材料价格预警", "供应风险", "替代料")),
    Term("logistics_delivery", "供应链物流智能配送", "Smart supply-chain logistics",
         "厂外运输与配送智能化：城配车辆智能排线，考虑客户收货时间窗、车型和限行区域，装载率优化，运输在途跟踪，"
         "按主机厂JIT规则分批发运和打印发货标签，冷链配送。区别于厂内物料配送。适用于第三方物流、食品冷链、"
         "汽车零部件供货。",
         "supply_chain",
         aliases=("物流配送", "智能排线", "排线", "车辆调度", "运输管理", "TMS", "城配", "冷链配送", "配送路径",
                  "发货标签")),
)
"""MIIT's 40 typical scenarios, numbered as listed in the guide; `parent` is the stage, `also` a second stage
the guide lists a scenario under. The Chinese description is what the search encoder and the scenario
classifier read, so it names the words that tell neighbouring scenarios apart."""

LEGACY_SCENARIOS: dict[str, str] = {
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
"""The marketplace's earlier home-made scenario codes and the scenario each became (data migration 0010)."""

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

PLAN_UNITS: dict[str, tuple[str, str]] = {"one_off": ("/套", " per set"), "annual": ("/年", " per year"),
                                          "per_call": ("/次", " per call")}
"""What a price of each pricing plan is for (zh, en), written after the amount so a per-call price never reads as
a total."""

MODALITIES: tuple[Term, ...] = (
    Term("image", "图像", "Image"), Term("video", "视频", "Video"),
    Term("timeseries", "时序传感数据", "Time series"), Term("text", "文本", "Text"),
    Term("tabular", "结构化表格", "Tabular"), Term("cad", "CAD/三维模型", "CAD / 3D"),
    Term("audio", "声音", "Audio"), Term("point_cloud", "点云", "Point cloud"),
    Term("multimodal", "多模态", "Multimodal"),
)
"""What a model takes in and what a dataset holds (one list, so a dataset's modality and a model's input compare)."""

DATA_SENSITIVITIES: tuple[Term, ...] = (
    Term("public", "公开数据", "Public", "可公开发布、无使用限制的数据"),
    Term("general", "一般数据", "General",
         "《工业领域数据安全管理办法（试行）》一般数据：泄露影响有限，限于企业内部与授权方"),
    Term("important", "重要数据", "Important", "重要数据：泄露可能危害产业链安全或造成较大损失，须经评估后授权"),
    Term("core", "核心数据", "Core", "核心数据：关系产业安全的关键数据，只可在所有方控制下使用（可用不可见）"),
)
"""A dataset's sensitivity class: the industrial data classes of 《工业领域数据安全管理办法（试行）》 (一般 / 重要 /
核心, the 重要数据和核心数据 of the Zhuhai plan, seed 001 item 18) with 公开 for open data."""

DATA_ACCESS_MODES: tuple[Term, ...] = (
    Term("metadata", "仅元数据", "Metadata only", "只公开数据卡，不提供样本或数据"),
    Term("sample", "样本可申请", "Sample on request", "获批后由所有方线下提供样本"),
    Term("licensed", "授权使用", "Licensed use", "获批后按协议条款授权使用"),
    Term("compute_to_data", "可用不可见", "Computation goes to the data",
         "数据不出所有方环境：模型在所有方的可信数据空间或私有算力中训练与评测"),
)
"""How a dataset can be used once its owner grants access (the data itself never passes through the site)."""

DATA_LABELLING: tuple[Term, ...] = (
    Term("none", "无标注", "Not labelled"), Term("partial", "部分标注", "Partly labelled"),
    Term("full", "全量标注", "Fully labelled"),
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


def scenarios_in(stage: str) -> tuple[Term, ...]:
    """Return the scenarios whose stage is this one, in the guide's order."""
    return tuple(s for s in SCENARIOS if s.parent == stage)


def stage_of(scenario: str | None) -> Term | None:
    """Return the stage a scenario code belongs to, or None for an unknown code."""
    term = lookup(SCENARIOS, scenario)
    return lookup(STAGES, term.parent) if term else None


def _names() -> dict[str, str]:
    """Map every scenario name and alias (Chinese, English, lower-cased) to its code."""
    out: dict[str, str] = {}
    for s in SCENARIOS:
        for name in (s.zh, s.en, *s.aliases):
            key = name.strip().lower()
            if out.setdefault(key, s.code) != s.code:
                raise ValueError(f"scenario name {name!r} is used by both {out[key]} and {s.code}")
    return out


SCENARIO_NAMES: dict[str, str] = _names()
"""Every scenario name and alias, lower-cased, with its code (built once; a name belongs to one scenario)."""


def scenario_for_name(text: str | None) -> str | None:
    """Return the code of the scenario whose name or alias is exactly this text (case and spaces ignored)."""
    return SCENARIO_NAMES.get((text or "").strip().lower())


def scenario_descriptions() -> dict[str, str]:
    """Describe each taxonomy scenario to the encoder: its names, its stage(s), the other names people use for
    it, and its description."""
    out = {}
    for s in SCENARIOS:
        stages = "、".join(t.zh for t in (lookup(STAGES, c) for c in (s.parent, *s.also)) if t)
        aliases = f"（{'、'.join(s.aliases)}）" if s.aliases else ""
        out[s.code] = f"{s.zh} {s.en}{aliases}。{stages}：{s.description}"
    return out
