// Onboarding, step "Connect your tools": one card per bucket, with chips saying what it gives (from the
// catalogue), each starting the real OAuth redirect.
import { escapeHtml, saveOnboardingMarker, startConnect } from './api.js';
import { glyphs, icon } from './icons.js';
import { signedInWithIntegrations } from './shell.js';

const main = document.querySelector('main');

async function render() {
  const loaded = await signedInWithIntegrations('onboarding', main);
  if (!loaded) return;
  const [catalogue, integrations] = loaded;
  const connected = new Set(integrations.integrations.filter(i => i.isConnected).map(i => i.toolType));
  const lacking = new Set(integrations.integrations.filter(i => i.status === 'missing_scopes').map(i => i.toolType));
  const names = Object.fromEntries(catalogue.tools.map(t => [t.toolType, t.displayName]));
  const buckets = catalogue.buckets;
  const connectedBuckets = buckets.filter(b => b.tools.some(t => connected.has(t)));

  main.innerHTML = `
    <p class="step">Step 2 of 3</p>
    <h1>Connect your tools</h1>
    <p class="lead">Connect at least one account so your assistant can work with your data. You can change this later in settings.</p>
    <div class="grid" id="buckets">${buckets.map(b => card(b, connected, lacking, names)).join('')}</div>
    <p id="status" class="hint" role="status" aria-live="polite"></p>
    <div class="footer-bar">
      <span class="hint" id="gate-hint">${connectedBuckets.length ? `${connectedBuckets.length} connected` : 'Connect at least one account to continue.'}</span>
      <button type="button" id="next" ${connectedBuckets.length ? '' : 'disabled'} aria-describedby="gate-hint">Next</button>
    </div>`;

  main.querySelectorAll('button[data-bucket]').forEach(button => button.addEventListener('click', async () => {
    button.disabled = true;
    document.getElementById('status').textContent = `Opening ${button.dataset.name}…`;
    try {
      saveOnboardingMarker([...connected]);
      await startConnect(`/api/buckets/${encodeURIComponent(button.dataset.bucket)}/authorize`);
    } catch (error) {
      button.disabled = false;
      document.getElementById('status').textContent = `Could not start connecting ${button.dataset.name}: ${error.message}`;
    }
  }));
  // Grant access: the tool's authorize call asks for the scopes its grant lacks and updates that grant
  main.querySelectorAll('button[data-grant-access]').forEach(button => button.addEventListener('click', async () => {
    button.disabled = true;
    document.getElementById('status').textContent = `Opening ${button.dataset.name}…`;
    try {
      saveOnboardingMarker([...connected]);
      await startConnect(`/api/integrations/${encodeURIComponent(button.dataset.grantAccess)}/authorize`);
    } catch (error) {
      button.disabled = false;
      document.getElementById('status').textContent = `Could not ask for access to ${button.dataset.name}: ${error.message}`;
    }
  }));
  document.getElementById('next').addEventListener('click', () => window.location.assign('/settings/integrations'));
}

function card(bucket, connected, lacking, names) {
  const isConnected = bucket.tools.some(t => connected.has(t));
  const missing = bucket.tools.filter(t => lacking.has(t));
  const chips = bucket.gives.map(g => `<li>${escapeHtml(g)}</li>`).join('');
  const name = escapeHtml(bucket.displayName);
  let action;
  if (missing.length) {
    action = (isConnected ? `<span class="badge connected">${glyphs.check} Connected</span>` : '')
      + missing.map(t => `<span class="badge missing_scopes" id="missing-${escapeHtml(t)}">${glyphs.alert} ${escapeHtml(names[t] || t)} needs more access</span>
      <button type="button" data-grant-access="${escapeHtml(t)}" data-name="${escapeHtml(names[t] || t)}"
        aria-label="Grant access to ${escapeHtml(names[t] || t)}" aria-describedby="missing-${escapeHtml(t)}">Grant access</button>`).join('');
  } else if (isConnected) {
    action = `<span class="badge connected">${glyphs.check} Connected</span>`;
  } else if (bucket.comingSoon) {
    action = `<span class="badge coming_soon" id="soon-${escapeHtml(bucket.id)}">${glyphs.clock} Coming soon</span>
      <button type="button" disabled aria-label="Connect ${name}" aria-describedby="soon-${escapeHtml(bucket.id)}">Connect</button>`;
  } else if (!bucket.available) {
    action = `<span class="badge not_configured">${glyphs.off} Not configured</span>`;
  } else {
    action = `<button type="button" data-bucket="${escapeHtml(bucket.id)}" data-name="${name}"
      aria-label="Connect ${name}">Connect</button>`;
  }
  return `<article class="card" data-bucket-card="${escapeHtml(bucket.id)}" aria-labelledby="bucket-${escapeHtml(bucket.id)}">
      <header>${icon(bucket.provider)}<h2 id="bucket-${escapeHtml(bucket.id)}">${name}</h2></header>
      <ul class="chips" aria-label="Includes">${chips}</ul>
      <div class="actions">${action}</div>
    </article>`;
}

render();
