import { useEffect, useMemo, useState } from 'preact/hooks';
import { FORM_SECTIONS, labelForPath, pruneEmpty, type FormSection } from '../../../schemas/application-form.schema.ts';
import { findProvince } from '../../../schemas/validators/region-codes.ts';
import { findRelatedMajor } from '../../../schemas/validators/related-majors.ts';
import { api, get } from '../api.ts';
import { FindingList } from '../components/findings.tsx';
import { Badge, ErrorBox, Loading, PageTitle } from '../components/ui.tsx';
import { anchorOf, fieldId, getAt, joinPath, renderedPaths, SECTION_ARTICLES, SECTION_FIELDS, setAt, type FieldSpec } from '../form-spec.ts';
import { useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, CHOICE_LABELS, labelOf } from '../labels.ts';
import type { ApplicationDetail, ApplicationView, Finding, Precheck } from '../types.ts';
import { ApplicationTabs } from './applications.tsx';

type Draft = Record<string, unknown>;
const EDITABLE = ['DRAFT', 'RETURNED'];

interface FormCtx {
  readonly draft: Draft;
  readonly set: (path: string, value: unknown) => void;
  readonly findingsAt: ReadonlyMap<string, Finding[]>;
  readonly missing: ReadonlySet<string>;
}

function useLabel() {
  const t = useT();
  return (path: string, fallback: string) => {
    const l = labelForPath(path);
    return l ? t.pick(l) : fallback;
  };
}

/** A number typed as text: keeps what is typed ("1.") while the draft holds the number. */
function NumberInput({ id, value, onValue, int, describedBy, invalid }: { id: string; value: unknown; onValue: (v: number | undefined) => void; int?: boolean; describedBy?: string; invalid: boolean }) {
  const [raw, setRaw] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    const parsed = raw.trim() === '' ? undefined : Number(raw);
    if (parsed !== value && !(value === undefined && Number.isNaN(parsed))) setRaw(typeof value === 'number' ? String(value) : '');
  }, [value]);
  return (
    <input
      id={id}
      type="text"
      inputMode={int ? 'numeric' : 'decimal'}
      value={raw}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onInput={(e) => {
        const v = (e.target as HTMLInputElement).value;
        setRaw(v);
        const n = v.trim() === '' ? undefined : Number(v.trim());
        onValue(n === undefined || Number.isNaN(n) ? undefined : n);
      }}
    />
  );
}

function Leaf({ spec, path, ctx }: { spec: FieldSpec; path: string; ctx: FormCtx }) {
  const t = useT();
  const label = useLabel()(path, spec.key);
  const id = fieldId(path);
  const value = getAt(ctx.draft, path);
  const findings = ctx.findingsAt.get(path) ?? [];
  const describedBy = findings.length ? `${id}-findings` : undefined;
  const invalid = findings.some((f) => f.severity === 'blocking');
  const required = ctx.missing.has(path);
  let control;
  switch (spec.type) {
    case 'number':
      control = <NumberInput id={id} value={value} int={spec.int} describedBy={describedBy} invalid={invalid} onValue={(v) => ctx.set(path, v)} />;
      break;
    case 'bool':
      control = (
        <select id={id} value={value === true ? 'true' : value === false ? 'false' : ''} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          ctx.set(path, v === '' ? undefined : v === 'true');
        }}>
          <option value="">{t('— 请选择 —', '— choose —')}</option>
          <option value="true">{t('是', 'Yes')}</option>
          <option value="false">{t('否', 'No')}</option>
        </select>
      );
      break;
    case 'enum':
      control = (
        <select id={id} value={value === undefined ? '' : String(value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          const option = spec.options.find((o) => String(o) === v);
          ctx.set(path, v === '' ? undefined : option);
        }}>
          <option value="">{t('— 请选择 —', '— choose —')}</option>
          {spec.options.map((o) => {
            const province = spec.labelled === 'province' ? findProvince(String(o)) : undefined;
            const major = spec.labelled === 'major' ? findRelatedMajor(String(o)) : undefined;
            const text = province
              ? `${t.pick(province)} (${o})`
              : major
                ? `${o} ${t.pick(major)}${major.named ? '' : t('（同类专业，政策）', ' (same class, policy)')}`
                : spec.labelled === 'choice'
                  ? t.pick(labelOf(CHOICE_LABELS, String(o)))
                  : String(o);
            return (
              <option key={String(o)} value={String(o)}>
                {text}
              </option>
            );
          })}
        </select>
      );
      break;
    case 'multi': {
      const selected = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset class="field multi" aria-describedby={describedBy}>
          <legend>{label}</legend>
          {spec.options.map((o) => (
            <label key={o} class="check">
              <input type="checkbox" checked={selected.includes(o)} onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                const next = on ? [...selected, o] : selected.filter((s) => s !== o);
                ctx.set(path, next.length ? spec.options.filter((x) => next.includes(x)) : undefined);
              }} />{' '}
              {t.pick(labelOf(CHOICE_LABELS, o))}
            </label>
          ))}
          <FindingList findings={findings} id={describedBy} />
        </fieldset>
      );
    }
    case 'textarea':
      control = <textarea id={id} rows={3} value={typeof value === 'string' ? value : ''} aria-describedby={describedBy} onInput={(e) => ctx.set(path, (e.target as HTMLTextAreaElement).value || undefined)} />;
      break;
    default:
      control = (
        <input
          id={id}
          // One input element for four kinds; the union of their attribute types is too narrow for a computed value.
          type={(spec.type === 'tel' ? 'tel' : spec.type === 'email' ? 'email' : spec.type === 'date' ? 'date' : 'text') as 'text'}
          value={typeof value === 'string' ? value : ''}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          onInput={(e) => ctx.set(path, (e.target as HTMLInputElement).value || undefined)}
        />
      );
  }
  return (
    <div class={`field${invalid ? ' has-finding' : ''}`}>
      <label for={id}>
        {label}
        {required ? <span class="req"> {t('（未填写）', '(not filled in)')}</span> : null}
      </label>
      {control}
      <FindingList findings={findings} id={describedBy} />
    </div>
  );
}

function Fields({ specs, prefix, ctx }: { specs: readonly FieldSpec[]; prefix: string; ctx: FormCtx }) {
  const t = useT();
  const labelFor = useLabel();
  return (
    <>
      {specs.map((spec) => {
        const path = joinPath(prefix, spec.key);
        if (spec.type === 'group') {
          return (
            <fieldset key={path} class="group">
              <legend>{labelFor(path, spec.key)}</legend>
              <FindingList findings={ctx.findingsAt.get(path) ?? []} />
              <Fields specs={spec.fields} prefix={path} ctx={ctx} />
            </fieldset>
          );
        }
        if (spec.type === 'list') {
          const items = Array.isArray(getAt(ctx.draft, path)) ? (getAt(ctx.draft, path) as unknown[]) : [];
          const itemLabel = labelFor(`${path}.0`, t('条目', 'Item'));
          return (
            <div key={path} class="list">
              {spec.key ? <FindingList findings={ctx.findingsAt.get(path) ?? []} /> : null}
              {items.map((_, i) => (
                <fieldset key={`${path}.${i}`} class="group item">
                  <legend>
                    {itemLabel} {i + 1}
                  </legend>
                  <FindingList findings={ctx.findingsAt.get(joinPath(path, i)) ?? []} />
                  <Fields specs={spec.item} prefix={joinPath(path, i)} ctx={ctx} />
                  <button type="button" class="danger small" onClick={() => ctx.set(path, items.filter((__, j) => j !== i))}>
                    {t(`删除${itemLabel} ${i + 1}`, `Remove ${itemLabel.toLowerCase()} ${i + 1}`)}
                  </button>
                </fieldset>
              ))}
              <button type="button" disabled={items.length >= spec.max} onClick={() => ctx.set(path, [...items, {}])}>
                {t(`添加${itemLabel}`, `Add ${itemLabel.toLowerCase()}`)}
              </button>
            </div>
          );
        }
        return <Leaf key={path} spec={spec} path={path} ctx={ctx} />;
      })}
    </>
  );
}

/**
 * The application form (Art.3(1)) in the sections of Art.9–11, saved as a
 * draft under the optimistic lock; the live pre-check's findings are shown
 * beside the field each one concerns, citing its article.
 */
export function ApplicationFormPage({ id }: { id: string }) {
  const t = useT();
  const [app, setApp] = useState<ApplicationView | undefined>(undefined);
  const [draft, setDraft] = useState<Draft>({});
  const [precheck, setPrecheck] = useState<Precheck | undefined>(undefined);
  const [screeningFindings, setScreeningFindings] = useState<Finding[]>([]);
  const [section, setSection] = useState<FormSection>('institution');
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState<string | undefined>(undefined);

  const load = async () => {
    try {
      const detail = await get<ApplicationDetail>(`/v1/applications/${id}`);
      setApp(detail.application);
      setDraft(detail.application.form ?? {});
      setScreeningFindings(detail.screening?.findings ?? []);
      setDirty(false);
      setLoadError(undefined);
    } catch (e) {
      setLoadError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  const findings = precheck?.findings ?? screeningFindings;
  const rendered = useMemo(() => new Set(renderedPaths(draft, FORM_SECTIONS)), [draft]);
  const findingsAt = useMemo(() => {
    const map = new Map<string, Finding[]>();
    for (const f of findings) {
      if (f.path.startsWith('evidence')) continue;
      const anchor = anchorOf(f.path, rendered) ?? 'general';
      map.set(anchor, [...(map.get(anchor) ?? []), f]);
    }
    return map;
  }, [findings, rendered]);
  const evidenceFindings = findings.filter((f) => f.path.startsWith('evidence')).length;
  const formFindings = findings.length - evidenceFindings;
  const missing = useMemo(() => new Set((precheck?.missing ?? []).map((m) => m.path)), [precheck]);
  const countIn = (s: string) => [...findingsAt].filter(([p]) => p === s || p.startsWith(`${s}.`)).reduce((n, [, fs]) => n + fs.length, 0);

  const editable = app ? EDITABLE.includes(app.status) : false;
  const ctx: FormCtx = {
    draft,
    set: (path, value) => {
      setDraft((d) => setAt(d, path, value));
      setDirty(true);
    },
    findingsAt,
    missing,
  };

  const save = async () => {
    if (!app) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const out = await api<{ application: ApplicationView; precheck: Precheck }>('PUT', `/v1/applications/${id}/form`, {
        body: { version: app.version, form: pruneEmpty(draft) ?? {} },
      });
      setApp(out.application);
      setPrecheck(out.precheck);
      setDirty(false);
      setSavedAt(new Date().toISOString());
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const parsed = JSON.parse(await file.text()) as Record<string, unknown>;
      const form = parsed && typeof parsed.form === 'object' && parsed.form !== null ? (parsed.form as Draft) : parsed;
      setDraft({ ...draft, ...form });
      setDirty(true);
      setSaveError(undefined);
    } catch {
      setSaveError(new Error(t('文件不是有效的 JSON。', 'The file is not valid JSON.')));
    }
  };

  if (loadError) return <ErrorBox error={loadError} />;
  if (!app) return <Loading />;
  const index = FORM_SECTIONS.indexOf(section);
  const sectionLabel = (s: FormSection) => t.pick(labelForPath(s) ?? { zh: s, en: s });
  const general = findingsAt.get('general') ?? [];
  return (
    <section>
      <PageTitle>{t('考核站点申请表', 'Exam-site application form')}</PageTitle>
      <p>
        <Badge value={app.status} label={t.pick(labelOf(APPLICATION_STATUS_LABELS, app.status))} />{' '}
        <span class="muted small">
          {app.id} · {t('版本', 'version')} {app.version}
        </span>
      </p>
      <ApplicationTabs id={id} current="form" />
      {!editable ? <p class="warn">{t('申请已提交，表单只读。', 'The application has been submitted; the form is read-only.')}</p> : null}
      {precheck ? (
        <div class={`precheck precheck-${precheck.outcome ?? 'incomplete'}`} role="status">
          <strong>{t('预检（不具约束力）：', 'Pre-check (not binding): ')}</strong>
          {!precheck.complete
            ? t(`还有 ${precheck.missing.length} 项未填写。`, `${precheck.missing.length} fields still to fill in.`)
            : formFindings === 0
              ? t('表单符合第九至十一条的标准。', 'The form meets the standards of Art.9–11.')
              : t(`表单有 ${formFindings} 个问题，见各字段旁。`, `${formFindings} findings in the form, shown beside their fields.`)}
          {precheck.complete && evidenceFindings ? (
            <span> {t(`支撑材料尚有 ${evidenceFindings} 项待补（见“支撑材料”）。`, `${evidenceFindings} evidence findings (see Evidence).`)}</span>
          ) : null}
          {!precheck.eligible ? <span class="warn"> {t('不在试点院校名单内（第三条第二项）。', 'Not on the pilot register (Art.3(2)).')}</span> : null}
        </div>
      ) : null}
      <FindingList findings={general} />
      <div class="form-layout">
        <nav class="sections" aria-label={t('申请表各部分', 'Form sections')}>
          <ol>
            {FORM_SECTIONS.map((s) => (
              <li key={s}>
                <button type="button" class="link" aria-current={s === section ? 'step' : undefined} onClick={() => setSection(s)}>
                  {sectionLabel(s)}
                  {countIn(s) ? <span class="count" aria-label={t(`${countIn(s)} 个问题`, `${countIn(s)} findings`)}>{countIn(s)}</span> : null}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <form
          class="app-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <fieldset disabled={!editable} class="section">
            <legend>
              <h2>
                {sectionLabel(section)} <span class="article">{SECTION_ARTICLES[section]}</span>
              </h2>
            </legend>
            <FindingList findings={findingsAt.get(section) ?? []} />
            <Fields key={section} specs={SECTION_FIELDS[section]} prefix={section} ctx={ctx} />
          </fieldset>
          <div class="actions sticky">
            <button type="button" disabled={index === 0} onClick={() => setSection(FORM_SECTIONS[index - 1]!)}>
              {t('上一部分', 'Previous section')}
            </button>
            <button type="button" disabled={index === FORM_SECTIONS.length - 1} onClick={() => setSection(FORM_SECTIONS[index + 1]!)}>
              {t('下一部分', 'Next section')}
            </button>
            <button type="submit" class="primary" disabled={!editable || saving}>
              {saving ? t('保存中…', 'Saving…') : t('保存草稿', 'Save draft')}
            </button>
            <span class="muted small" role="status">
              {dirty ? t('有未保存的修改', 'Unsaved changes') : savedAt ? t('已保存', 'Saved') : ''}
            </span>
            {editable ? (
              <label class="button">
                {t('从 JSON 文件导入', 'Import from a JSON file')}
                <input type="file" class="visually-hidden-file" accept="application/json,.json" onChange={(e) => void importFile((e.target as HTMLInputElement).files?.[0])} />
              </label>
            ) : null}
          </div>
          <ErrorBox error={saveError} />
        </form>
      </div>
    </section>
  );
}
