// The page frame: header, navigation, and the sign-in gate (demo sign-in, or the host's JWT).
import { adoptTokenFromUrl, api, escapeHtml, saveSession, session, signOut } from './api.js';

/** Renders the frame and resolves once a session exists (after sign-in if needed). */
export async function withSession(current) {
  adoptTokenFromUrl();
  renderHeader(current);
  if (session()) return session();
  await signInGate();
  renderHeader(current);
  return session();
}

/** The signed-in page's data: [catalogue, integrations]; on failure the error is shown and null returned. */
export async function signedInWithIntegrations(current, main) {
  await withSession(current);
  try {
    return await Promise.all([api('GET', '/api/tools'), api('GET', '/api/integrations')]);
  } catch (error) {
    main.innerHTML = `<p class="notice error" role="alert">Could not load your integrations: ${escapeHtml(error.message)}</p>`;
    return null;
  }
}

function renderHeader(current) {
  const who = session();
  document.querySelector('header.top').innerHTML = `
    <span class="brand">oauth-broker</span>
    <nav aria-label="Main">
      <a href="/onboarding" ${current === 'onboarding' ? 'aria-current="page"' : ''}>Onboarding</a>
      <a href="/settings/integrations" ${current === 'settings' ? 'aria-current="page"' : ''}>Settings · Integrations</a>
    </nav>
    ${who ? `<span class="who">${who.userId ? `Signed in as <strong>${escapeHtml(who.userId)}</strong>` : 'Signed in'}</span>
      <button type="button" class="secondary" id="sign-out">Sign out</button>` : ''}`;
  const out = document.getElementById('sign-out');
  if (out) out.addEventListener('click', () => { signOut(); location.reload(); });
}

async function signInGate() {
  const main = document.querySelector('main');
  let demo = false;
  try { demo = !!(await api('GET', '/api/demo/session')).demoSignIn; } catch { demo = false; }
  if (!demo) {
    main.innerHTML = `<section class="signin card"><h1>Sign in through your application</h1>
      <p>This page needs your application's session. Your application opens it with the session token in the
      address, for example <code>/onboarding#token=&lt;JWT&gt;</code>.</p></section>`;
    return new Promise(() => {});
  }
  main.innerHTML = `<section class="signin card" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to the demo</h1>
      <p class="hint">Demo mode: any user id works. Your application would sign users in itself.</p>
      <form id="signin-form" novalidate>
        <label for="user-id">User id</label>
        <input type="text" id="user-id" name="userId" autocomplete="username" required maxlength="64" pattern="[A-Za-z0-9._@+\\-]+">
        <p id="signin-error" class="hint" role="alert"></p>
        <button type="submit">Sign in</button>
      </form></section>`;
  return new Promise(resolve => {
    document.getElementById('signin-form').addEventListener('submit', async event => {
      event.preventDefault();
      const userId = document.getElementById('user-id').value.trim();
      try {
        const answer = await api('POST', '/api/demo/session', { userId });
        saveSession({ token: answer.token, userId: answer.userId });
        resolve();
      } catch (error) {
        document.getElementById('signin-error').textContent = error.message;
      }
    });
    document.getElementById('user-id').focus();
  });
}
