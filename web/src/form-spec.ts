import {
  CPU_FAMILIES,
  INCIDENT_KINDS,
  INSTITUTION_TYPES,
  OFFICE_VERSIONS,
  OS_LANGUAGES,
  OS_NAMES,
  ROUTER_CAPABILITIES,
  SCREEN_ASPECTS,
  SEATING_ARRANGEMENTS,
  STAFF_ROLES,
  type FormSection,
} from '../../schemas/application-form.schema.ts';
import { PROVINCES } from '../../schemas/validators/region-codes.ts';
import { RELATED_MAJOR_CODES } from '../../schemas/validators/related-majors.ts';

/**
 * How each field of the application form is entered. The field names and
 * sections come from schemas/application-form.schema.ts, the labels from its
 * `fieldLabels`; this file only says which control each field gets.
 */
export type FieldSpec =
  | { readonly key: string; readonly type: 'text' | 'email' | 'tel' | 'date' | 'textarea' }
  | { readonly key: string; readonly type: 'number'; readonly int?: boolean; readonly step?: string }
  | { readonly key: string; readonly type: 'bool' }
  | { readonly key: string; readonly type: 'enum'; readonly options: readonly (string | number)[]; readonly labelled?: 'choice' | 'province' | 'major' | 'none' }
  | { readonly key: string; readonly type: 'multi'; readonly options: readonly string[] }
  | { readonly key: string; readonly type: 'group'; readonly fields: readonly FieldSpec[] }
  | { readonly key: string; readonly type: 'list'; readonly item: readonly FieldSpec[]; readonly max: number };

const text = (key: string): FieldSpec => ({ key, type: 'text' });
const int = (key: string): FieldSpec => ({ key, type: 'number', int: true });
const num = (key: string, step = 'any'): FieldSpec => ({ key, type: 'number', step });
const bool = (key: string): FieldSpec => ({ key, type: 'bool' });
const choice = (key: string, options: readonly string[]): FieldSpec => ({ key, type: 'enum', options, labelled: 'choice' });
const group = (key: string, fields: readonly FieldSpec[]): FieldSpec => ({ key, type: 'group', fields });
const resolution = (key: string) => group(key, [int('width'), int('height')]);

const pcBase: readonly FieldSpec[] = [
  group('cpu', [choice('family', CPU_FAMILIES), int('generation'), text('model')]),
  num('ramGb'),
  num('diskGb'),
  bool('ssd'),
  num('nicMbps'),
  group('screen', [num('inches'), { key: 'aspect', type: 'enum', options: SCREEN_ASPECTS, labelled: 'none' }, resolution('resolution')]),
  group('os', [choice('name', OS_NAMES), choice('language', OS_LANGUAGES), { key: 'bits', type: 'enum', options: [64, 32], labelled: 'none' }]),
  int('chromeVersion'),
  int('firefoxVersion'),
  bool('sogouInput'),
  bool('usbCanBeDisabled'),
  bool('networkSyncRestore'),
];

export const SECTION_FIELDS: Readonly<Record<FormSection, readonly FieldSpec[]>> = {
  institution: [
    text('name'),
    text('creditCode'),
    choice('type', INSTITUTION_TYPES),
    { key: 'provinceCode', type: 'enum', options: PROVINCES.map((p) => p.code), labelled: 'province' },
    text('cityCode'),
    text('address'),
    bool('legalEntity'),
    group('schoolRunningLicence', [bool('held'), text('number'), text('issuedBy')]),
  ],
  majors: [
    // Art.9(1): chosen from the majors the article names, by catalogue code (schemas/validators/related-majors.ts).
    { key: 'items', type: 'list', max: 50, item: [{ key: 'majorCode', type: 'enum', options: RELATED_MAJOR_CODES, labelled: 'major' }, int('annualEnrolment')] },
    group('certificationExperience', [bool('has'), { key: 'description', type: 'textarea' }]),
  ],
  siteManager: [text('name'), { key: 'phone', type: 'tel' }, { key: 'email', type: 'email' }, text('idNumber'), text('position')],
  staff: [
    {
      key: '',
      type: 'list',
      max: 200,
      item: [choice('role', STAFF_ROLES), text('name'), { key: 'phone', type: 'tel' }, bool('examExperience'), { key: 'experienceDescription', type: 'textarea' }],
    },
  ],
  examRooms: [
    {
      key: '',
      type: 'list',
      max: 100,
      item: [
        text('name'),
        int('seats'),
        choice('seatingArrangement', SEATING_ARRANGEMENTS),
        num('seatSpacingM'),
        int('candidatePcCount'),
        group('candidatePc', [...pcBase, choice('officeVersion', OFFICE_VERSIONS), num('winrarVersion'), bool('messagingSoftwareInstalled')]),
        text('candidateSubnet'),
        group('invigilatorPc', [...pcBase, text('fixedIp'), text('subnetMask'), bool('electronicClassroomSoftware'), text('electronicClassroomSoftwareName')]),
        group('cameras', [int('count'), num('megapixels'), resolution('resolution'), bool('recordsAudio'), bool('storesRecordings')]),
        num('upsHours'),
      ],
    },
  ],
  examOffice: [int('count'), { key: 'description', type: 'textarea' }],
  equipment: [bool('multimediaSet'), { key: 'multimediaDescription', type: 'textarea' }],
  network: [
    num('lanMbps'),
    num('uplinkMbps'),
    group('router', [text('model'), { key: 'capabilities', type: 'multi', options: ROUTER_CAPABILITIES }]),
    bool('examSiteReachable'),
    bool('nonExamSitesBlocked'),
  ],
  safety: [
    group('building', [bool('structure'), bool('fire'), bool('lighting'), bool('ventilation'), bool('sanitation')]),
    bool('roomsCentralised'),
    bool('evacuationRoutesCertified'),
    bool('safetyManagementSystem'),
    { key: 'incidents', type: 'list', max: 50, item: [choice('kind', INCIDENT_KINDS), { key: 'date', type: 'date' }, { key: 'description', type: 'textarea' }] },
    group('power', [bool('stableSupply'), bool('dualSupply')]),
    group('support', [bool('security'), bool('logistics'), bool('medical')]),
  ],
  nationalExams: [{ key: '', type: 'list', max: 100, item: [text('name'), int('year'), int('candidates')] }],
};

/** The article each section answers, shown in its heading. */
export const SECTION_ARTICLES: Readonly<Record<FormSection, string>> = {
  institution: 'Art.9(1)',
  majors: 'Art.9(1)',
  siteManager: 'Art.3(2)',
  staff: 'Art.9(3), Art.10',
  examRooms: 'Art.9(2), Art.9(6), Art.11',
  examOffice: 'Art.9(2)',
  equipment: 'Art.11(2)4',
  network: 'Art.11(2)',
  safety: 'Art.9(4)–(7)',
  nationalExams: 'Art.3(4)',
};

/** Joins path segments, skipping empty keys (a list that is the whole section). */
export function joinPath(...parts: Array<string | number>): string {
  return parts.filter((p) => p !== '').join('.');
}

/** The value at a dotted path. */
export function getAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** A copy of `root` with `value` at `path`, creating objects and arrays on the way. */
export function setAt<T>(root: T, path: string, value: unknown): T {
  const segs = path.split('.').filter(Boolean);
  const clone = (v: unknown, nextIsIndex: boolean): Record<string, unknown> | unknown[] =>
    Array.isArray(v) ? [...v] : v && typeof v === 'object' ? { ...(v as Record<string, unknown>) } : nextIsIndex ? [] : {};
  const out = clone(root, /^\d+$/.test(segs[0] ?? '')) as Record<string, unknown>;
  let cur = out;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i]!;
    const next = clone(cur[seg], /^\d+$/.test(segs[i + 1]!)) as Record<string, unknown>;
    cur[seg] = next;
    cur = next;
  }
  cur[segs[segs.length - 1]!] = value;
  return out as T;
}

/** Every path the form renders for the current draft (lists by their length), deepest last. */
export function renderedPaths(draft: Record<string, unknown>, sections: readonly FormSection[]): string[] {
  const out: string[] = [];
  const walk = (prefix: string, specs: readonly FieldSpec[]) => {
    for (const spec of specs) {
      const path = joinPath(prefix, spec.key);
      out.push(path);
      if (spec.type === 'group') walk(path, spec.fields);
      if (spec.type === 'list') {
        const items = getAt(draft, path);
        const n = Array.isArray(items) ? items.length : 0;
        for (let i = 0; i < n; i++) {
          out.push(joinPath(path, i));
          walk(joinPath(path, i), spec.item);
        }
      }
    }
  };
  for (const s of sections) {
    out.push(s);
    walk(s, SECTION_FIELDS[s]);
  }
  return [...new Set(out)];
}

/** The rendered path a finding about `path` is shown beside: itself, or its nearest rendered ancestor. */
export function anchorOf(path: string, rendered: ReadonlySet<string>): string | undefined {
  const segs = path.split('.');
  for (let n = segs.length; n > 0; n--) {
    const candidate = segs.slice(0, n).join('.');
    if (rendered.has(candidate)) return candidate;
  }
  return undefined;
}

/** A DOM id for a form path (ids cannot hold dots in CSS selectors comfortably). */
export function fieldId(path: string): string {
  return `f-${path.replace(/\./g, '-')}`;
}
