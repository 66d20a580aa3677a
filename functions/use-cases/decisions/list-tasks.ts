import { listPendingDecisionsOf } from '../../adapters/stores/decisions.ts';
import { type Page } from '../../adapters/stores/table.ts';
import { type Principal, requireGroup } from '../../shared/identity.ts';
import { decisionSummary } from './decision-view.ts';

/** `GET /v1/tasks`: my pending decisions, earliest deadline first (gsi1), without tokens. */
export async function listMyTasks(principal: Principal, page: { cursor?: string; limit?: number }): Promise<Page<ReturnType<typeof decisionSummary>>> {
  requireGroup(principal, 'reviewer', 'admin');
  const out = await listPendingDecisionsOf(principal.sub, page);
  return { items: out.items.map((d) => decisionSummary(d)), cursor: out.cursor };
}
