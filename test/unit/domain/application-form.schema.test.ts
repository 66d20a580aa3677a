import { describe, expect, it } from 'vitest';
import {
  FORM_SECTIONS,
  applicationFormSchema,
  draftFormSchema,
  fieldLabels,
  labelForPath,
  pruneEmpty,
} from '../../../schemas/application-form.schema.ts';
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
