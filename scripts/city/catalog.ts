/**
 * The city's reference data: regions (GB/T 2260), industries (GB/T 4754-2017) with their
 * typical size, accident and injury rates, GB 6441-1986 accident categories and GBZ 2.1/2.2
 * hazard factors, and the words Chinese company names are made of.
 */
import { GB6441_1986_CATEGORIES } from '../../services/shared/contract';

export interface Region {
  code: string;
  name: string;
  /** 4-digit city prefix, e.g. 3213 宿迁. */
  city: string;
  /** The place word companies registered there put in front of their names. */
  place: string;
  weight: number;
}

const CITIES: { prefix: string; name: string; weight: number; districts: [string, string][] }[] = [
  { prefix: '3213', name: '宿迁', weight: 3.5, districts: [['321302', '宿城区'], ['321311', '宿豫区'], ['321322', '沭阳县'], ['321323', '泗阳县'], ['321324', '泗洪县']] },
  { prefix: '3201', name: '南京', weight: 14, districts: [['320102', '玄武区'], ['320104', '秦淮区'], ['320105', '建邺区'], ['320106', '鼓楼区'], ['320111', '浦口区'], ['320113', '栖霞区'], ['320114', '雨花台区'], ['320115', '江宁区'], ['320116', '六合区'], ['320117', '溧水区'], ['320118', '高淳区']] },
  { prefix: '3202', name: '无锡', weight: 11, districts: [['320205', '锡山区'], ['320206', '惠山区'], ['320211', '滨湖区'], ['320213', '梁溪区'], ['320214', '新吴区'], ['320281', '江阴市'], ['320282', '宜兴市']] },
  { prefix: '3203', name: '徐州', weight: 7, districts: [['320302', '鼓楼区'], ['320303', '云龙区'], ['320305', '贾汪区'], ['320311', '泉山区'], ['320312', '铜山区'], ['320321', '丰县'], ['320322', '沛县'], ['320324', '睢宁县'], ['320381', '新沂市'], ['320382', '邳州市']] },
  { prefix: '3204', name: '常州', weight: 7, districts: [['320402', '天宁区'], ['320404', '钟楼区'], ['320411', '新北区'], ['320412', '武进区'], ['320413', '金坛区'], ['320481', '溧阳市']] },
  { prefix: '3205', name: '苏州', weight: 20, districts: [['320505', '虎丘区'], ['320506', '吴中区'], ['320507', '相城区'], ['320508', '姑苏区'], ['320509', '吴江区'], ['320581', '常熟市'], ['320582', '张家港市'], ['320583', '昆山市'], ['320585', '太仓市']] },
  { prefix: '3206', name: '南通', weight: 9, districts: [['320612', '通州区'], ['320613', '崇川区'], ['320614', '海门区'], ['320623', '如东县'], ['320681', '启东市'], ['320682', '如皋市'], ['320685', '海安市']] },
  { prefix: '3207', name: '连云港', weight: 3.5, districts: [['320703', '连云区'], ['320706', '海州区'], ['320707', '赣榆区'], ['320722', '东海县'], ['320723', '灌云县'], ['320724', '灌南县']] },
  { prefix: '3208', name: '淮安', weight: 4, districts: [['320803', '淮安区'], ['320804', '淮阴区'], ['320812', '清江浦区'], ['320813', '洪泽区'], ['320826', '涟水县'], ['320830', '盱眙县'], ['320831', '金湖县']] },
  { prefix: '3209', name: '盐城', weight: 6, districts: [['320902', '亭湖区'], ['320903', '盐都区'], ['320904', '大丰区'], ['320921', '响水县'], ['320922', '滨海县'], ['320923', '阜宁县'], ['320924', '射阳县'], ['320925', '建湖县'], ['320981', '东台市']] },
  { prefix: '3210', name: '扬州', weight: 5, districts: [['321002', '广陵区'], ['321003', '邗江区'], ['321012', '江都区'], ['321023', '宝应县'], ['321081', '仪征市'], ['321084', '高邮市']] },
  { prefix: '3211', name: '镇江', weight: 4, districts: [['321102', '京口区'], ['321111', '润州区'], ['321112', '丹徒区'], ['321181', '丹阳市'], ['321182', '扬中市'], ['321183', '句容市']] },
  { prefix: '3212', name: '泰州', weight: 5, districts: [['321202', '海陵区'], ['321203', '高港区'], ['321204', '姜堰区'], ['321281', '兴化市'], ['321282', '靖江市'], ['321283', '泰兴市']] },
];

/** Counties and county-level cities name their firms after themselves (沭阳…); districts after the city. */
function regionsOf(c: (typeof CITIES)[number]): Region[] {
  return c.districts.map(([code, name]) => ({
    code,
    name,
    city: c.prefix,
    place: /[县市]$/.test(name) ? name.slice(0, -1) : c.name,
    weight: c.weight / c.districts.length,
  }));
}

/** Up to this many employers the city is 宿迁市; above it, the whole of 江苏省. */
export const CITY_SCALE_MAX = 20000;

export function regionsFor(employers: number): Region[] {
  return employers <= CITY_SCALE_MAX ? regionsOf(CITIES[0]).map((r) => ({ ...r, weight: 1 })) : CITIES.flatMap(regionsOf);
}

export type KeyGroup = '危险化学品' | '矿山' | '建筑施工' | '交通运输' | '机械制造' | '冶金' | '建材';

export interface HazardFactor {
  factor: string;
  limit: number;
  unit: string;
  limitType: 'PC-TWA' | 'PC-STEL' | 'MAC' | '8h-Leq';
  /** A dust whose exposure means 接尘岗位 and whose disease is pneumoconiosis. */
  dust?: boolean;
}

const MG = 'mg/m³';
export const FACTORS = {
  矽尘总: { factor: '矽尘（总尘）', limit: 1, unit: MG, limitType: 'PC-TWA', dust: true },
  矽尘呼: { factor: '矽尘（呼尘）', limit: 0.7, unit: MG, limitType: 'PC-TWA', dust: true },
  煤尘总: { factor: '煤尘（总尘）', limit: 4, unit: MG, limitType: 'PC-TWA', dust: true },
  煤尘呼: { factor: '煤尘（呼尘）', limit: 2.5, unit: MG, limitType: 'PC-TWA', dust: true },
  水泥总: { factor: '水泥粉尘（总尘）', limit: 4, unit: MG, limitType: 'PC-TWA', dust: true },
  水泥呼: { factor: '水泥粉尘（呼尘）', limit: 1.5, unit: MG, limitType: 'PC-TWA', dust: true },
  石灰石: { factor: '石灰石粉尘（总尘）', limit: 8, unit: MG, limitType: 'PC-TWA', dust: true },
  电焊烟尘: { factor: '电焊烟尘', limit: 4, unit: MG, limitType: 'PC-TWA', dust: true },
  砂轮磨尘: { factor: '砂轮磨尘（总尘）', limit: 8, unit: MG, limitType: 'PC-TWA', dust: true },
  木粉尘: { factor: '木粉尘（总尘）', limit: 3, unit: MG, limitType: 'PC-TWA', dust: true },
  其他粉尘: { factor: '其他粉尘（总尘）', limit: 8, unit: MG, limitType: 'PC-TWA', dust: true },
  噪声: { factor: '噪声', limit: 85, unit: 'dB(A)', limitType: '8h-Leq' },
  苯: { factor: '苯', limit: 6, unit: MG, limitType: 'PC-TWA' },
  甲苯: { factor: '甲苯', limit: 50, unit: MG, limitType: 'PC-TWA' },
  二甲苯: { factor: '二甲苯', limit: 50, unit: MG, limitType: 'PC-TWA' },
  氨: { factor: '氨', limit: 20, unit: MG, limitType: 'PC-TWA' },
  硫化氢: { factor: '硫化氢', limit: 10, unit: MG, limitType: 'MAC' },
  一氧化碳: { factor: '一氧化碳', limit: 20, unit: MG, limitType: 'PC-TWA' },
  锰: { factor: '锰及其无机化合物', limit: 0.15, unit: MG, limitType: 'PC-TWA' },
  氯气: { factor: '氯', limit: 1, unit: MG, limitType: 'MAC' },
} as const satisfies Record<string, HazardFactor>;
type FactorKey = keyof typeof FACTORS;

/** GB 6441-1986 企业职工伤亡事故分类, the categories 1–20. */
export const GB6441_1986: Record<number, string> = Object.fromEntries(GB6441_1986_CATEGORIES.map((name, i) => [i + 1, name]));

/** 尘肺病 name stem per dust (职业病分类和目录, category 1). */
export type Pneumoconiosis = '矽肺' | '煤工尘肺' | '水泥尘肺' | '电焊工尘肺' | '石墨尘肺' | '铸工尘肺';

export interface Industry {
  code: string;
  name: string;
  /** Relative share of employers (‰-ish, normalised). */
  share: number;
  group: KeyGroup | null;
  /** Headcount multiplier against the all-industry distribution. */
  size: number;
  /** Accidents reported per 100 workers per year. */
  accidentRate: number;
  /** 工伤认定 per 100 workers per year (most injuries are not reported as production accidents). */
  injuryRate: number;
  /** GB 6441-1986 category → weight. */
  categories: Record<number, number>;
  factors: FactorKey[];
  pneumoconiosis?: Pneumoconiosis;
  posts: string[];
  words: string[];
  /** Preferred city prefixes when the region list has them (coal is mined around 徐州). */
  cities?: string[];
}

const MINE_CATS = { 11: 5, 1: 3, 2: 3, 3: 2, 10: 2, 12: 1, 13: 1, 15: 1, 19: 1, 9: 1, 5: 1 };
const QUARRY_CATS = { 10: 4, 1: 4, 2: 3, 3: 2, 13: 2, 9: 2, 6: 1 };
const CHEM_CATS = { 19: 5, 7: 4, 3: 2, 17: 2, 18: 1, 8: 2, 9: 2, 1: 1 };
const BUILD_MAT_CATS = { 3: 5, 1: 3, 9: 3, 4: 2, 2: 2, 7: 1, 10: 1, 5: 1 };
const METAL_CATS = { 7: 4, 4: 3, 3: 3, 19: 2, 1: 2, 18: 1, 9: 1 };
const MACHINE_CATS = { 3: 6, 4: 3, 1: 3, 5: 1, 7: 1, 9: 1, 20: 1 };
const BUILD_CATS = { 9: 8, 1: 4, 10: 3, 4: 3, 5: 2, 3: 2, 2: 1, 19: 1 };
const ROAD_CATS = { 2: 10, 1: 2, 9: 1, 6: 1, 20: 1 };
const FACTORY_CATS = { 3: 5, 1: 2, 5: 1, 9: 1, 8: 1, 20: 2 };
const SERVICE_CATS = { 20: 4, 7: 2, 9: 2, 2: 2, 5: 1, 1: 1 };

const CON_POSTS = ['木工', '钢筋工', '架子工', '混凝土工', '电焊工', '塔吊司机', '砌筑工'];

// prettier-ignore
export const INDUSTRIES: Industry[] = [
  // 矿山
  { code: 'B0610', name: '烟煤和无烟煤开采洗选', share: 2, group: '矿山', size: 12, accidentRate: 1.0, injuryRate: 3.0, categories: MINE_CATS, factors: ['煤尘总', '煤尘呼', '矽尘总', '噪声', '一氧化碳'], pneumoconiosis: '煤工尘肺', posts: ['采煤工', '掘进工', '支护工', '运输工', '洗煤工'], words: ['煤业', '矿业', '能源'], cities: ['3203'] },
  { code: 'B1011', name: '石灰石、石膏开采', share: 2, group: '矿山', size: 2, accidentRate: 0.8, injuryRate: 2.2, categories: QUARRY_CATS, factors: ['石灰石', '矽尘总', '噪声'], pneumoconiosis: '矽肺', posts: ['凿岩工', '爆破工', '破碎工', '铲装工'], words: ['矿业', '石料', '石灰石'] },
  { code: 'B1019', name: '粘土及其他土砂石开采', share: 4, group: '矿山', size: 1.5, accidentRate: 0.8, injuryRate: 2.2, categories: QUARRY_CATS, factors: ['矽尘总', '矽尘呼', '噪声'], pneumoconiosis: '矽肺', posts: ['采砂工', '破碎工', '筛分工', '装载机司机'], words: ['砂石', '矿业', '石英砂'] },
  // 危险化学品
  { code: 'C2614', name: '有机化学原料制造', share: 3, group: '危险化学品', size: 3, accidentRate: 0.3, injuryRate: 1.2, categories: CHEM_CATS, factors: ['苯', '甲苯', '噪声', '硫化氢'], posts: ['反应釜操作工', '精馏工', '罐区操作工', '包装工'], words: ['化工', '化学', '石化'] },
  { code: 'C2621', name: '氮肥制造', share: 1, group: '危险化学品', size: 4, accidentRate: 0.3, injuryRate: 1.2, categories: CHEM_CATS, factors: ['氨', '一氧化碳', '噪声'], posts: ['合成工', '造气工', '压缩工', '包装工'], words: ['化肥', '化工'] },
  { code: 'C2631', name: '化学农药制造', share: 1, group: '危险化学品', size: 2, accidentRate: 0.3, injuryRate: 1.2, categories: CHEM_CATS, factors: ['氯气', '甲苯', '噪声'], posts: ['合成工', '复配工', '干燥工'], words: ['农药', '生物化学', '化工'] },
  { code: 'C2641', name: '涂料制造', share: 3, group: '危险化学品', size: 1.5, accidentRate: 0.25, injuryRate: 1.0, categories: CHEM_CATS, factors: ['苯', '二甲苯', '甲苯', '噪声'], posts: ['调漆工', '分散工', '灌装工'], words: ['涂料', '化工', '新材料'] },
  // 建材
  { code: 'C3011', name: '水泥制造', share: 2, group: '建材', size: 3, accidentRate: 0.4, injuryRate: 1.5, categories: BUILD_MAT_CATS, factors: ['水泥总', '水泥呼', '矽尘总', '噪声'], pneumoconiosis: '水泥尘肺', posts: ['破碎工', '生料磨工', '窑头看火工', '水泥包装工', '装车工'], words: ['水泥', '建材'] },
  { code: 'C3021', name: '水泥制品制造', share: 6, group: '建材', size: 1, accidentRate: 0.3, injuryRate: 1.3, categories: BUILD_MAT_CATS, factors: ['水泥总', '水泥呼', '噪声'], pneumoconiosis: '水泥尘肺', posts: ['搅拌工', '成型工', '管桩张拉工', '上料工'], words: ['水泥制品', '管桩', '建材'] },
  { code: 'C3031', name: '粘土砖瓦及建筑砌块制造', share: 6, group: '建材', size: 1, accidentRate: 0.3, injuryRate: 1.3, categories: BUILD_MAT_CATS, factors: ['矽尘总', '矽尘呼', '噪声', '一氧化碳'], pneumoconiosis: '矽肺', posts: ['破碎工', '制坯工', '码坯工', '烧窑工', '出窑工'], words: ['砖瓦', '新型墙材', '建材'] },
  { code: 'C3041', name: '平板玻璃制造', share: 1, group: '建材', size: 4, accidentRate: 0.3, injuryRate: 1.2, categories: BUILD_MAT_CATS, factors: ['矽尘总', '矽尘呼', '噪声'], pneumoconiosis: '矽肺', posts: ['配料工', '熔化工', '切装工'], words: ['玻璃', '玻璃科技'] },
  // 冶金
  { code: 'C3110', name: '炼铁', share: 0.5, group: '冶金', size: 15, accidentRate: 0.35, injuryRate: 1.5, categories: METAL_CATS, factors: ['其他粉尘', '一氧化碳', '噪声'], pneumoconiosis: '铸工尘肺', posts: ['炉前工', '上料工', '热风炉工'], words: ['钢铁', '铁业'] },
  { code: 'C3120', name: '炼钢', share: 1, group: '冶金', size: 10, accidentRate: 0.35, injuryRate: 1.5, categories: METAL_CATS, factors: ['其他粉尘', '一氧化碳', '锰', '噪声'], pneumoconiosis: '铸工尘肺', posts: ['转炉工', '连铸工', '炉前工', '天车工'], words: ['钢铁', '特钢'] },
  { code: 'C3130', name: '钢压延加工', share: 5, group: '冶金', size: 2, accidentRate: 0.3, injuryRate: 1.3, categories: METAL_CATS, factors: ['其他粉尘', '噪声'], pneumoconiosis: '铸工尘肺', posts: ['轧钢工', '加热炉工', '精整工'], words: ['钢材', '金属材料', '型钢'] },
  { code: 'C3216', name: '铝冶炼', share: 0.5, group: '冶金', size: 5, accidentRate: 0.3, injuryRate: 1.3, categories: METAL_CATS, factors: ['其他粉尘', '噪声'], pneumoconiosis: '铸工尘肺', posts: ['电解工', '熔铸工', '阳极工'], words: ['铝业', '有色金属'] },
  // 机械制造
  { code: 'C3411', name: '锅炉及辅助设备制造', share: 3, group: '机械制造', size: 2, accidentRate: 0.2, injuryRate: 1.2, categories: MACHINE_CATS, factors: ['电焊烟尘', '锰', '噪声'], pneumoconiosis: '电焊工尘肺', posts: ['电焊工', '铆工', '探伤工'], words: ['锅炉', '重工'] },
  { code: 'C3484', name: '机械零部件加工', share: 15, group: '机械制造', size: 1, accidentRate: 0.2, injuryRate: 1.2, categories: MACHINE_CATS, factors: ['砂轮磨尘', '电焊烟尘', '噪声'], pneumoconiosis: '电焊工尘肺', posts: ['车工', '铣工', '磨工', '电焊工', '冲压工'], words: ['机械', '精密机械', '机械配件'] },
  { code: 'C3511', name: '矿山机械制造', share: 3, group: '机械制造', size: 2, accidentRate: 0.2, injuryRate: 1.2, categories: MACHINE_CATS, factors: ['电焊烟尘', '锰', '噪声', '砂轮磨尘'], pneumoconiosis: '电焊工尘肺', posts: ['电焊工', '装配工', '打磨工', '喷漆工'], words: ['矿山机械', '重工'] },
  { code: 'C3514', name: '建筑工程用机械制造', share: 3, group: '机械制造', size: 2, accidentRate: 0.2, injuryRate: 1.2, categories: MACHINE_CATS, factors: ['电焊烟尘', '噪声', '二甲苯'], pneumoconiosis: '电焊工尘肺', posts: ['电焊工', '装配工', '喷漆工'], words: ['工程机械', '重工', '机械'] },
  { code: 'C3525', name: '模具制造', share: 5, group: '机械制造', size: 0.8, accidentRate: 0.15, injuryRate: 1.0, categories: MACHINE_CATS, factors: ['砂轮磨尘', '噪声'], posts: ['钳工', '数控操作工', '抛光工'], words: ['模具', '精密模具'] },
  // 建筑施工
  { code: 'E4710', name: '住宅房屋建筑', share: 30, group: '建筑施工', size: 2, accidentRate: 0.6, injuryRate: 2.5, categories: BUILD_CATS, factors: ['矽尘总', '电焊烟尘', '噪声'], pneumoconiosis: '矽肺', posts: CON_POSTS, words: ['建设工程', '建筑工程', '建工'] },
  { code: 'E4790', name: '其他房屋建筑业', share: 10, group: '建筑施工', size: 1.5, accidentRate: 0.5, injuryRate: 2.2, categories: BUILD_CATS, factors: ['电焊烟尘', '噪声'], posts: CON_POSTS, words: ['建筑安装', '建设'] },
  { code: 'E4812', name: '公路工程建筑', share: 5, group: '建筑施工', size: 2, accidentRate: 0.5, injuryRate: 2.0, categories: { ...BUILD_CATS, 2: 4 }, factors: ['矽尘总', '噪声'], pneumoconiosis: '矽肺', posts: ['摊铺工', '压路机司机', '桥梁工', '隧道工'], words: ['路桥', '交通工程', '公路工程'] },
  { code: 'E4813', name: '市政道路工程建筑', share: 5, group: '建筑施工', size: 1.5, accidentRate: 0.5, injuryRate: 2.0, categories: { ...BUILD_CATS, 2: 3 }, factors: ['噪声'], posts: ['管道工', '摊铺工', '挖掘机司机'], words: ['市政工程', '市政建设'] },
  // 交通运输
  { code: 'G5411', name: '城市公共交通运输', share: 0.3, group: '交通运输', size: 20, accidentRate: 0.15, injuryRate: 0.8, categories: ROAD_CATS, factors: ['噪声'], posts: ['公交驾驶员', '修理工'], words: ['公交', '公共交通'] },
  { code: 'G5421', name: '公路旅客运输', share: 1.5, group: '交通运输', size: 3, accidentRate: 0.3, injuryRate: 1.0, categories: ROAD_CATS, factors: [], posts: ['客车驾驶员'], words: ['客运', '汽车客运'] },
  { code: 'G5430', name: '道路货物运输', share: 30, group: '交通运输', size: 0.6, accidentRate: 0.35, injuryRate: 1.2, categories: ROAD_CATS, factors: [], posts: ['货车驾驶员', '装卸工'], words: ['物流', '运输', '货运'] },
  // ordinary sections A–R
  { code: 'A0111', name: '稻谷种植', share: 10, group: null, size: 0.8, accidentRate: 0.03, injuryRate: 0.4, categories: { 3: 3, 2: 2, 6: 1, 20: 2 }, factors: [], posts: [], words: ['农业科技', '农业发展'] },
  { code: 'A0412', name: '内陆养殖', share: 6, group: null, size: 0.6, accidentRate: 0.03, injuryRate: 0.4, categories: { 6: 3, 20: 2, 5: 1 }, factors: [], posts: [], words: ['水产养殖', '生态渔业'] },
  { code: 'C1311', name: '稻谷加工', share: 6, group: null, size: 1, accidentRate: 0.1, injuryRate: 0.8, categories: FACTORY_CATS, factors: ['噪声'], posts: ['砻谷工', '碾米工', '包装工'], words: ['粮油', '米业'] },
  { code: 'C1810', name: '机织服装制造', share: 25, group: null, size: 2, accidentRate: 0.05, injuryRate: 0.6, categories: FACTORY_CATS, factors: ['噪声'], posts: ['缝纫工', '裁剪工', '整烫工'], words: ['服饰', '制衣', '服装'] },
  { code: 'C2110', name: '木质家具制造', share: 25, group: null, size: 1.2, accidentRate: 0.1, injuryRate: 0.9, categories: FACTORY_CATS, factors: ['木粉尘', '噪声', '苯', '二甲苯'], posts: ['开料工', '砂光工', '喷漆工', '封边工'], words: ['家具', '木业', '家居'] },
  { code: 'C2927', name: '日用塑料制品制造', share: 15, group: null, size: 1, accidentRate: 0.08, injuryRate: 0.8, categories: FACTORY_CATS, factors: ['噪声'], posts: ['注塑工', '吹塑工', '粉碎工'], words: ['塑料制品', '塑业'] },
  { code: 'C3982', name: '电子电路制造', share: 8, group: null, size: 3, accidentRate: 0.03, injuryRate: 0.4, categories: FACTORY_CATS, factors: ['噪声'], posts: ['贴片工', '蚀刻工', '检验员'], words: ['电子科技', '电子'] },
  { code: 'D4411', name: '火力发电', share: 0.3, group: null, size: 10, accidentRate: 0.1, injuryRate: 0.5, categories: { 7: 3, 5: 2, 3: 2, 16: 1, 9: 1 }, factors: ['噪声', '其他粉尘'], posts: ['锅炉运行工', '输煤工', '汽机值班员'], words: ['热电', '发电'] },
  { code: 'F5123', name: '果品、蔬菜批发', share: 40, group: null, size: 0.6, accidentRate: 0.01, injuryRate: 0.3, categories: SERVICE_CATS, factors: [], posts: [], words: ['农产品', '果蔬', '商贸'] },
  { code: 'F5212', name: '超级市场零售', share: 50, group: null, size: 1, accidentRate: 0.01, injuryRate: 0.3, categories: SERVICE_CATS, factors: [], posts: [], words: ['超市', '商贸', '购物中心'] },
  { code: 'F5219', name: '其他综合零售', share: 80, group: null, size: 0.5, accidentRate: 0.005, injuryRate: 0.2, categories: SERVICE_CATS, factors: [], posts: [], words: ['商贸', '百货', '贸易'] },
  { code: 'F5261', name: '汽车新车零售', share: 10, group: null, size: 1.5, accidentRate: 0.01, injuryRate: 0.2, categories: SERVICE_CATS, factors: [], posts: [], words: ['汽车销售', '汽车贸易'] },
  { code: 'H6110', name: '旅游饭店', share: 5, group: null, size: 3, accidentRate: 0.01, injuryRate: 0.4, categories: SERVICE_CATS, factors: [], posts: [], words: ['酒店管理', '大酒店'] },
  { code: 'H6210', name: '正餐服务', share: 60, group: null, size: 0.8, accidentRate: 0.01, injuryRate: 0.4, categories: { 7: 4, 20: 3, 8: 1, 19: 1 }, factors: [], posts: [], words: ['餐饮管理', '餐饮', '酒楼'] },
  { code: 'H6220', name: '快餐服务', share: 30, group: null, size: 0.6, accidentRate: 0.01, injuryRate: 0.4, categories: { 7: 4, 20: 3, 2: 2 }, factors: [], posts: [], words: ['餐饮', '快餐'] },
  { code: 'I6450', name: '互联网数据服务', share: 5, group: null, size: 1.5, accidentRate: 0.002, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['数据科技', '云计算'] },
  { code: 'I6510', name: '软件开发', share: 30, group: null, size: 1.2, accidentRate: 0.002, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['软件科技', '信息技术', '网络科技'] },
  { code: 'J6630', name: '非货币银行服务', share: 3, group: null, size: 1.5, accidentRate: 0.002, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['小额贷款', '融资租赁'] },
  { code: 'K7010', name: '房地产开发经营', share: 15, group: null, size: 1, accidentRate: 0.01, injuryRate: 0.2, categories: SERVICE_CATS, factors: [], posts: [], words: ['房地产开发', '置业'] },
  { code: 'L7212', name: '投资与资产管理', share: 20, group: null, size: 0.5, accidentRate: 0.002, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['投资管理', '资产管理'] },
  { code: 'L7251', name: '互联网广告服务', share: 15, group: null, size: 0.6, accidentRate: 0.002, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['广告传媒', '文化传媒'] },
  { code: 'M7320', name: '工程和技术研究和试验发展', share: 5, group: null, size: 1, accidentRate: 0.005, injuryRate: 0.2, categories: SERVICE_CATS, factors: [], posts: [], words: ['科技', '技术研究'] },
  { code: 'N7820', name: '环境卫生管理', share: 5, group: null, size: 2, accidentRate: 0.08, injuryRate: 1.0, categories: { 2: 5, 20: 2, 1: 1 }, factors: [], posts: [], words: ['环境卫生', '保洁服务', '环境工程'] },
  { code: 'O8010', name: '家庭服务', share: 10, group: null, size: 0.8, accidentRate: 0.01, injuryRate: 0.4, categories: SERVICE_CATS, factors: [], posts: [], words: ['家政服务'] },
  { code: 'O8111', name: '汽车修理与维护', share: 25, group: null, size: 0.6, accidentRate: 0.05, injuryRate: 0.8, categories: { 3: 3, 1: 2, 7: 2, 8: 1, 20: 2 }, factors: ['电焊烟尘', '噪声', '二甲苯'], posts: ['机修工', '钣金工', '喷漆工'], words: ['汽车维修', '汽车服务'] },
  { code: 'P8391', name: '职业技能培训', share: 8, group: null, size: 0.6, accidentRate: 0.002, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['职业技能培训', '教育咨询'] },
  { code: 'Q8411', name: '综合医院', share: 1, group: null, size: 8, accidentRate: 0.005, injuryRate: 0.3, categories: SERVICE_CATS, factors: [], posts: [], words: ['医院'] },
  { code: 'R8870', name: '群众文体活动', share: 5, group: null, size: 0.5, accidentRate: 0.005, injuryRate: 0.1, categories: SERVICE_CATS, factors: [], posts: [], words: ['文化传播', '文化发展'] },
];

export const INDUSTRY_BY_CODE = new Map(INDUSTRIES.map((i) => [i.code, i]));

export function industry(code: string): Industry {
  const i = INDUSTRY_BY_CODE.get(code);
  if (!i) throw new Error(`unknown industry ${code}`);
  return i;
}

export function isDustIndustry(i: Industry): boolean {
  return i.pneumoconiosis !== undefined && i.factors.some((f) => (FACTORS[f] as HazardFactor).dust);
}

/** 字号 characters: common auspicious characters of Chinese trade names. */
export const TRADE_CHARS = [
  '恒', '瑞', '华', '鑫', '盛', '隆', '达', '源', '泰', '丰', '宏', '嘉', '润', '金', '鼎', '新', '永', '远', '昌', '通', '海', '天', '博', '联',
  '创', '中', '兴', '汇', '宇', '晟', '弘', '信', '诚', '祥', '安', '康', '明', '宝', '利', '富', '腾', '辉', '锦', '凯', '旭',
  '泓', '峰', '德', '益', '东', '方', '佳', '聚', '合', '顺', '昊', '森', '阳', '光', '万', '同', '骏', '翔', '豪', '科',
];

/** Accident circumstances per GB 6441 category; `{post}` is a job title, never a person's name. */
export const ACCIDENT_SUMMARIES: Record<number, string[]> = {
  1: ['{post}在作业区域被上方坠落的物料击中头部', '{post}在拆除模板时被掉落的钢管砸伤'],
  2: ['{post}驾驶车辆在厂区内倒车时与作业人员发生碰撞', '货车在道路行驶中与前车追尾，{post}受伤', '{post}在装卸区被叉车撞伤'],
  3: ['{post}在设备运行中清理物料，手部被卷入', '{post}违规摘除防护罩操作，被转动部件绞伤', '破碎车间清理堵料时发生机械伤害'],
  4: ['起吊作业中吊物脱钩坠落，砸伤下方{post}', '塔吊吊装过程中钢丝绳断裂，{post}受伤'],
  5: ['{post}在临时用电线路检修时触电', '{post}使用未接地的手持电动工具触电'],
  6: ['{post}在河道边作业时失足落水', '{post}在沉淀池边清理时滑落池中'],
  7: ['{post}在出料时被高温物料烫伤', '{post}接触泄漏的腐蚀性液体导致化学灼伤'],
  8: ['仓库电气线路短路引发火灾，{post}在扑救中受伤', '动火作业引燃周边可燃物引发火灾'],
  9: ['{post}在脚手架上作业时未系安全带，从约 {h} 米高处坠落', '{post}在屋面作业时踩穿采光板坠落', '{post}在临边洞口作业时坠落'],
  10: ['基坑边坡局部坍塌，掩埋正在作业的{post}', '料堆坍塌压伤{post}', '采场边坡发生坍塌，{post}受伤'],
  11: ['掘进工作面发生冒顶，{post}被埋压', '巷道片帮掉落煤块砸伤{post}'],
  12: ['采掘工作面发生透水，{post}撤离时受伤'],
  13: ['爆破作业后提前进入工作面，{post}被哑炮炸伤', '放炮警戒不到位，{post}被飞石击伤'],
  14: ['爆破器材搬运中发生爆炸'],
  15: ['工作面瓦斯积聚遇火源发生爆炸'],
  16: ['锅炉超压运行发生爆炸，{post}受伤'],
  17: ['压力容器超压爆裂，{post}受伤', '反应釜在升温过程中发生物理爆炸'],
  18: ['粉尘积聚遇明火发生爆燃', '管道检修时残余可燃气体发生闪爆'],
  19: ['{post}未经检测进入受限空间作业导致中毒窒息', '{post}在清理储罐时吸入有毒气体', '煤气管道泄漏导致{post}一氧化碳中毒'],
  20: ['{post}在作业中扭伤', '{post}在搬运物料时被划伤', '{post}在通道上滑倒摔伤'],
};

// ------------------------------------------------------------------ 工伤保险费率 (contributions)

/**
 * 工伤保险行业基准费率 by 行业风险类别 (人社部发〔2015〕71号): class 1 0.2% … class 8 1.9% of the
 * payroll. A region floats an employer's rate up or down from its base every three years (浮动费率).
 */
export const BASE_RATES: Record<number, number> = { 1: 0.002, 2: 0.004, 3: 0.007, 4: 0.009, 5: 0.011, 6: 0.013, 7: 0.016, 8: 0.019 };

/** 工伤保险行业风险分类表 (人社部发〔2015〕71号) for the GB/T 4754 divisions the city has. */
const RATE_CLASS_OF_DIVISION: Record<string, number> = {
  I65: 1, J66: 1, // 软件和信息技术服务业, 货币金融服务
  F51: 2, F52: 2, H61: 2, H62: 2, I64: 2, K70: 2, L72: 2, M73: 2, O80: 2, P83: 2, Q84: 2, R88: 2,
  C13: 3, C39: 3, N78: 3, O81: 3, // 农副食品加工, 电子设备, 公共设施管理, 机动车修理
  A01: 4, C18: 4, C29: 4, C34: 4, C35: 4, D44: 4, // 农业, 服装, 橡胶塑料, 通用/专用设备, 电力
  C21: 5, G54: 5, // 家具制造, 道路运输
  A04: 6, C26: 6, C30: 6, C31: 6, C32: 6, E47: 6, E48: 6, // 渔业, 化学原料, 非金属矿物制品, 冶炼, 房屋建筑, 土木工程
  B06: 8, B10: 8, // 煤炭开采和洗选, 非金属矿采选
};

export function rateClassOf(i: Industry): number {
  const c = RATE_CLASS_OF_DIVISION[i.code.slice(0, 3)];
  if (!c) throw new Error(`no 行业风险类别 for ${i.code}`);
  return c;
}

/** Average yearly wage per insured worker (元) by GB/T 4754 section, roughly 江苏's urban employers of 2024. */
export const YEARLY_WAGE: Record<string, number> = {
  A: 52000, B: 105000, C: 82000, D: 150000, E: 76000, F: 78000, G: 90000, H: 52000, I: 160000,
  J: 165000, K: 88000, L: 80000, M: 125000, N: 62000, O: 56000, P: 110000, Q: 128000, R: 85000,
};

// ------------------------------------------------------------------ 培训 and 检查 (training, inspections)

export const TRAINING_COURSES: Record<'hrss' | 'emergency' | 'union', string[]> = {
  hrss: ['工伤预防项目·重点岗位职工安全培训', '工伤预防项目·职业病危害防护培训', '工伤预防项目·企业负责人和安全管理人员培训'],
  emergency: ['主要负责人和安全生产管理人员安全培训', '特种作业人员安全技术培训', '有限空间作业安全培训', '粉尘防爆安全培训'],
  union: ['职工安全健康知识培训', '“安康杯”安全知识宣讲', '职工劳动保护监督员培训'],
};

/** What inspectors write down when they find a hazard, per inspecting department. */
export const INSPECTION_HAZARDS: Record<'emergency' | 'health' | 'housing' | 'transport', string[]> = {
  emergency: ['特种作业人员未持证上岗', '设备防护装置缺失', '有限空间作业未审批', '安全警示标志缺失', '应急预案未演练'],
  health: ['除尘设施未正常运行', '未按规定配发个体防护用品', '职业病危害告知卡缺失', '未组织在岗期间职业健康检查'],
  housing: ['临边防护缺失', '脚手架搭设不规范', '塔吊限位装置失效', '施工用电未做到三级配电两级保护'],
  transport: ['车辆动态监控未落实', '驾驶员超时驾驶', '车辆安全例检记录缺失'],
};
