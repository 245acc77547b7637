"""Demo data for industrial datasets (工业数据集): thirty-two data cards of Guangdong manufacturers and providers,
and access requests in every state. Companies are the seed's invented ones; registration numbers imitate the
certificates of the 工业数据资产登记 Dongguan node (seed 004, item 十二) and are invented too. Deterministic.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from marketplace.datasets.models import Dataset
from marketplace.datasets.process import ACCESS
from marketplace.datasets.services import request_access
from marketplace.extensions import db
from seed.centers import EPOCH

PROCESSING = {
    "image": "原图按工位与批次归档；剔除失焦、过曝与重复帧（感知哈希去重）；"
             "缺陷框由两名质检员独立标注、分歧由班组长仲裁；"
             "按产品型号分层抽样划分训练/验证/测试集（7:1.5:1.5），测试集只含最近三个月数据。",
    "timeseries": "按设备与通道对齐时间戳（NTP 校时，误差 <10 ms）；停机、换模与传感器掉线段已标记而非删除；"
                  "异常值按 6σ 规则标记；维修工单与时序按设备编号和时间窗关联。",
    "tabular": "字段统一计量单位与编码；缺失值保留并标记来源；工艺人员复核极端记录；"
               "个人信息（操作工号）已替换为不可逆编号。",
    "text": "去除客户名称、联系方式与价格等商业敏感字段；统一故障术语（企业术语表 1,100 条）；"
            "按设备类型与故障类别打标签。",
    "video": "按工位切分为 10 分钟片段；人脸与工牌号打码；事件片段由安全员标注起止时间与类别。",
    "point_cloud": "多帧配准后下采样至 0.2 mm 体素；去除夹具与背景点；关键尺寸由三坐标测量结果核对。",
    "audio": "16 kHz 单声道重采样；剪除对讲与广播段；异响片段由设备工程师标注类别与部位。",
}
TERMS = {
    "metadata": "仅公开本数据卡。如需进一步合作，请通过平台提出访问申请说明用途，由数据方评估后线下签订协议。",
    "sample": "获批后提供脱敏样本（不超过总量 2%），仅限评估模型可行性；不得转让、不得用于训练对外发布的模型。",
    "licensed": "获批后按《数据使用许可协议》授权使用：限定用途与期限，模型权重归属与收益按 模数共振 协议约定；"
                "期满删除并出具删除证明。",
    "compute_to_data": "可用不可见：数据不出企业私有云/可信数据空间，"
                       "模型方提交训练与评测任务，只取回模型参数与评测指标，"
                       "全部操作留痕审计。",
}

# key, owner key, title, summary, industries, scenarios, modalities, (amount, unit), (from, to),
# labelling, labels, sample, sensitivity, access, registration, collection, intended uses, limitations
DATASETS = (
    ("ds_xunjie_pcb_aoi", "e_sz_xunjie", "PCB 焊点 AOI 缺陷图像集",
     "两条 SMT 线 AOI 复判工位的焊点缺陷图像，含 AOI 误报与人工复判结论，用于降低误报。",
     ["electronics"], ["online_inspection", "quality_analysis"], ["image"], ("126000", "张"),
     ("2024-03-01", "2026-05-31"), "full", "虚焊、连锡、少锡、偏移、立碑、误报（IPC-A-610 三级）", True, "general",
     "licensed", "DGIDR-2026-00318",
     "两条 SMT 线（雅马哈 YSM20 贴片、8 温区回流焊）后段 AOI 工位拍摄的 2D/3D 焊点图像，分辨率 12 µm/像素；"
     "每张图附 AOI 判定、人工复判结论与板号。",
     "训练或调优焊点缺陷复判模型，降低 AOI 误报率；评测视觉质检模型在消费电子主板上的召回率。",
     "以 0402/0603 阻容与 QFN 为主，BGA 样本少；缺陷占比约 6%，类别不均衡；仅一家 AOI 厂商成像。"),
    ("ds_boxun_panel_mura", "e_hz_boxun", "显示模组 Mura 与点缺陷图像集",
     "背光模组点灯检测工位的灰阶画面，含 Mura、亮点、暗点与异物缺陷标注。",
     ["electronics"], ["online_inspection"], ["image"], ("84000", "张"), ("2025-01-01", "2026-06-30"),
     "full", "Mura（云斑/线状）、亮点、暗点、异物、划伤", True, "general", "sample", None,
     "点灯检测工位 4 台面阵相机在 8 个灰阶下拍摄，暗室恒温；每个模组 8 张图。",
     "训练显示面板外观缺陷检测模型；对比不同灰阶组合下的检出率。",
     "仅 6–15.6 英寸模组；Mura 边界主观性强，两名标注员一致率 87%。"),
    ("ds_xinhang_wirebond", "e_zh_xinhang", "功率器件封装引线键合图像与参数集",
     "封装线键合后 X 光与光学检测图像，关联键合机参数，用于键合缺陷检测与参数优化。",
     ["semiconductor"], ["online_inspection", "process_optimization"], ["image", "tabular"], ("2.3", "TB"),
     ("2023-09-01", "2026-04-30"), "partial", "断线、塌丝、球偏、焊盘污染（约 30% 已标注）", False, "core",
     "compute_to_data", "DGIDR-2026-00402",
     "12 台键合机的 X 光图像与 AOI 光学图像，关联每根线的超声功率、压力与时间参数。",
     "在企业内训练键合缺陷检测与参数推荐模型（可用不可见）；评测封装外观检测模型。",
     "客户产品结构属核心数据，不出厂；仅 TO 与 DFN 封装；部分早期图像无参数关联。"),
    ("ds_hongtao_tile", "e_fs_hongtao", "抛釉砖表面缺陷图像集",
     "3 条抛釉砖线的砖面线扫图像，针孔、色差、缺釉、裂纹分级标注，模数共振 砖面质检智能体的训练数据。",
     ["ceramics_building"], ["online_inspection"], ["image"], ("180000", "张"), ("2023-01-01", "2026-06-30"),
     "full", "针孔、色差、缺釉、裂纹、落脏（一/二/三级）", True, "general", "licensed", "DGIDR-2026-00127",
     "窑尾分级线 16k 线阵相机拍摄，600×1200 与 800×800 两种规格；每片砖附分级员结论。",
     "训练瓷砖表面缺陷检测模型与分级模型；推广到佛山、清远同类抛釉砖线。",
     "仅抛釉砖，不含岩板与仿古砖；色差标注受车间光照影响；深色釉面样本较少。"),
    ("ds_hongtao_kiln", "e_fs_hongtao", "辊道窑烧成温度曲线与能耗数据",
     "2 条辊道窑 48 个温区的温度、风机与燃气流量，1 秒采样，关联产品规格与能耗表。",
     ["ceramics_building"], ["energy_management", "process_optimization"], ["timeseries"], ("26", "个月 1 Hz 信号"),
     ("2024-04-01", "2026-05-31"), "none", None, True, "general", "sample", None,
     "窑炉 DCS 导出 48 个温区热电偶、12 台风机变频器与 2 路天然气流量计读数；每日产量与规格来自 MES。",
     "训练烧成曲线优化与单位能耗预测模型。", "停窑检修期间数据缺失；燃气热值按月度平均值折算。"),
    ("ds_jintuo_extrusion", "e_fs_jintuo", "铝型材挤压表面缺陷与工艺参数集",
     "挤压机出口表面图像与挤压速度、棒温、模温，用于表面缺陷检测与工艺优化。",
     ["ceramics_building", "hardware_metal"], ["online_inspection", "process_optimization"], ["image", "timeseries"],
     ("52000", "张图像 + 14 个月参数"), ("2025-01-01", "2026-02-28"), "partial", "划伤、气泡、挤压纹、粗晶", False,
     "general", "licensed", None,
     "2 台 1800 吨挤压机出口处面阵相机与 PLC 参数（1 Hz），按挤压批次关联。",
     "训练铝型材表面缺陷检测小模型；分析棒温与挤压速度对缺陷的影响。", "以 6063 合金为主；夜班光照条件不同。"),
    ("ds_ciyun_sanitary", "e_cz_ciyun", "卫生陶瓷釉面缺陷图像集",
     "坐便器与洗面盆釉面缺陷多角度图像。", ["ceramics_building"], ["online_inspection"], ["image"],
     ("36000", "张"), ("2025-03-01", "2026-06-30"), "full", "釉泡、缩釉、杂质、裂纹", True, "public", "sample", None,
     "人工检验台 6 个角度拍摄，白光与掠射光各一张。", "训练卫生陶瓷外观检测模型。",
     "曲面反光导致部分缺陷难以成像；仅白色釉面。"),
    ("ds_hengji_board", "e_qy_hengji", "新型墙材养护温湿度与强度检测数据", "蒸压加气板养护釜温湿度与出釜强度检测记录。",
     ["ceramics_building"], ["process_optimization", "quality_analysis"], ["timeseries", "tabular"],
     ("9800", "釜次"), ("2023-06-01", "2026-05-31"), "full", "出釜抗压强度、干密度等级", False, "general",
     "metadata", None, "8 台蒸压釜温压曲线（10 秒采样）与每釜抽检强度。",
     "训练养护曲线优化与强度预测模型。", "配方调整记录为手写转录，部分缺失。"),
    ("ds_dingzhu_diecast", "e_zq_dingzhu", "铝合金压铸工艺曲线与 X 光缺陷集",
     "压铸机压射曲线、模温与每件 X 光检测结论，用于缺陷预测与工艺优化。",
     ["auto_parts"], ["process_optimization", "online_inspection"], ["timeseries", "image"],
     ("410000", "模次"), ("2024-01-01", "2026-06-30"), "full", "气孔、缩孔、冷隔、欠铸（按 ASTM E505 分级）", True,
     "important", "compute_to_data", "DGIDR-2026-00233",
     "6 台 800–1600 吨压铸机每模次压射速度/压力曲线（1 kHz）、模温机温度与真空度，关联 X 光检测图像。",
     "训练压铸缺陷预测与工艺窗口推荐模型（数据不出厂）。", "新能源车壳体件占 70%；X 光图像仅抽检件。"),
    ("ds_junchi_machining", "e_jm_junchi", "摩托车零件 CNC 主轴振动与刀具寿命数据",
     "18 台加工中心主轴振动、电流与刀具更换记录。", ["auto_parts", "equipment"],
     ["predictive_maintenance", "equipment_monitoring"], ["timeseries"], ("18", "个月 1 kHz 信号"),
     ("2024-11-01", "2026-04-30"), "partial", "刀具磨损阶段（初期/正常/急剧）、崩刃事件", True, "general",
     "licensed", None, "主轴三轴振动加速度计（1 kHz）、主轴电流与 NC 程序号；刀具更换与崩刃来自刀具管理台账。",
     "训练刀具剩余寿命与主轴健康模型。", "仅 FANUC 系统；刀具品牌多，磨损标注依赖台账完整性。"),
    ("ds_shaozhu_spindle", "e_sg_shaozhu", "数控机床主轴振动与故障记录集",
     "精密机械车间 26 台数控机床主轴振动、温度与 3 年维修工单。",
     ["equipment"], ["predictive_maintenance", "maintenance_repair"], ["timeseries", "text"], ("3", "年 2.56 kHz 信号"),
     ("2023-05-01", "2026-04-30"), "partial", "轴承故障、松动、不平衡（维修确认）", True, "general", "licensed",
     "DGIDR-2026-00356", "主轴前后轴承座加速度传感器与温度；维修工单 1,450 条含故障现象、原因与更换件。",
     "训练主轴故障诊断与剩余寿命预测模型；构建维修知识库。", "故障样本集中于 4 台老旧机床。"),
    ("ds_xinlian_imm", "e_dg_xinlian", "注塑机振动电流与维修工单集",
     "46 台注塑机两年设备时序数据（约 9 亿点）与维修工单 1,200 条，模数共振 预测性维护模型的训练数据。",
     ["electronics", "mould_plastics"], ["predictive_maintenance"], ["timeseries", "text"], ("900000000", "个数据点"),
     ("2024-06-01", "2026-05-31"), "partial", "螺杆/止逆环磨损、液压泄漏、加热圈失效（工单确认）", True, "general",
     "licensed", "DGIDR-2026-00105",
     "注塑机控制器与加装的振动、电流传感器，1 秒至 1 kHz 多速率采样；维修工单来自 CMMS。",
     "训练注塑机预测性维护模型与故障诊断模型。", "海天与伊之密两种机型；早期 3 个月传感器安装位置不一致。"),
    ("ds_jingtuo_moulding", "e_dg_jingtuo", "注塑成型工艺参数与质量结果集",
     "模具试模与量产的工艺参数、CAE 结果和尺寸检测，用于工艺参数生成。",
     ["mould_plastics"], ["process_design", "process_optimization"], ["tabular", "timeseries"], ("62000", "模次"),
     ("2024-01-01", "2026-06-30"), "full", "短射、飞边、缩痕、翘曲与关键尺寸 CPK", True, "important", "licensed", None,
     "试模与量产记录的注射速度、保压、模温、冷却时间等 40 项参数与每模次尺寸检测、外观判定；含 Moldflow 分析摘要。",
     "训练注塑工艺参数生成与质量预测模型。", "以 PC/ABS 外壳件为主，玻纤增强料样本少。"),
    ("ds_hengfeng_injection", "e_dg_hengfeng", "注塑件外观缺陷图像集", "家电塑胶件外观检测图像，含飞边、缩痕、银纹。",
     ["mould_plastics", "home_appliance"], ["online_inspection"], ["image"], ("48000", "张"),
     ("2025-05-01", "2026-06-30"), "full", "飞边、缩痕、银纹、熔接线、黑点", True, "general", "sample", None,
     "8 个工位面阵相机，多角度环形光。", "训练注塑件外观检测模型。", "高光面与磨砂面混合；白色件占 60%。"),
    ("ds_letong_toy_line", "e_dg_letong", "玩具装配线视频与工序节拍数据", "装配线 12 个工位视频与工序节拍记录。",
     ["toys_printing"], ["shop_scheduling", "safety_control"], ["video", "tabular"], ("4800", "小时视频"),
     ("2025-09-01", "2026-05-31"), "partial", "工序动作起止、缺料等待、违规操作", False, "general", "metadata", None,
     "工位顶部摄像头 1080p 25 fps；工序节拍来自扫码报工。", "训练工序动作识别与节拍分析模型；排产约束提取。",
     "人脸已打码；夜班视频较少。"),
    ("ds_huacai_print", "e_dg_huacai", "彩盒印刷色差与套印检测数据", "印刷机在线色彩测量与套印偏差记录。",
     ["toys_printing"], ["online_inspection", "process_optimization"], ["image", "tabular"], ("1.1", "TB"),
     ("2024-08-01", "2026-06-30"), "partial", "色差 ΔE 超限、套印偏差、脏点", True, "general", "licensed", None,
     "海德堡印刷机在线分光测色与图像检测系统导出。", "训练印刷色差预测与墨量调整模型。", "专色样本少。"),
    ("ds_ruineng_coating", "e_sz_ruineng", "锂电极片涂布缺陷与面密度数据",
     "涂布机在线面密度测量与极片表面缺陷图像。", ["new_energy"], ["online_inspection", "process_optimization"],
     ["image", "timeseries"], ("3.6", "TB"), ("2024-10-01", "2026-06-30"), "partial", "漏箔、气泡、划痕、颗粒、暗斑",
     False, "important", "compute_to_data", "DGIDR-2026-00277",
     "2 台挤压式涂布机 β 射线面密度仪（100 Hz）与 16k 线阵相机表面图像。",
     "在企业内训练涂布缺陷检测与面密度闭环优化模型。", "仅磷酸铁锂正极；配方信息不提供。"),
    ("ds_ruichu_quality", "e_fs_ruichu", "厨电装配质检与售后维修数据",
     "近 3 年 SPC 数据、装配线质检记录 60 万条与售后维修单 4.2 万条（脱敏），模数共振 质量闭环智能体的数据。",
     ["home_appliance"], ["quality_analysis", "proactive_service"], ["tabular", "text"], ("642000", "条记录"),
     ("2023-07-01", "2026-06-30"), "full", "不良现象、责任工序、根因类别", False, "general", "licensed",
     "DGIDR-2026-00164",
     "MES 质检记录、SPC 控制图数据与售后系统维修单（去除用户姓名与地址）。",
     "训练质量异常根因定位与质量闭环智能体。", "售后描述口语化，约 8% 无法归类。"),
    ("ds_keyue_aircon", "e_zh_keyue", "空调外机运行与噪声测试数据", "出厂性能测试台的运行参数与噪声频谱。",
     ["home_appliance"], ["quality_analysis", "online_inspection"], ["timeseries", "audio"], ("310000", "台次"),
     ("2025-01-01", "2026-06-30"), "full", "异响类别、性能不合格项", True, "general", "sample", None,
     "性能测试台压缩机电流、排气温度与半消声室麦克风录音（16 kHz）。", "训练异响检测与性能预测模型。",
     "仅两款外机平台。"),
    ("ds_meibei_oven", "e_zs_meibei", "小家电装配线工位视频数据", "烤箱装配线 8 个工位视频与不良记录。",
     ["home_appliance"], ["quality_analysis", "human_robot_collaboration"], ["video"], ("2600", "小时视频"),
     ("2025-10-01", "2026-05-31"), "partial", "漏装、错装、工序跳步", False, "general", "metadata", None,
     "工位顶部摄像头，关联扫码报工与终检不良。", "训练装配防错识别模型。", "仅白班。"),
    ("ds_mingyao_lamp", "e_zs_mingyao", "灯具外观与光色检测数据", "LED 灯具外观图像与积分球光色测试记录。",
     ["electronics"], ["online_inspection"], ["image", "tabular"], ("58000", "件"), ("2025-02-01", "2026-06-30"),
     "full", "外观划伤、色温偏差、显色指数不合格", True, "public", "sample", None,
     "终检工位拍照与积分球测试导出。", "训练灯具外观与光色一致性检测模型。",
     "古镇中小批量订单，型号多、单型号样本少。"),
    ("ds_jinxiu_fabric", "e_fs_jinxiu", "坯布织造疵点图像集", "喷气织机坯布验布机图像，疵点分类标注。",
     ["textile_apparel"], ["online_inspection"], ["image"], ("96000", "张"), ("2024-09-01", "2026-06-30"), "full",
     "断经、断纬、稀密路、油污、破洞", True, "general", "licensed", None, "验布机 8k 线阵相机，幅宽 1.8 m。",
     "训练布面疵点检测模型。", "以纯棉与涤棉平纹为主；提花布少。"),
    ("ds_lanyun_dyeing", "e_gz_lanyun", "牛仔布染色配方与色差记录", "靛蓝染色配方、工艺参数与色差测量。",
     ["textile_apparel"], ["process_design", "process_optimization"], ["tabular"], ("14500", "缸次"),
     ("2023-03-01", "2026-06-30"), "full", "ΔE 色差、回修次数", False, "important", "licensed", "DGIDR-2026-00389",
     "染色车间配方单、浸轧次数与车速，测色仪 ΔE 记录。", "训练染色配方推荐与一次成功率预测模型。",
     "原料批次信息不全；2023 年前数据为手工录入。"),
    ("ds_shunfeng_stamping", "e_jm_shunfeng", "不锈钢冲压件表面缺陷与压力曲线", "冲压线表面图像与压力机吨位曲线。",
     ["hardware_metal"], ["online_inspection", "predictive_maintenance"], ["image", "timeseries"],
     ("40000", "张 + 12 个月曲线"),
     ("2025-06-01", "2026-05-31"), "partial", "拉伤、起皱、破裂", True, "general", "sample", None,
     "冲压线末端相机与压力机吨位监测仪（1 kHz）。", "训练冲压缺陷检测与模具磨损预警模型。", "仅 304 不锈钢。"),
    ("ds_ruifeng_blade", "e_yj_ruifeng", "刀剪刃口研磨点云与检测数据", "刀具刃口 3D 扫描点云与锋利度测试结果。",
     ["hardware_metal"], ["online_inspection", "process_optimization"], ["point_cloud", "tabular"], ("12000", "把"),
     ("2025-04-01", "2026-06-30"), "full", "刃口角度偏差、崩口、锋利度等级", True, "public", "sample", None,
     "线激光 3D 扫描仪（0.02 mm）与锋利度测试仪。", "训练刃口质量检测与研磨参数优化模型。", "仅厨刀。"),
    ("ds_jinfeng_weld", "e_jy_jinfeng", "不锈钢焊接电流电压与焊缝图像", "自动焊工位的焊接参数与焊缝外观。",
     ["hardware_metal"], ["process_optimization", "online_inspection"], ["timeseries", "image"], ("88000", "条焊缝"),
     ("2025-01-01", "2026-06-30"), "partial", "气孔、咬边、未焊透", False, "general", "licensed", None,
     "焊机电流、电压（5 kHz）与焊后相机。", "训练焊接质量在线监测模型。", "TIG 焊为主。"),
    ("ds_hengrun_reactor", "e_hz_hengrun", "精细化工反应釜 DCS 运行数据", "6 台反应釜温度、压力、投料与批次质量。",
     ["petrochemical"], ["advanced_process_control", "safety_control"], ["timeseries", "tabular"],
     ("4", "年 1 Hz 信号"),
     ("2022-07-01", "2026-06-30"), "partial", "批次收率、超温报警事件", False, "core", "compute_to_data",
     "DGIDR-2026-00291", "DCS 历史库导出；批次质量来自 LIMS。", "在企业内训练反应釜温度先进控制与异常预警模型。",
     "工艺配方属核心数据，仅可用不可见。"),
    ("ds_huayue_additive", "e_mm_huayue", "石化助剂配方与性能检测数据", "助剂配方试验与性能检测结果。",
     ["petrochemical"], ["product_design"], ["tabular"], ("5200", "组配方"), ("2021-01-01", "2026-06-30"), "full",
     "粘度、闪点、稳定性等 14 项指标", False, "important", "metadata", None, "研发试验记录与质检报告。",
     "训练配方性能预测模型。", "早期试验缺少部分指标。"),
    ("ds_haiyan_seafood", "e_zj_haiyan", "水产品分级图像与冷库温度数据", "虾类分级图像与冷库温湿度记录。",
     ["food_beverage"], ["online_inspection", "smart_warehousing"], ["image", "timeseries"], ("72000", "张 + 2 年温度"),
     ("2024-05-01", "2026-06-30"), "full", "规格等级、黑头、断尾", True, "public", "sample", None,
     "分级线相机与冷库温湿度探头（1 分钟）。", "训练水产品分级模型与冷库温控优化。", "季节性强，冬季样本多。"),
    ("ds_kangze_device", "e_gz_kangze", "医疗器械注塑件尺寸检测数据", "一次性医疗器械注塑件关键尺寸与过程参数。",
     ["biopharma", "mould_plastics"], ["quality_analysis", "process_optimization"], ["tabular"], ("230000", "件"),
     ("2024-02-01", "2026-06-30"), "full", "关键尺寸超差", False, "important", "licensed", None,
     "影像测量仪与注塑机过程参数。", "训练尺寸预测与过程能力分析模型。", "GMP 记录只可在企业内查阅原件。"),
    ("ds_yuetong_logistics", "e_gz_yuetong", "仓储出入库与配送路线数据", "3 个仓库出入库记录与城配车辆轨迹。",
     ["logistics"], ["smart_warehousing", "material_delivery"], ["tabular", "timeseries"], ("5400000", "条记录"),
     ("2024-01-01", "2026-06-30"), "none", None, True, "general", "licensed", None,
     "WMS 出入库流水与车载 GPS 轨迹（30 秒）。", "训练库位优化与配送路径规划模型。", "客户信息已脱敏。"),
    ("ds_tingzhen_bearing", "va_gz_tingzhen", "风机水泵轴承故障振动基准集",
     "服务商在 40 家工厂采集的风机、水泵、减速机轴承振动与故障确认，作为振动诊断模型的公开基准。",
     ["equipment", "food_beverage", "petrochemical"], ["predictive_maintenance", "maintenance_repair"],
     ["timeseries", "audio"], ("1.8", "TB"), ("2022-01-01", "2026-03-31"), "full",
     "内圈、外圈、滚动体、保持架故障与不对中、松动", True, "public", "sample", None,
     "无线振动传感器（25.6 kHz）与声学传感器，故障经拆机确认。", "评测与调优旋转设备振动诊断模型。",
     "转速 600–3000 rpm；变频工况样本少。"),
    ("ds_songhu_mould_cad", "va_dg_songhu", "注塑模具结构与工艺知识语料", "模具设计图纸结构化特征与工艺知识问答语料。",
     ["mould_plastics"], ["process_design"], ["text", "multimodal"], ("18000", "套模具"), ("2019-01-01", "2026-05-31"),
     "partial", "浇口、顶出、冷却方案与评审意见", False, "important", "compute_to_data", "DGIDR-2026-00144",
     "服务商与合作模厂的模具图档特征抽取、设计评审记录。", "训练模具设计工艺智能体与检索增强问答。",
     "图档原件属客户资产，只提供特征。"),
)

# requester key, dataset key, purpose, intended use, model key, outcome ("grant" / "refuse" / "withdraw" / None),
# the owner's conditions or reason
REQUESTS = (
    ("va_fs_taoyun", "ds_hongtao_tile", "训练并推广抛釉砖表面缺陷检测小模型",
     "在宏陶私有云内训练，模型推广至佛山、清远建陶企业，按 模数共振 协议分成。", "ma_taoyun_tile_defect", "grant",
     "仅在宏陶私有云内训练；模型参数可带出，原图不得带出；推广收益按协议分成。"),
    ("va_dg_songhu", "ds_xinlian_imm", "训练注塑机预测性维护小模型", "螺杆与止逆环磨损预测，打包为年度订阅服务。",
     "ma_songhu_imm_pdm", "grant", "数据按月增量提供，使用期三年；模型迭代需通知数据方。"),
    ("va_sz_lanjing", "ds_ruichu_quality", "构建厨电质量闭环智能体", "根因定位与工艺调整推荐。",
     "ma_lanjing_quality_agent", "grant", "售后数据仅限质量分析用途，不得用于营销。"),
    ("va_sz_jingmu", "ds_xunjie_pcb_aoi", "调优 PCBA 焊点 AOI 复判模型", "用迅捷主板样本降低误报，评测召回率。",
     "ma_jingmu_pcba_aoi", "grant", "样本不超过 2 万张；评测报告需先经迅捷确认再对外发布。"),
    ("va_gz_suiheng", "ds_hongtao_kiln", "辊道窑能耗优化模型可行性评估", "先取样本评估烧成曲线优化的节能潜力。",
     "ma_suiheng_energy_agent", None, None),
    ("va_dg_guangqi", "ds_hengfeng_injection", "注塑件外观检测样本评估", "评估高光面缺陷检出率。",
     "ma_guangqi_appliance_panel", None, None),
    ("va_jm_buyan", "ds_jinxiu_fabric", "训练布面疵点检测小模型", "扩充平纹坯布样本。", "ma_buyan_fabric", None, None),
    ("va_sz_jingmu", "ds_xinhang_wirebond", "调优功率器件封装外观检测模型", "希望取得样本在自有算力训练。",
     "ma_jingmu_powerpkg", "refuse",
     "键合数据属核心数据，只能在本企业可信环境内计算，不提供样本；欢迎按可用不可见方式重新申请。"),
    ("va_zh_chengji", "ds_ruineng_coating", "涂布缺陷检测模型联合训练", "在锐能可信数据空间内训练。",
     "ma_chengji_electrode", "grant", "可用不可见：任务经锐能审批后在其算力平台执行，仅带出模型参数与指标。"),
    ("va_gz_tingzhen", "ds_shaozhu_spindle", "主轴剩余寿命预测模型调优", "补充铸造机械行业样本。",
     "ma_tingzhen_spindle", "withdraw", None),
    ("e_dg_jingtuo", "ds_songhu_mould_cad", "模具设计评审知识库", "用于本厂模具设计评审问答。", None, None, None),
    ("va_fs_zhuheng", "ds_dingzhu_diecast", "压铸缺陷预测模型训练", "在鼎铸工厂内训练缺陷预测模型。",
     "ma_zhuheng_diecast", "refuse", "今年产线改造，暂不开放；明年一季度可再申请。"),
)


def first_user(org):
    """Return an organisation's first user (who acts for it in the demo)."""
    return org.users[0]


def load_dataset_work(orgs: dict, models: dict) -> tuple[dict[str, Dataset], dict[str, int]]:
    """Add the datasets (published) and access requests in every state; return the datasets by key and counts."""
    datasets: dict[str, Dataset] = {}
    for i, (key, owner, title, summary, industries, scenarios, modalities, (amount, unit), (start, end), labelling,
            labels, sample, sensitivity, access, registration, collection, uses, limits) in enumerate(DATASETS):
        when = EPOCH - timedelta(days=120) + timedelta(hours=5 * i)
        datasets[key] = dataset = Dataset(
            organisation=orgs[owner], title=title, summary=summary, industries=industries, scenarios=scenarios,
            modalities=modalities, volume_amount=Decimal(amount), volume_unit=unit,
            span_from=date.fromisoformat(start), span_to=date.fromisoformat(end), labelling=labelling, labels=labels,
            sample_available=sample, sensitivity=sensitivity, access_mode=access, registration_no=registration,
            collection=collection, processing=PROCESSING[modalities[0]], intended_uses=uses, limitations=limits,
            terms=TERMS[access], state="published", created_at=when, updated_at=when)
        db.session.add(dataset)
    db.session.flush()
    counts = {"granted": 0, "refused": 0, "withdrawn": 0, "waiting": 0}
    for i, (requester, key, purpose, use, model_key, outcome, answer) in enumerate(REQUESTS):
        dataset = datasets[key]
        user = first_user(orgs[requester])
        model = models.get(model_key) if model_key else None
        made = request_access(dataset, user, purpose, use, model.id if model is not None else None)
        made.created_at = EPOCH - timedelta(days=90) + timedelta(days=3 * i)
        db.session.flush()
        owner = first_user(dataset.organisation)
        decided = made.created_at + timedelta(days=2)
        if outcome == "grant":
            ACCESS.fire(made.id, "grant", owner, when=decided, conditions=answer)
            counts["granted"] += 1
        elif outcome == "refuse":
            ACCESS.fire(made.id, "refuse", owner, when=decided, reason=answer)
            counts["refused"] += 1
        elif outcome == "withdraw":
            ACCESS.fire(made.id, "withdraw", user, when=decided)
            counts["withdrawn"] += 1
        else:
            counts["waiting"] += 1
    db.session.flush()
    return datasets, {"datasets": len(datasets), **{f"access requests {k}": v for k, v in counts.items()}}
