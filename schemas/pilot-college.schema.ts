import * as z from 'zod/mini';
import { cityBelongsToProvince } from './validators/region-codes.ts';
import { cityCodeSchema, creditCodeSchema, provinceCodeSchema } from './form-fields.ts';

/**
 * An entry of the pilot register (试点院校名单), kept by the organisation's
 * admins. During the pilot only colleges on it may apply (Art.3(2)), and
 * Art.8 counts prefecture-level cities from it. Eligibility comes from this
 * register, never from a field the applicant fills in.
 */
export const pilotCollegeSchema = z
  .object({
    creditCode: creditCodeSchema,
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    provinceCode: provinceCodeSchema,
    cityCode: cityCodeSchema,
    /** An inactive entry (left the pilot) no longer makes the college eligible. */
    active: z.boolean(),
    note: z.optional(z.string().check(z.maxLength(500))),
    updatedAt: z.optional(z.iso.datetime()),
    updatedBy: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  })
  .check(
    z.refine((entry) => cityBelongsToProvince(entry.cityCode, entry.provinceCode), {
      message: 'The city is not in the province',
      path: ['cityCode'],
    }),
  );
export type PilotCollege = z.infer<typeof pilotCollegeSchema>;

export const pilotRegisterSchema = z.array(pilotCollegeSchema);
export type PilotRegister = z.infer<typeof pilotRegisterSchema>;
