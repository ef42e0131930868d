// Settings → Integrations: every tool of the catalogue, its status, and what can be done about it.
import { ONBOARDING_MARKER, api, escapeHtml, humanDuration, startConnect } from './api.js';
import { glyphs, icon } from './icons.js';
import { signedInWithIntegrations } from './shell.js';

const main = document.querySelector('main');
const LABELS = {
  connected: ['connected', 'Connected', glyphs.check],
  expiring: ['expiring', 'Expiring soon', glyphs.clock],
  reauth_required: ['reauth_required', 'Reconnect needed', glyphs.alert],
  missing_scopes: ['missing_scopes', 'Needs more access', glyphs.alert],
  disconnected: ['disconnected', 'Not connected', glyphs.off],
  not_configured: ['not_configured', 'Not configured', glyphs.off],
  coming_soon: ['coming_soon', 'Coming soon', glyphs.clock]
};
let notice = null;

async function render() {
  const loaded = await signedInWithIntegrations('settings', main);
  if (!loaded) return;
  const [catalogue, integrations] = loaded;
  const byTool = Object.fromEntries(integrations.integrations.map(i => [i.toolType, i]));
  const rows = catalogue.tools.map(tool => row(tool, byTool[tool.toolType])).join('');
  main.innerHTML = `
    <h1>Integrations</h1>
    <p class="lead">Every tool you can connect. Tokens stay on the server; this page never sees them.</p>
    <div id="notice" role="status" aria-live="polite">${notice ? `<p class="notice ${notice.kind}">${escapeHtml(notice.text)}</p>` : ''}</div>
    <table class="tools">
      <thead><tr><th scope="col">Tool</th><th scope="col">Status</th><th scope="col">Expires in</th><th scope="col">Last validated</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    <div class="footer-bar"><span class="hint">Validation asks each provider whether your connection still works.</span>
      <button type="button" id="validate-all">Validate all</button></div>`;
  notice = null;
  main.querySelectorAll('button[data-connect]').forEach(b => b.addEventListener('click', () => connect(b)));
  main.querySelectorAll('button[data-disconnect]').forEach(b => b.addEventListener('click', () => confirmDisconnect(b)));
  document.getElementById('validate-all').addEventListener('click', validateAll);
}

function row(tool, integration) {
  const status = !integration || integration.status === 'disconnected'
    ? (tool.comingSoon ? 'coming_soon' : tool.available ? 'disconnected' : 'not_configured') : integration.status;
  const [cls, text, glyph] = LABELS[status] || LABELS.disconnected;
  const expires = integration && integration.expiresAt
    ? (new Date(integration.expiresAt) > new Date() ? humanDuration(new Date(integration.expiresAt) - new Date()) : 'expired')
    : integration && integration.isConnected ? 'never' : '—';
  const validated = integration && integration.lastValidatedAt ? `${humanDuration(new Date() - new Date(integration.lastValidatedAt))} ago` : '—';
  const name = escapeHtml(tool.displayName);
  let actions = '';
  if (status === 'disconnected') actions = `<button type="button" data-connect="${escapeHtml(tool.toolType)}" aria-label="Connect ${name}">Connect</button>`;
  if (status === 'reauth_required') actions = `<button type="button" data-connect="${escapeHtml(tool.toolType)}" aria-label="Reconnect ${name}">Reconnect</button> `;
  // the tool's grant lacks some of its scopes: the same authorize call asks for them and updates that grant
  if (status === 'missing_scopes') actions = `<button type="button" data-connect="${escapeHtml(tool.toolType)}" data-grant-access aria-label="Grant access to ${name}">Grant access</button> `;
  if (['connected', 'expiring', 'reauth_required', 'missing_scopes'].includes(status)) {
    actions += `<button type="button" class="secondary" data-disconnect="${escapeHtml(tool.toolType)}" data-name="${name}" aria-label="Disconnect ${name}">Disconnect</button>`;
  }
  return `<tr data-tool="${escapeHtml(tool.toolType)}">
      <td class="tool"><span class="name">${icon(tool.toolType)}<span>${name}</span></span></td>
      <td><span class="badge ${cls}" data-status="${status}">${glyph} ${text}</span>${missingNote(tool, integration, status)}</td>
      <td>${expires}</td><td>${validated}</td><td class="actions">${actions}</td></tr>`;
}

/** Which permissions the user did not grant, in the provider's words (scope names). */
function missingNote(tool, integration, status) {
  if (status !== 'missing_scopes') return '';
  const scopes = (integration.missingScopes || []).map(escapeHtml).join(', ');
  return `<span class="hint missing" data-missing="${escapeHtml(tool.toolType)}">Not granted: ${scopes}</span>`;
}

async function connect(button) {
  button.disabled = true;
  localStorage.removeItem(ONBOARDING_MARKER);
  try {
    await startConnect(`/api/integrations/${encodeURIComponent(button.dataset.connect)}/authorize`);
  } catch (error) {
    button.disabled = false;
    notice = { kind: 'error', text: `Could not start connecting: ${error.message}` };
    render();
  }
}

function confirmDisconnect(button) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent =
    `Disconnect ${button.dataset.name}? The broker revokes its access at the provider where it can, and your assistant can no longer use it.`;
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  const close = () => { ok.onclick = null; cancel.onclick = null; dialog.close(); button.focus(); };
  cancel.onclick = close;
  ok.onclick = async () => {
    close();
    try {
      const result = await api('DELETE', `/api/integrations/${encodeURIComponent(button.dataset.disconnect)}`);
      const words = { revoked: 'access revoked at the provider', failed: 'revocation at the provider failed (disconnected here anyway)',
        unsupported: 'the provider has no revocation, remove the app there if you wish', skipped: 'still used by your other tools of this provider' };
      notice = { kind: 'ok', text: `Disconnected ${button.dataset.name}: ${words[result.revocation] || result.revocation}.` };
    } catch (error) {
      notice = { kind: 'error', text: `Could not disconnect ${button.dataset.name}: ${error.message}` };
    }
    render();
  };
  dialog.showModal();
  cancel.focus();
}

async function validateAll() {
  const button = document.getElementById('validate-all');
  button.disabled = true;
  button.textContent = 'Validating…';
  try {
    const { results } = await api('POST', '/api/integrations/validate');
    const valid = results.filter(r => r.valid).length;
    const broken = results.length - valid;
    notice = { kind: broken ? 'error' : 'ok',
      text: results.length ? `Validation finished: ${valid} working${broken ? `, ${broken} need attention` : ''}.` : 'Nothing to validate yet.' };
  } catch (error) {
    notice = { kind: 'error', text: `Validation failed: ${error.message}` };
  }
  render();
}

render();
