import { z } from 'zod';
import { isPlausibleName, MAX_NAME_LENGTH } from '../customers/customer-name.ts';
import { normalizePhone } from '../customers/phone.ts';
import { fieldErrors } from '../validation/field-errors.ts';
import { humanText } from '../validation/human-text.ts';
import { qrSourceCodeSchema } from './qr-source-code.ts';
import { COMPANIONS, HEARD_FROM } from './registration-options.ts';

/**
 * A registration as the H5 form and the API send it. Shapes only; whether the source
 * exists and the model is on offer is checked against the database by registerCustomer.
 */
export const registrationRequestSchema = z.object({
  source: qrSourceCodeSchema,
  name: humanText({ required: 'is required: your name, e.g. 张伟', max: MAX_NAME_LENGTH })
    .refine(isPlausibleName, 'must be a name with letters, e.g. 张伟 or 张先生, not digits, a link or markup'),
  phone: z
    .string({ error: (issue) => (issue.input == null ? 'is required: a mobile number, e.g. 13812345678' : 'must be text: a mobile number, e.g. "13812345678"') })
    .transform((raw, ctx) => {
      const e164 = normalizePhone(raw);
      if (e164 === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a valid mobile number: 11 digits for mainland China (e.g. 13812345678), or + and the country code for others',
        });
        return z.NEVER;
      }
      return e164;
    }),
  modelOfInterest: humanText({ required: 'is required: one of the store\'s models, or "not_sure"', max: 60 }),
  heardFrom: z.enum(HEARD_FROM, { error: `must be one of ${HEARD_FROM.join(', ')}` }),
  companions: z
    .array(z.enum(COMPANIONS, { error: `each must be one of ${COMPANIONS.join(', ')}` }), {
      error: `must be a list of ${COMPANIONS.join(', ')}`,
    })
    .max(COMPANIONS.length)
    .nullish()
    .transform((list) => [...new Set(list ?? [])]),
  serviceConsent: z.literal(true, {
    error: 'must be true: registering needs your agreement to the privacy notice',
  }),
  marketingConsent: z
    .boolean({ error: 'must be true or false (it never affects the gift)' })
    .nullish()
    .transform((consent) => consent ?? false),
});

/** What the form sends (before normalization). */
export type RegistrationRequestInput = z.input<typeof registrationRequestSchema>;
/** A registration after shape validation; `phone` is E.164. */
export type RegistrationRequest = z.output<typeof registrationRequestSchema>;

/** A registration that cannot be accepted; `fields` maps each bad field to what to fix. */
export class RegistrationInvalidError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`Invalid registration: ${Object.entries(fields).map(([f, m]) => `${f} ${m}`).join('; ')}`);
    this.name = 'RegistrationInvalidError';
  }
}

/** Validates the shape of a registration; throws RegistrationInvalidError naming every bad field. */
export function parseRegistrationRequest(body: unknown): RegistrationRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RegistrationInvalidError({ body: 'must be a JSON object with the registration fields' });
  }
  const result = registrationRequestSchema.safeParse(body);
  if (result.success) return result.data;
  throw new RegistrationInvalidError(fieldErrors(result.error));
}
