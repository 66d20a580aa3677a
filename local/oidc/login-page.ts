import type { LocalUser } from './local-issuer.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The local issuer's sign-in page: pick a demo user; the OAuth parameters ride along as hidden fields. */
export function renderLoginPage(users: readonly LocalUser[], params: URLSearchParams): string {
  const hidden = ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method']
    .map((k) => `<input type="hidden" name="${k}" value="${escape(params.get(k) ?? '')}">`)
    .join('');
  const buttons = users
    .map(
      (u) =>
        `<li><button type="submit" name="sub" value="${escape(u.sub)}"><strong>${escape(u.name)}</strong> <span>${escape(u.label)}</span> <small>${escape(u.email)}</small></button></li>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>本地登录 / Local sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
ul{list-style:none;padding:0}li{margin:.5rem 0}button{width:100%;text-align:left;padding:.8rem;border:1px solid #888;border-radius:.4rem;background:#fff;cursor:pointer;font-size:1rem}
button:focus,button:hover{outline:3px solid #1565c0}span,small{display:block;color:#444}</style></head>
<body><main><h1>本地身份提供方 / Local identity provider</h1>
<p>选择一个演示用户登录（仅本地运行）。/ Choose a demo user to sign in (local stack only).</p>
<form method="post" action="authorize">${hidden}<ul>${buttons}</ul></form></main></body></html>`;
}
