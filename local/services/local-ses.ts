import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { nowMs } from '../../functions/shared/clock.ts';
import { AwsServiceError, closeServer, listenLocal, readBody, sendJson } from './aws-json-server.ts';

interface SesContent {
  Simple?: {
    Subject?: { Data?: string };
    Body?: { Text?: { Data?: string }; Html?: { Data?: string } };
    Headers?: Array<{ Name: string; Value: string }>;
  };
  Raw?: { Data?: string };
}

interface SendEmailInput {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ReplyToAddresses?: string[];
  Content?: SesContent;
  ConfigurationSetName?: string;
}

/** One message written to the outbox. */
export interface OutboxMessage {
  readonly messageId: string;
  readonly file: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly sentAt: string;
}

/**
 * SES v2 `SendEmail` (`POST /v2/email/outbound-emails`) writing each message
 * as a real MIME `.eml` file into an outbox folder, named by virtual time.
 */
export class LocalSes {
  private server: Server | undefined;
  private readonly sent: OutboxMessage[] = [];
  private arrivals: Array<() => void> = [];
  port = 0;

  constructor(readonly outboxDir: string) {
    mkdirSync(outboxDir, { recursive: true });
  }

  async start(port: number): Promise<this> {
    this.server = createServer((req, res) => {
      void (async () => {
        try {
          if (req.method !== 'POST' || !req.url?.startsWith('/v2/email/outbound-emails')) {
            throw new AwsServiceError('NotFoundException', `unsupported ${req.method} ${req.url}`, 404);
          }
          const input = JSON.parse((await readBody(req)).toString('utf8')) as SendEmailInput;
          const message = await this.sendEmail(input);
          sendJson(res, 200, { MessageId: message.messageId });
        } catch (error) {
          const e = error instanceof AwsServiceError ? error : new AwsServiceError('BadRequestException', String(error));
          res.setHeader('x-amzn-errortype', e.type);
          sendJson(res, e.statusCode, { message: e.message }, 'application/json');
        }
      })();
    });
    this.port = await listenLocal(this.server, port);
    return this;
  }

  /** Messages sent since start, oldest first. */
  messages(): readonly OutboxMessage[] {
    return this.sent;
  }

  /** Resolves when the next message lands in the outbox (for readers that wait on mail without polling). */
  nextMessage(): Promise<void> {
    return new Promise((resolve) => this.arrivals.push(resolve));
  }

  async sendEmail(input: SendEmailInput): Promise<OutboxMessage> {
    const to = input.Destination?.ToAddresses ?? [];
    if (!input.FromEmailAddress) throw new AwsServiceError('BadRequestException', 'FromEmailAddress is required');
    if (to.length === 0) throw new AwsServiceError('BadRequestException', 'at least one destination is required');
    const simple = input.Content?.Simple;
    if (!simple && !input.Content?.Raw?.Data) throw new AwsServiceError('BadRequestException', 'Content is required');
    const messageId = `${nowMs().toString(36)}-${randomUUID()}`;
    const sentAt = new Date(nowMs()).toISOString();
    let eml: Buffer;
    const subject = simple?.Subject?.Data ?? '';
    const text = simple?.Body?.Text?.Data ?? '';
    const html = simple?.Body?.Html?.Data ?? '';
    if (simple) {
      const composer = new MailComposer({
        from: input.FromEmailAddress,
        to,
        cc: input.Destination?.CcAddresses,
        bcc: input.Destination?.BccAddresses,
        replyTo: input.ReplyToAddresses,
        subject,
        text,
        html: html || undefined,
        date: new Date(nowMs()),
        messageId: `<${messageId}@local.ses>`,
        headers: Object.fromEntries((simple.Headers ?? []).map((h) => [h.Name, h.Value])),
      });
      eml = await composer.compile().build();
    } else {
      eml = Buffer.from(input.Content!.Raw!.Data!, 'base64');
    }
    const file = join(this.outboxDir, `${sentAt.replace(/[:.]/g, '-')}-${messageId.slice(-8)}.eml`);
    await writeFile(file, eml);
    const message: OutboxMessage = { messageId, file, to, subject, text, html, sentAt };
    this.sent.push(message);
    const arrivals = this.arrivals;
    this.arrivals = [];
    for (const resolve of arrivals) resolve();
    return message;
  }

  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}

/** Lists `.eml` files of an outbox folder (newest last). */
export function listOutbox(outboxDir: string): Array<{ file: string; content: string }> {
  return readdirSync(outboxDir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => ({ file: join(outboxDir, f), content: readFileSync(join(outboxDir, f), 'utf8') }));
}
