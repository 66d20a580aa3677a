import type { LocalUser } from './local-issuer.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The local issuer's sign-in page: pick a user, or create an account (name
 * and e-mail) as an invited person would on the real issuer. The OAuth
 * parameters ride along as hidden fields of both forms; `error` is shown
 * above the sign-up form when a sign-up was refused.
 */
export function renderLoginPage(
  users: readonly LocalUser[],
  params: URLSearchParams,
  signUp: { error?: { zh: string; en: string }; name?: string; email?: string } = {},
): string {
  const hidden = ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method']
    .map((k) => `<input type="hidden" name="${k}" value="${escape(params.get(k) ?? '')}">`)
    .join('');
  const buttons = users
    .map(
      (u) =>
        `<li><button type="submit" name="sub" value="${escape(u.sub)}"><strong>${escape(u.name)}</strong> <span>${escape(u.label)}</span> <small>${escape(u.email)}</small></button></li>`,
    )
    .join('');
  const error = signUp.error ? `<p role="alert" class="error">${escape(signUp.error.zh)}<br>${escape(signUp.error.en)}</p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>本地登录 / Local sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
ul{list-style:none;padding:0}li{margin:.5rem 0}button{width:100%;text-align:left;padding:.8rem;border:1px solid #888;border-radius:.4rem;background:#fff;cursor:pointer;font-size:1rem}
button:focus,button:hover{outline:3px solid #1565c0}span,small{display:block;color:#444}
label{display:block;margin:.6rem 0 .2rem}input[type=text],input[type=email]{width:100%;padding:.6rem;font-size:1rem;box-sizing:border-box}
.error{color:#b00020;border:1px solid #b00020;padding:.6rem;border-radius:.4rem}section{margin-top:2rem;border-top:1px solid #ccc}</style></head>
<body><main><h1>本地身份提供方 / Local identity provider</h1>
<p>选择一个用户登录（仅本地运行）。/ Choose a user to sign in (local stack only).</p>
<form method="post" action="authorize">${hidden}<ul>${buttons}</ul></form>
<section aria-labelledby="signup-title"><h2 id="signup-title">注册新账号 / Create an account</h2>
<p>收到邀请邮件？用受邀邮箱注册，然后在门户中接受邀请。/ Invited by e-mail? Sign up with the invited address, then accept the invitation in the portal.</p>
${error}<form method="post" action="authorize">${hidden}<input type="hidden" name="action" value="signup">
<label for="signup-name">姓名 / Name</label><input id="signup-name" name="name" type="text" required maxlength="100" autocomplete="name" value="${escape(signUp.name ?? '')}">
<label for="signup-email">邮箱 / E-mail</label><input id="signup-email" name="email" type="email" required autocomplete="email" value="${escape(signUp.email ?? '')}">
<p><button type="submit">注册并登录 / Sign up and sign in</button></p></form></section></main></body></html>`;
}
