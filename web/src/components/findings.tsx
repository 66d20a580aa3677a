import { useT } from '../i18n.ts';
import { labelOf, SEVERITY_LABELS } from '../labels.ts';

/** A finding as shown: severity, message in the reader's language, the article it cites, and whether its rule is policy. */
export interface ShownFinding {
  readonly code?: string;
  readonly article?: string;
  readonly severity: string;
  readonly basis?: string;
  readonly policy?: { readonly zh: string; readonly en: string };
  readonly zh: string;
  readonly en: string;
}

/**
 * Findings beside a field (or at the top of a page), each citing its article
 * (none for a data-integrity check); a finding whose rule is the
 * organisation's policy rather than the regulation's text says so, with why.
 */
export function FindingList({ findings, id }: { findings: readonly ShownFinding[]; id?: string }) {
  const t = useT();
  if (!findings.length) return null;
  return (
    <ul class="findings" id={id}>
      {findings.map((f, i) => (
        <li key={`${f.code ?? ''}-${i}`} class={`finding finding-${f.severity}`} data-code={f.code}>
          <span class="sev">{t.pick(labelOf(SEVERITY_LABELS, f.severity))}</span> {t.pick(f)} {f.article ? <span class="article">{f.article}</span> : null}
          {f.basis === 'policy' ? (
            <span class="basis-policy" data-basis="policy">
              {' '}
              <strong class="policy-tag">{t('政策', 'Policy')}</strong> {f.policy ? t.pick(f.policy) : null}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
