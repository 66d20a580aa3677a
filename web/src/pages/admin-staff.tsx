import { useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { ErrorBox, Loading, PageTitle, DataTable } from '../components/ui.tsx';
import { useT } from '../i18n.ts';
import type { Page, StaffMember } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** The staff directory: reviews are assigned from its active reviewers. */
export function AdminStaffPage() {
  const t = useT();
  const list = useAsync(() => get<Page<StaffMember>>('/v1/admin/staff?limit=200'), []);
  const empty = { sub: '', name: '', email: '', role: 'reviewer' as StaffMember['role'], active: true };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(undefined);
  const save = async (member: typeof empty) => {
    setError(undefined);
    try {
      await api('PUT', `/v1/admin/staff/${encodeURIComponent(member.sub.trim())}`, {
        body: { name: member.name.trim(), email: member.email.trim(), role: member.role, active: member.active },
      });
      setForm(empty);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section>
      <PageTitle>{t('人员', 'Staff')}</PageTitle>
      <ErrorBox error={error ?? list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      <DataTable caption={t('人员', 'Staff')} columns={[t('账号', 'Account'), t('姓名', 'Name'), t('邮箱', 'E-mail'), t('角色', 'Role'), t('状态', 'Status'), t('操作', 'Actions')]}>
          {(list.data?.items ?? []).map((s) => (
            <tr key={s.sub}>
              <td>
                <code>{s.sub}</code>
              </td>
              <td>{s.name}</td>
              <td>{s.email}</td>
              <td>{s.role === 'admin' ? t('管理员', 'Administrator') : t('审核员', 'Reviewer')}</td>
              <td>{s.active ? t('在岗', 'Active') : t('停用', 'Inactive')}</td>
              <td>
                <button type="button" class="small" onClick={() => void save({ ...s, active: !s.active })}>
                  {s.active ? t(`停用 ${s.name}`, `Deactivate ${s.name}`) : t(`启用 ${s.name}`, `Activate ${s.name}`)}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void save(form);
        }}
      >
        <h2>{t('添加或修改', 'Add or update')}</h2>
        <div class="row">
          <label>
            {t('账号（身份提供方的 sub）', 'Account (the issuer’s sub)')}{' '}
            <input required value={form.sub} onInput={(e) => setForm({ ...form, sub: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t('姓名', 'Name')} <input required value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t('邮箱', 'E-mail')} <input required type="email" value={form.email} onInput={(e) => setForm({ ...form, email: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t('角色', 'Role')}{' '}
            <select value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value as StaffMember['role'] })}>
              <option value="reviewer">{t('审核员', 'Reviewer')}</option>
              <option value="admin">{t('管理员', 'Administrator')}</option>
            </select>
          </label>
        </div>
        <button type="submit" class="primary">
          {t('保存', 'Save')}
        </button>
      </form>
    </section>
  );
}
