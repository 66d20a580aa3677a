import { describe, expect, it } from 'vitest';
import {
  FORM_SECTIONS,
  applicationFormSchema,
  draftFormSchema,
  fieldLabels,
  labelForPath,
  pruneEmpty,
  upgradeStoredForm,
} from '../../../schemas/application-form.schema.ts';
import { RELATED_MAJORS, findRelatedMajor } from '../../../schemas/validators/related-majors.ts';
import { pilotCollegeSchema } from '../../../schemas/pilot-college.schema.ts';
import { makeValidForm, pilotRegister, validForm } from './fixtures/valid-form.ts';

interface SchemaNode {
  _zod: { def: { type: string; shape?: Record<string, SchemaNode>; element?: SchemaNode; innerType?: SchemaNode } };
}

/** Every path of the schema, with `*` for array items (what `fieldLabels` is keyed by). */
function schemaPaths(node: SchemaNode, prefix = ''): string[] {
  const def = node._zod.def;
  if (def.type === 'optional' || def.type === 'default') return schemaPaths(def.innerType!, prefix);
  const here = prefix ? [prefix] : [];
  if (def.type === 'object') {
    return [...here, ...Object.entries(def.shape!).flatMap(([key, child]) => schemaPaths(child, prefix ? `${prefix}.${key}` : key))];
  }
  if (def.type === 'array') {
    const element = def.element!._zod.def.type === 'object' ? schemaPaths(def.element!, `${prefix}.*`) : [];
    return [...here, ...element];
  }
  return here;
}

describe('application-form.schema', () => {
  describe('applicationFormSchema', () => {
    it('accepts the complete valid fixture unchanged', () => {
      const parsed = applicationFormSchema.parse(validForm);

      expect(parsed).toEqual(validForm);
    });

    it('refuses a form with a section missing at submission', () => {
      const { examOffice: _omitted, ...form } = makeValidForm();

      const result = applicationFormSchema.safeParse(form);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['examOffice']);
    });

    it('refuses a credit code whose GB 32100-2015 check character is wrong', () => {
      const form = makeValidForm();
      form.institution.creditCode = '12440100455861238J';

      const result = applicationFormSchema.safeParse(form);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['institution.creditCode']);
    });

    it('refuses a city that is not in the province (GB/T 2260: same first two digits)', () => {
      const form = makeValidForm();
      form.institution.cityCode = '350200';

      const result = applicationFormSchema.safeParse(form);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['institution.cityCode']);
    });

    it("refuses a site manager's ID number with a wrong check digit (ISO 7064 MOD 11-2)", () => {
      const form = makeValidForm();
      form.siteManager.idNumber = '440106198507152310';

      expect(applicationFormSchema.safeParse(form).error?.issues[0]?.path).toEqual(['siteManager', 'idNumber']);
    });

    it('refuses a malformed candidate subnet and a non-contiguous invigilator mask', () => {
      const form = makeValidForm();
      form.examRooms[0]!.candidateSubnet = '192.168.101.0';
      form.examRooms[0]!.invigilatorPc.subnetMask = '255.0.255.0';

      const paths = applicationFormSchema.safeParse(form).error?.issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(['examRooms.0.candidateSubnet', 'examRooms.0.invigilatorPc.subnetMask']);
    });

    it('accepts figures below the standard: thresholds are screening findings, not format errors', () => {
      const form = makeValidForm();
      form.examRooms[0]!.candidatePcCount = 32;
      form.staff = form.staff.slice(0, 3);

      expect(applicationFormSchema.safeParse(form).success).toBe(true);
    });
  });

  describe('draftFormSchema', () => {
    it('accepts an empty draft and a half-filled one', () => {
      expect(draftFormSchema.safeParse({}).success).toBe(true);
      const half = { institution: { name: '广州南方商贸职业技术学院' }, examRooms: [{ name: 'A101', candidatePc: { ramGb: 8 } }] };
      expect(draftFormSchema.parse(half)).toEqual(half);
    });

    it('still checks the types of the fields present', () => {
      const result = draftFormSchema.safeParse({ examRooms: [{ seats: 'forty' }] });

      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['examRooms', 0, 'seats']);
    });

    it('still checks enumerations', () => {
      expect(draftFormSchema.safeParse({ staff: [{ role: 'janitor' }] }).success).toBe(false);
    });

    it('takes a related major only by a catalogue code of the majors Art.9(1) names, never a free name (Art.9(1))', () => {
      expect(draftFormSchema.safeParse({ majors: { items: [{ majorCode: '530702', annualEnrolment: 40 }] } }).success).toBe(true);
      expect(draftFormSchema.safeParse({ majors: { items: [{ majorCode: '510201', annualEnrolment: 40 }] } }).success).toBe(false);
      expect(applicationFormSchema.safeParse({ ...makeValidForm(), majors: { ...validForm.majors, items: [{ name: '跨境电商', annualEnrolment: 40 }] } }).success).toBe(false);
    });

    it('takes the seating arrangement of a room from its two choices (Art.9(2))', () => {
      expect(draftFormSchema.safeParse({ examRooms: [{ seatingArrangement: 'alternate-seat' }] }).success).toBe(true);
      expect(draftFormSchema.safeParse({ examRooms: [{ seatingArrangement: 'standing' }] }).success).toBe(false);
    });
  });

  describe('related majors (Art.9(1))', () => {
    it('lists six-digit catalogue codes, each once, with the majors the article names marked as named', () => {
      expect(new Set(RELATED_MAJORS.map((m) => m.code)).size).toBe(RELATED_MAJORS.length);
      expect(RELATED_MAJORS.every((m) => /^\d{6}$/.test(m.code))).toBe(true);
      const named = RELATED_MAJORS.filter((m) => m.named).map((m) => m.zh);
      expect(named.sort()).toEqual(['国际商务', '国际经济与贸易', '商务英语', '市场营销', '电子商务', '移动商务', '跨境电子商务'].sort());
      expect(findRelatedMajor('530702')?.zh).toBe('跨境电子商务');
    });
  });

  describe('upgradeStoredForm', () => {
    const v1 = {
      majors: {
        items: [
          { name: '跨境电子商务', majorCode: '530701', category: 'finance-commerce', annualEnrolment: 120 },
          { name: '电子商务', majorCode: '530701', category: 'finance-commerce', annualEnrolment: 150 },
          { name: '跨境电商运营', category: 'finance-commerce', annualEnrolment: 30 },
          { name: '计算机应用技术', category: 'other', annualEnrolment: 200 },
        ],
        certificationExperience: { has: true, description: '1+X' },
      },
      examRooms: [
        { name: 'A101', seats: 45, seatSpacingM: 1.2, alternateSeating: false, multimediaSet: false },
        { name: 'A102', seats: 80, alternateSeating: true, multimediaSet: true },
      ],
    };

    it('maps version-1 majors to catalogue codes by name, keeps the enrolment of an unknown one for the applicant to choose, and drops unrelated ones (Art.9(1))', () => {
      const up = upgradeStoredForm(structuredClone(v1)) as typeof v1;

      expect(up.majors.items).toEqual([{ majorCode: '530702', annualEnrolment: 120 }, { majorCode: '530701', annualEnrolment: 150 }, { annualEnrolment: 30 }]);
      expect(up.majors.certificationExperience).toEqual(v1.majors.certificationExperience);
    });

    it('turns the seating flag into the seating arrangement and one multimedia set for the site (Art.9(2), Art.11(2)4)', () => {
      const up = upgradeStoredForm(structuredClone(v1)) as { examRooms: unknown[]; equipment: unknown };

      expect(up.examRooms).toEqual([
        { name: 'A101', seats: 45, seatSpacingM: 1.2, seatingArrangement: 'every-seat' },
        { name: 'A102', seats: 80, seatingArrangement: 'alternate-seat' },
      ]);
      expect(up.equipment).toEqual({ multimediaSet: true });
    });

    it('leaves a version-2 form unchanged, so it can run on every read', () => {
      expect(upgradeStoredForm(makeValidForm())).toEqual(validForm);
      const once = upgradeStoredForm(structuredClone(v1));
      expect(upgradeStoredForm(structuredClone(once))).toEqual(once);
    });

    it('makes an upgraded complete version-1 form submittable when its majors are in the catalogue', () => {
      const form = makeValidForm() as unknown as Record<string, unknown>;
      const rooms = (form.examRooms as Array<Record<string, unknown>>).map(({ seatingArrangement, ...r }) => ({ ...r, alternateSeating: seatingArrangement === 'alternate-seat', multimediaSet: true }));
      const { equipment: _e, ...rest } = form;
      const old = { ...rest, examRooms: rooms, majors: { ...validForm.majors, items: [{ name: '商务英语', category: 'language', annualEnrolment: 80 }] } };

      expect(applicationFormSchema.safeParse(old).success).toBe(false);
      expect(applicationFormSchema.safeParse(upgradeStoredForm(old)).success).toBe(true);
    });
  });

  describe('pruneEmpty', () => {
    it('drops blank inputs so the draft parses, keeping array positions', () => {
      const raw = { institution: { name: '', address: null }, staff: [{ name: '' }, { name: '李秀英', phone: '' }] };

      const pruned = pruneEmpty(raw);
      expect(pruned).toEqual({ staff: [{}, { name: '李秀英' }] });
      expect(draftFormSchema.safeParse(pruned).success).toBe(true);
    });
  });

  describe('fieldLabels', () => {
    it('labels every field of the form in both languages', () => {
      const paths = schemaPaths(applicationFormSchema as unknown as SchemaNode);

      expect(paths.length).toBeGreaterThan(100);
      const unlabelled = paths.filter((p) => !fieldLabels[p]);
      expect(unlabelled).toEqual([]);
      for (const p of paths) expect(fieldLabels[p]!.zh && fieldLabels[p]!.en, p).toBeTruthy();
    });

    it('labels no path that the form does not have', () => {
      const paths = new Set(schemaPaths(applicationFormSchema as unknown as SchemaNode));

      expect(Object.keys(fieldLabels).filter((p) => !paths.has(p))).toEqual([]);
    });

    it('labels each section the portal shows', () => {
      for (const section of FORM_SECTIONS) expect(fieldLabels[section]).toBeDefined();
    });

    it('resolves a concrete path with array indices', () => {
      expect(labelForPath('examRooms.3.candidatePc.ramGb')).toEqual({ zh: '内存（GB）', en: 'RAM (GB)' });
      expect(labelForPath('staff.12')).toEqual(fieldLabels['staff.*']);
      expect(labelForPath('examRooms.0.nothing')).toBeUndefined();
    });

    it('is plain JSON', () => {
      expect(JSON.parse(JSON.stringify(fieldLabels))).toEqual(fieldLabels);
    });
  });
});

describe('pilot-college.schema', () => {
  it('accepts the fixture register', () => {
    for (const entry of pilotRegister) expect(pilotCollegeSchema.safeParse(entry).success).toBe(true);
  });

  it('refuses an entry whose city is not in its province', () => {
    const result = pilotCollegeSchema.safeParse({ ...pilotRegister[0], cityCode: '350200' });

    expect(result.error?.issues[0]?.path).toEqual(['cityCode']);
  });
});
