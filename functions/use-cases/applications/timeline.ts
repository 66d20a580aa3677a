import type { z } from 'zod/mini';
import type { timelineEventSchema } from '../../../schemas/api/applications.schema.ts';
import { type Actor, type Item } from '../../adapters/stores/table.ts';
import { getStaff } from '../../adapters/stores/staff.ts';

export type TimelineEvent = z.infer<typeof timelineEventSchema>;
type DisplayName = TimelineEvent['actor']['displayName'];

const ROLE_LABELS: Record<string, DisplayName> = {
  applicant: { zh: '申请单位', en: 'Applicant' },
  reviewer: { zh: '审核员', en: 'Reviewer' },
  admin: { zh: '管理员', en: 'Administrator' },
};
const SYSTEM: DisplayName = { zh: '系统', en: 'System' };

/** Outcomes the applicant reads as decisions on the platform (Art.4). */
export const DECISION_TARGETS: readonly string[] = ['RETURNED', 'REJECTED', 'APPROVED', 'CLOSED'];

function asActor(value: unknown): Actor {
  if (value && typeof value === 'object' && typeof (value as Actor).id === 'string') return value as Actor;
  return { kind: 'system', id: 'unknown' };
}

/**
 * Audit items as timeline events with display names: the name the event
 * recorded, else the staff directory's, else the role; `details` only for
 * staff (they may hold reviewer notes).
 */
export async function toTimeline(items: readonly Item[], forStaff: boolean): Promise<TimelineEvent[]> {
  const unnamed = new Set(
    items.map((item) => asActor(item.actor)).filter((a) => a.kind === 'user' && !a.name).map((a) => a.id),
  );
  const staff = new Map(
    await Promise.all([...unnamed].map(async (sub) => [sub, (await getStaff(sub))?.name] as const)),
  );
  return items.map((item) => {
    const actor = asActor(item.actor);
    const name = actor.name ?? staff.get(actor.id);
    const displayName: DisplayName =
      actor.kind === 'system' ? SYSTEM : name ? { zh: name, en: name } : (ROLE_LABELS[actor.role ?? ''] ?? { zh: '用户', en: 'User' });
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const event: TimelineEvent = {
      at: String(item.at),
      action: String(item.action ?? ''),
      actor: { kind: actor.kind, id: actor.id, ...(actor.role ? { role: actor.role } : {}), displayName },
    };
    const from = str(item.from);
    const to = str(item.to);
    const reason = str(item.reason);
    const article = str(item.article);
    return {
      ...event,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(reason ? { reason } : {}),
      ...(article ? { article } : {}),
      ...(forStaff && item.details && typeof item.details === 'object' ? { details: item.details as Record<string, unknown> } : {}),
    };
  });
}
