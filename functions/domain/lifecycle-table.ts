import { InvalidTransitionError } from './accreditation-errors.ts';

/**
 * A lifecycle as data: its states and the transitions between them, each with
 * the trigger that fires it and the article it comes from. `basis: 'policy'`
 * marks a transition the regulation leaves open and the organisation decides
 * (MISSION.md, "interpretations written down").
 */
export interface Transition<S extends string, T extends string = string> {
  readonly from: S;
  readonly to: S;
  readonly trigger: T;
  readonly article: string;
  readonly basis: 'regulation' | 'policy';
}

export interface Lifecycle<S extends string, T extends string = string> {
  readonly entity: 'application' | 'site' | 'session';
  readonly states: readonly S[];
  readonly initial: S;
  readonly terminal: readonly S[];
  readonly transitions: ReadonlyArray<Transition<S, T>>;
}

/** The transitions allowed from `from` to `to` (several triggers may share a pair). */
export function transitionsBetween<S extends string, T extends string>(lifecycle: Lifecycle<S, T>, from: S, to: S): Array<Transition<S, T>> {
  return lifecycle.transitions.filter((t) => t.from === from && t.to === to);
}

/**
 * Returns the transition from `from` to `to` (by `trigger` when given).
 * @throws InvalidTransitionError (409, `INVALID_TRANSITION`) when the table has none.
 */
export function assertLifecycleTransition<S extends string, T extends string>(
  lifecycle: Lifecycle<S, T>,
  from: S,
  to: S,
  trigger?: T,
): Transition<S, T> {
  const match = transitionsBetween(lifecycle, from, to).find((t) => trigger === undefined || t.trigger === trigger);
  if (!match) throw new InvalidTransitionError(lifecycle.entity, from, to);
  return match;
}

/**
 * Renders the table as a Mermaid `stateDiagram-v2`, one edge per pair with
 * its triggers and articles, for the README.
 */
export function lifecycleToMermaid<S extends string, T extends string>(lifecycle: Lifecycle<S, T>): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${lifecycle.initial}`];
  const pairs = new Map<string, Array<Transition<S, T>>>();
  for (const t of lifecycle.transitions) {
    const key = `${t.from} --> ${t.to}`;
    pairs.set(key, [...(pairs.get(key) ?? []), t]);
  }
  for (const [pair, list] of pairs) {
    const label = list.map((t) => `${t.trigger} (${t.basis === 'policy' ? 'policy, ' : ''}${t.article})`).join(' / ');
    lines.push(`  ${pair}: ${label}`);
  }
  for (const state of lifecycle.terminal) lines.push(`  ${state} --> [*]`);
  return `${lines.join('\n')}\n`;
}
