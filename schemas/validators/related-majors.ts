/**
 * The related majors of Art.9(1), as data: the applicant chooses from these
 * (by code) instead of typing a major and its group freely.
 *
 * Catalogue: 普通高等学校高等职业教育（专科）专业目录 (the vocational-major
 * catalogue for higher vocational colleges, 专科), part of the 职业教育专业目录
 * (2021年) published by the Ministry of Education (教职成〔2021〕2号).
 * Six-digit codes: two for the major group (53 财经商贸大类, 57 教育与体育大类),
 * two for the class, two for the major.
 *
 * Art.9(1) names five majors and their classes, each list ending in 等
 * ("and the like"): 财经商贸类（跨境电子商务、电子商务、移动商务等）,
 * 经济贸易类（国际经济与贸易、国际商务等）, 语言类（商务英语等）,
 * 工商管理类（市场营销）. `named: true` marks the majors the article names
 * (regulation); the others are further majors of the same catalogue classes,
 * admitted as the organisation's reading of 等 (policy).
 *
 * How sure the codes are: the six majors of class 5307 电子商务类 (names and
 * their order) were checked against a published summary of the 2021
 * catalogue; every code here was written from knowledge of the catalogue and
 * NOT checked against the ministry's own text (`uncertain: true` on the
 * entries outside 5307, whose class order is least certain). An admin should
 * confirm them against the published catalogue before production.
 *
 * Not covered: the vocational bachelor (职业本科, 3xxxxx), secondary
 * vocational (中职, 7xxxxx) and undergraduate (本科) catalogues.
 */
export const RELATED_MAJOR_CATALOGUE = '普通高等学校高等职业教育（专科）专业目录（2021年）';

/** The groups Art.9(1) names. */
export const MAJOR_GROUPS = ['finance-commerce', 'economics-trade', 'language', 'business-administration'] as const;
export type MajorGroup = (typeof MAJOR_GROUPS)[number];

export interface RelatedMajor {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  /** The Art.9(1) group it counts under. */
  readonly group: MajorGroup;
  /** The catalogue class (专业类) code and name. */
  readonly catalogueClass: string;
  /** True when Art.9(1) names the major itself; false when admitted by policy as "等" (same class). */
  readonly named: boolean;
  /** True when the code could not be checked against the published catalogue. */
  readonly uncertain?: true;
}

const major = (
  code: string,
  zh: string,
  en: string,
  group: MajorGroup,
  catalogueClass: string,
  named: boolean,
  uncertain = false,
): RelatedMajor => Object.freeze({ code, zh, en, group, catalogueClass, named, ...(uncertain ? { uncertain: true as const } : {}) });

const EC = '5307 电子商务类';
const TRADE = '5305 经济贸易类';
const BA = '5306 工商管理类';
const LANG = '5702 语言类';

export const RELATED_MAJORS: readonly RelatedMajor[] = Object.freeze([
  major('530701', '电子商务', 'E-commerce', 'finance-commerce', EC, true),
  major('530702', '跨境电子商务', 'Cross-border e-commerce', 'finance-commerce', EC, true),
  major('530703', '移动商务', 'Mobile commerce', 'finance-commerce', EC, true),
  major('530704', '网络营销与直播电商', 'Online marketing and live-stream e-commerce', 'finance-commerce', EC, false),
  major('530705', '农村电子商务', 'Rural e-commerce', 'finance-commerce', EC, false),
  major('530706', '商务数据分析与应用', 'Business data analysis and application', 'finance-commerce', EC, false),
  major('530501', '国际经济与贸易', 'International economics and trade', 'economics-trade', TRADE, true, true),
  major('530502', '国际商务', 'International business', 'economics-trade', TRADE, true, true),
  major('570201', '商务英语', 'Business English', 'language', LANG, true, true),
  major('530605', '市场营销', 'Marketing', 'business-administration', BA, true, true),
  major('530601', '工商企业管理', 'Business administration', 'business-administration', BA, false, true),
]);

/** The codes the form accepts, in catalogue order. */
export const RELATED_MAJOR_CODES = RELATED_MAJORS.map((m) => m.code) as [string, ...string[]];

const BY_CODE: ReadonlyMap<string, RelatedMajor> = new Map(RELATED_MAJORS.map((m) => [m.code, m]));
const BY_NAME: ReadonlyMap<string, RelatedMajor> = new Map(RELATED_MAJORS.map((m) => [m.zh, m]));

/** The related major of a catalogue code, if the code is one. */
export function findRelatedMajor(code: string): RelatedMajor | undefined {
  return BY_CODE.get(code);
}

/** The related major of an exact catalogue name (used to upgrade version-1 drafts that typed the name). */
export function findRelatedMajorByName(name: string): RelatedMajor | undefined {
  return BY_NAME.get(name.trim());
}
