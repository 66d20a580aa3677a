import * as z from 'zod/mini';

/** A rendered e-mail on the mail queue: zh-CN first, English second, text and HTML. */
export const mailMessageSchema = z.object({
  /** Stable id (dedupe on redelivery). */
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  to: z.array(z.email()).check(z.minLength(1), z.maxLength(50)),
  subject: z.string().check(z.minLength(1), z.maxLength(300)),
  text: z.string().check(z.minLength(1)),
  html: z.string().check(z.minLength(1)),
  /** What the message is about, for the mail log (`decision-request`, `application-returned`, …). */
  tag: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/)),
});

export type MailMessage = z.infer<typeof mailMessageSchema>;
