import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applicationLifecycleMermaid } from '../functions/domain/application-lifecycle.ts';
import { siteLifecycleMermaid } from '../functions/domain/site-lifecycle.ts';
import { FINDING_DEFINITIONS, type FindingCode } from '../functions/domain/screening/finding-codes.ts';
import { CURRENT_STANDARD_VERSION, STANDARD_VERSIONS } from '../functions/domain/screening/standard-versions.ts';
import { routes } from '../functions/catalog.ts';
import { apiSchemas } from '../schemas/api/index.ts';
import { deadlinesSchema } from '../schemas/config.schema.ts';
import { EVIDENCE_KIND_SPECS, EVIDENCE_KINDS } from '../schemas/evidence.schema.ts';
import { attemptLimit, formatSize } from '../functions/domain/evidence-requirements.ts';
import { workflowFiles } from '../workflows/index.ts';
import { RUBRIC_VERSIONS } from '../functions/domain/supervision/rubric.ts';
import { DEFAULT_SANCTION_LADDER } from '../functions/domain/supervision/sanction-ladder.ts';

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next: string; Variable?: string; [k: string]: unknown }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  Branches?: Array<{ StartAt: string; States: Record<string, AslState> }>;
  Resource?: string;
  Parameters?: Record<string, unknown>;
}

const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, '_');

const OPERATORS: Array<[RegExp, string]> = [
  [/GreaterThanEquals/, '≥'],
  [/LessThanEquals/, '≤'],
  [/GreaterThan/, '>'],
  [/LessThan/, '<'],
  [/Equals/, '='],
  [/Matches/, '~'],
  [/IsPresent/, 'present'],
  [/IsNull/, 'is null'],
];

function describeChoice(rule: Record<string, unknown>): string {
  const op = Object.keys(rule).find((k) => !['Variable', 'Next'].includes(k));
  if (!op) return '';
  if (op === 'And' || op === 'Or' || op === 'Not') return op.toLowerCase();
  const symbol = OPERATORS.find(([re]) => re.test(op))?.[1] ?? op;
  const raw = rule[op];
  const value = op.endsWith('Path') ? String(raw).replace(/^\$\./, '') : typeof raw === 'string' ? raw : JSON.stringify(raw);
  const variable = String(rule.Variable ?? '').replace(/^\$\./, '');
  return `${variable} ${symbol} ${value}`.replace(/"/g, "'");
}

/** `decision-task` for `${DecisionTaskStateMachineArn}`: the child a startExecution task names. */
function childOf(state: AslState): string | undefined {
  const arn = state.Parameters?.StateMachineArn;
  const m = typeof arn === 'string' ? /^\$\{([A-Za-z0-9]+)StateMachineArn\}$/.exec(arn) : null;
  return m ? m[1]!.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase() : undefined;
}

/**
 * Renders an ASL definition as a Mermaid flowchart: Next edges, Choice rules,
 * Catch paths (dashed), callbacks marked ⏳, child workflows (startExecution)
 * as subroutines naming the child.
 */
export function aslToMermaid(definition: { StartAt: string; States: Record<string, AslState> }): string {
  const lines = ['flowchart TD', `  start((start)) --> ${id(definition.StartAt)}`];
  for (const [name, state] of Object.entries(definition.States)) {
    const callback = state.Resource?.includes('waitForTaskToken');
    const child = state.Resource?.includes('states:startExecution') ? childOf(state) : undefined;
    const shape =
      state.Type === 'Choice'
        ? `{${name}}`
        : state.Type === 'Succeed'
          ? `([${name}])`
          : state.Type === 'Fail'
            ? `[/${name}/]`
            : callback
              ? `[["${name} ⏳"]]`
              : child
                ? `[["${name} ⇢ ${child}"]]`
                : `["${name}"]`;
    lines.push(`  ${id(name)}${shape}`);
    if (state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    if (state.End || state.Type === 'Succeed') lines.push(`  ${id(name)} --> done((end))`);
    for (const rule of state.Choices ?? []) lines.push(`  ${id(name)} -- "${describeChoice(rule)}" --> ${id(rule.Next)}`);
    if (state.Default) lines.push(`  ${id(name)} -- otherwise --> ${id(state.Default)}`);
    for (const c of state.Catch ?? []) lines.push(`  ${id(name)} -. "${c.ErrorEquals.join(', ')}" .-> ${id(c.Next)}`);
  }
  return lines.join('\n');
}

const root = resolve(import.meta.dirname, '..');

const mermaid = (text: string) => `\`\`\`mermaid\n${text}\n\`\`\``;

/** The API routes as a Markdown table (from the catalogue and the per-route summaries of schemas/api). */
export function routesTable(): string {
  const rows = routes.map((r) => {
    const key = `${r.method} ${r.path}`;
    return `| \`${r.method}\` | \`${r.path}\` | ${apiSchemas[key]?.summary ?? ''} |`;
  });
  return ['| method | path | what it does |', '|---|---|---|', ...rows].join('\n');
}

/** Every screening finding with its article, severity and basis in the current standard (policy with its reason), as a Markdown table. */
export function findingsTable(): string {
  const standard = STANDARD_VERSIONS[CURRENT_STANDARD_VERSION]!;
  const rows = Object.entries(FINDING_DEFINITIONS).map(([code, d]) => {
    const mark = standard.rules[code as FindingCode];
    const basis = mark.basis === 'policy' && mark.reason ? `**policy**: ${mark.reason.zh} / ${mark.reason.en}` : mark.basis;
    return `| \`${code}\` | ${d.article ?? '—'} | ${d.refuses ? 'refuses' : d.severity} | ${basis} | ${d.zh} / ${d.en} |`;
  });
  return ['| code | article | effect | basis | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Every limit an uploader meets, per evidence kind, from the evidence requirements data (and the upload expiry's default). */
export function evidenceLimitsTable(): string {
  const who = { all: 'all', 'non-pilot': 'non-pilot colleges only', none: '—' } as const;
  const uploader: Partial<Record<string, string>> = { reviewer: 'reviewer', site: "never: the site's members, after approval", admin: 'never: an admin, after approval' };
  const rows = EVIDENCE_KINDS.map((kind) => {
    const spec = EVIDENCE_KIND_SPECS[kind];
    const types = spec.contentTypes.map((t) => t.split('/')[1]?.toUpperCase()).join(', ');
    const box = (b: { width: number; height: number } | undefined) => (b ? `${b.width} × ${b.height}` : '');
    const pixels = [spec.minImage ? `≥ ${box(spec.minImage)}` : '', spec.maxImage ? `≤ ${box(spec.maxImage)}` : ''].filter(Boolean).join(', ') || '—';
    const seal = spec.mustBeStamped ? 'yes (confirmed per file)' : 'no';
    return `| \`${kind}\` ${spec.zh} | ${spec.article} | ${uploader[spec.uploadedBy] ?? who[spec.requiredFor]} | ${types} | ${formatSize(spec.minSizeBytes)} – ${formatSize(spec.maxSizeBytes)} | ${spec.minCount} – ${spec.maxCount} | ${pixels} | ${attemptLimit(spec)} | ${seal} |`;
  });
  const expiry = deadlinesSchema.parse({}).uploadExpirySeconds;
  return [
    '| kind | article | required from | file types | size | valid files | photo size (px, long × short side) | upload attempts | seal (Art.3) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `An upload grant (the presigned POST policy) expires after ${expiry} s by default (\`deadlines.uploadExpirySeconds\`, 30–900 s).`,
  ].join('\n');
}

/** The assessment rubric in force (the latest version), from its data (Art.20, Art.21). */
export function rubricTable(): string {
  const rubric = RUBRIC_VERSIONS[RUBRIC_VERSIONS.length - 1]!;
  const rows = rubric.criteria.map((c) => `| \`${c.id}\` ${c.zh} / ${c.en} | ${c.article} | ${c.max} | ${c.critical ? 'yes: 0 fails the assessment' : 'no'} |`);
  return [
    `Rubric ${rubric.version} (${rubric.basis}, from ${rubric.effectiveFrom}): a total of ${rubric.passTotal} passes, below ${rubric.warnBelow} a warning.`,
    '',
    '| criterion | article | max | critical |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The sanction ladder, from its data (Art.21): each rung escalates a repeat within the window. */
export function sanctionLadderTable(): string {
  const ladder = DEFAULT_SANCTION_LADDER;
  const rows = ladder.rungs.map((r) => `| ${r.outcome} | ${r.priorMarks.join(', ')} | ${r.becomes} | ${r.article} | ${r.zh} / ${r.en} |`);
  return [
    `Ladder ${ladder.version} (${ladder.basis}): marks older than ${ladder.windowMonths} months do not count.`,
    '',
    '| decided | a mark within the window | becomes | article | meaning |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** The generated README sections, keyed by their marker name. */
export function generatedSections(): Record<string, string> {
  const sections: Record<string, string> = {
    'application-lifecycle': mermaid(applicationLifecycleMermaid()),
    'site-lifecycle': mermaid(siteLifecycleMermaid()),
    'api-routes': routesTable(),
    'screening-findings': findingsTable(),
    'evidence-limits': evidenceLimitsTable(),
    'supervision-rubric': rubricTable(),
    'sanction-ladder': sanctionLadderTable(),
  };
  for (const { name, file } of workflowFiles(join(root, 'workflows'))) {
    sections[`workflow:${name}`] = mermaid(aslToMermaid(JSON.parse(readFileSync(file, 'utf8'))));
  }
  return sections;
}

/** Replaces every `<!-- generated:NAME -->…<!-- /generated:NAME -->` block of the README with a fresh rendering (diagrams, tables). */
export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, body] of Object.entries(generatedSections())) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < 0) continue;
    out = `${out.slice(0, start + open.length)}\n${body}\n${out.slice(end)}`;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const file = join(root, 'README.md');
  writeFileSync(file, renderReadme(readFileSync(file, 'utf8')));
  console.log('README diagrams regenerated');
}
