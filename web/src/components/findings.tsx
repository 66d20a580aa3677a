import { useT } from '../i18n.ts';
import { labelOf, SEVERITY_LABELS } from '../labels.ts';

/** A finding as shown: severity, message in the reader's language, the article it cites. */
export interface ShownFinding {
  readonly code?: string;
  readonly article: string;
  readonly severity: string;
  readonly zh: string;
  readonly en: string;
}

/** Findings beside a field (or at the top of a page), each citing its article. */
export function FindingList({ findings, id }: { findings: readonly ShownFinding[]; id?: string }) {
  const t = useT();
  if (!findings.length) return null;
  return (
    <ul class="findings" id={id}>
      {findings.map((f, i) => (
        <li key={`${f.code ?? ''}-${i}`} class={`finding finding-${f.severity}`} data-code={f.code}>
          <span class="sev">{t.pick(labelOf(SEVERITY_LABELS, f.severity))}</span> {t.pick(f)} <span class="article">{f.article}</span>
        </li>
      ))}
    </ul>
  );
}
