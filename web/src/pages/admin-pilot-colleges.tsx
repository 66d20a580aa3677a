import { useState } from 'preact/hooks';
import { PROVINCES, findProvince } from '../../../schemas/validators/region-codes.ts';
import { api, get } from '../api.ts';
import { ErrorBox, Loading, PageTitle, DataTable } from '../components/ui.tsx';
import { useT } from '../i18n.ts';
import type { Page, PilotCollege } from '../types.ts';
import { useAsync } from '../use-async.ts';

interface ImportReport {
  received: number;
  written: number;
  complete: boolean;
  rowErrors: Array<{ row: number; creditCode?: string; issues: Array<{ path: string; message: string }> }>;
}

/** The pilot-college register (Art.3(2)): only colleges on it may apply during the pilot. */
export function AdminPilotCollegesPage() {
  const t = useT();
  const [province, setProvince] = useState('');
  const list = useAsync(() => get<Page<PilotCollege>>(`/v1/admin/pilot-colleges?limit=200${province ? `&provinceCode=${province}` : ''}`), [province]);
  const [entry, setEntry] = useState({ creditCode: '', name: '', provinceCode: '', cityCode: '', note: '' });
  const [error, setError] = useState<unknown>(undefined);
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<ImportReport | undefined>(undefined);

  const save = async () => {
    setError(undefined);
    try {
      await api('PUT', `/v1/admin/pilot-colleges/${encodeURIComponent(entry.creditCode.trim())}`, {
        body: { name: entry.name, provinceCode: entry.provinceCode, cityCode: entry.cityCode, active: true, ...(entry.note ? { note: entry.note } : {}) },
      });
      setEntry({ creditCode: '', name: '', provinceCode: '', cityCode: '', note: '' });
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const deactivate = async (code: string) => {
    setError(undefined);
    try {
      await api('DELETE', `/v1/admin/pilot-colleges/${encodeURIComponent(code)}`);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const importRows = async () => {
    setError(undefined);
    setReport(undefined);
    try {
      const trimmed = csv.trim();
      const out = trimmed.startsWith('[') || trimmed.startsWith('{')
        ? await api<ImportReport>('POST', '/v1/admin/pilot-colleges/import', { body: JSON.parse(trimmed) })
        : await api<ImportReport>('POST', '/v1/admin/pilot-colleges/import', { text: { value: trimmed, type: 'text/csv' } });
      setReport(out);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const field = (key: keyof typeof entry, label: string) => (
    <label>
      {label}{' '}
      <input required={key !== 'note'} value={entry[key]} onInput={(e) => setEntry({ ...entry, [key]: (e.target as HTMLInputElement).value })} />
    </label>
  );
  return (
    <section>
      <PageTitle>{t('试点院校名单', 'Pilot-college register')}</PageTitle>
      <p class="muted">{t('试点期间仅名单内院校可申请（第三条第二项）；资格来自本名单，而非申请表。', 'During the pilot only colleges on this register may apply (Art.3(2)); eligibility comes from here, never from the form.')}</p>
      <ErrorBox error={error ?? list.error} />
      <p>
        <label>
          {t('省份', 'Province')}{' '}
          <select value={province} onChange={(e) => setProvince((e.target as HTMLSelectElement).value)}>
            <option value="">{t('全部', 'All')}</option>
            {PROVINCES.map((p) => (
              <option key={p.code} value={p.code}>
                {t.pick(p)}
              </option>
            ))}
          </select>
        </label>
      </p>
      {list.loading && !list.data ? <Loading /> : null}
      <DataTable caption={t('试点院校', 'Pilot colleges')} columns={[t('统一社会信用代码', 'Credit code'), t('名称', 'Name'), t('省 / 市', 'Province / city'), t('状态', 'Status'), t('操作', 'Actions')]}>
          {(list.data?.items ?? []).map((c) => (
            <tr key={c.creditCode}>
              <td>
                <code>{c.creditCode}</code>
              </td>
              <td>{c.name}</td>
              <td>
                {findProvince(c.provinceCode) ? t.pick(findProvince(c.provinceCode)!) : c.provinceCode} / {c.cityCode}
              </td>
              <td>{c.active ? t('在册', 'Active') : t('已停用', 'Inactive')}</td>
              <td>
                {c.active ? (
                  <button type="button" class="danger small" onClick={() => void deactivate(c.creditCode)}>
                    {t(`停用 ${c.name}`, `Deactivate ${c.name}`)}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2>{t('添加或修改', 'Add or update')}</h2>
        <div class="row">
          {field('creditCode', t('统一社会信用代码', 'Credit code'))}
          {field('name', t('名称', 'Name'))}
          {field('provinceCode', t('省份代码', 'Province code'))}
          {field('cityCode', t('地级市代码', 'City code'))}
          {field('note', t('备注', 'Note'))}
        </div>
        <button type="submit" class="primary">
          {t('保存', 'Save')}
        </button>
      </form>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void importRows();
        }}
      >
        <h2>{t('批量导入（CSV 或 JSON）', 'Import (CSV or JSON)')}</h2>
        <label for="import-text">{t('首行为 creditCode,name,provinceCode,cityCode', 'First line: creditCode,name,provinceCode,cityCode')}</label>
        <textarea id="import-text" rows={6} value={csv} onInput={(e) => setCsv((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" disabled={!csv.trim()}>
          {t('导入', 'Import')}
        </button>
        {report ? (
          <p role="status">
            {t(`收到 ${report.received} 行，写入 ${report.written} 行。`, `${report.received} rows received, ${report.written} written.`)}
          </p>
        ) : null}
      </form>
    </section>
  );
}
