// The page the broker sends the browser to after the provider. With ?pending=<id> it completes the
// connection as the signed-in user (signing in first if needed) — the broker stores the grant only
// if that user started the flow — then returns to onboarding (if the user came from there less
// than 15 minutes ago) or to settings. On failure it says why, in fixed words per error code; when an
// administrator must approve first (admin_consent_required) it shows a link to forward to them. With
// ?adminConsent=granted it thanks the administrator who just approved.
import { ApiError, ONBOARDING_MARKER, api, readOnboardingMarker, session } from './api.js';
import { withSession } from './shell.js';

const FRESH_MS = 15 * 60 * 1000;
const MESSAGES = {
  access_denied: 'You declined access, so nothing was connected. You can try again whenever you like.',
  admin_consent_required: 'Your administrator must approve this application before you can connect it: your organisation lets only administrators grant some of the access it asks for, so nothing was connected. Send your administrator the link below; once they approve, connect again.',
  admin_consent_declined: 'The administrator did not approve the application, so nothing changed.',
  admin_consent_expired: 'This approval link has expired. Ask the person who sent it for a new one.',
  consent_required: 'The provider needs your consent to connect this application. Please try again and allow access.',
  interaction_required: 'The provider needs you to sign in again. Please try again.',
  expired_state: 'The sign-in took longer than 10 minutes. Please start connecting again.',
  invalid_state: 'This sign-in link is no longer valid. Please start connecting again.',
  issuer_mismatch: 'The answer came from a different provider than the one you were sent to, so it was refused.',
  provider_unavailable: 'The provider is temporarily unavailable. Please try again in a moment.',
  temporarily_unavailable: 'The provider is temporarily unavailable. Please try again in a moment.',
  server_error: 'The provider had an internal error. Please try again.',
  provider_error: 'The provider reported an error, so nothing was connected. Please try again.',
  invalid_grant: 'The authorization expired or was already used. Please start connecting again.',
  foreign_flow: 'This connection was started from a different account, so nothing was connected. To connect your own account, start again from your settings.',
  expired: 'This connection took too long or was already completed. Please start connecting again.'
};

const params = new URLSearchParams(location.search);
const marker = readOnboardingMarker();
const fromOnboarding = marker && typeof marker.ts === 'number' && Date.now() - marker.ts < FRESH_MS;
const back = fromOnboarding ? '/onboarding' : '/settings/integrations';

if (params.has('pending')) {
  complete(params.get('pending'));
} else if (params.get('adminConsent') === 'granted') {
  showAdminConsentGranted();
} else {
  showFailure(params.get('error'), params.get('bucket'));
}

async function complete(pending) {
  for (let attempt = 0; attempt < 2; attempt++) {
    await withSession('callback');
    // the id is single use: a reload must not send it again
    history.replaceState(null, '', location.pathname);
    try {
      await api('POST', '/api/integrations/complete', { pending });
      localStorage.removeItem(ONBOARDING_MARKER);
      window.location.replace(back);
      return;
    } catch (error) {
      // an ended session signs in again once; the pending connection is only used by a signed-in call
      if (error instanceof ApiError && error.status === 401 && attempt === 0) continue;
      showFailure(error instanceof ApiError ? error.code : 'connection_failed', error instanceof ApiError ? error.bucket : null);
      return;
    }
  }
}

function showFailure(rawCode, bucket) {
  const code = (rawCode || 'unknown_error').replace(/[^a-z0-9_.-]/gi, '_').slice(0, 60);
  const text = MESSAGES[code] || `The connection could not be completed (error: ${code}). Please try again.`;
  const main = document.querySelector('main');
  main.innerHTML = `<section class="card signin" aria-labelledby="failed-title">
      <h1 id="failed-title">Connection not completed</h1>
      <p class="notice error" role="alert" id="callback-error"></p>
      <div class="actions">
        <a class="button" id="retry" href="${back}">Try again</a>
        <a class="button secondary" href="/settings/integrations">Go to settings</a>
      </div>
    </section>`;
  document.getElementById('callback-error').textContent = text;
  document.getElementById('retry').focus();
  if (code === 'admin_consent_required' && bucket) offerAdminConsentLink(bucket);
}

/** The link the user forwards to their administrator (POST /api/buckets/{bucket}/admin-consent, as the signed-in user). */
async function offerAdminConsentLink(rawBucket) {
  const bucket = rawBucket.replace(/[^a-z0-9_-]/gi, '_').slice(0, 40);
  const notice = document.getElementById('callback-error');
  const box = document.createElement('div');
  box.id = 'admin-consent';
  notice.after(box);
  if (!session()) {
    box.innerHTML = '<p class="hint">Sign in again from your settings to get the link for your administrator.</p>';
    return;
  }
  try {
    const { adminConsentUrl } = await api('POST', `/api/buckets/${encodeURIComponent(bucket)}/admin-consent`);
    box.innerHTML = `<p>Link for your administrator (it works once, for a few days):</p>
      <p><a id="admin-consent-link" target="_blank" rel="noopener noreferrer"></a></p>
      <div class="actions"><button type="button" class="secondary" id="copy-admin-consent">Copy link</button></div>`;
    const link = document.getElementById('admin-consent-link');
    link.href = adminConsentUrl;
    link.textContent = 'Approve this application for your organisation';
    document.getElementById('copy-admin-consent').addEventListener('click', async event => {
      try {
        await navigator.clipboard.writeText(adminConsentUrl);
        event.target.textContent = 'Copied';
      } catch {
        event.target.textContent = 'Copy failed: use the link above';
      }
    });
  } catch (error) {
    box.innerHTML = '<p class="hint">The link for your administrator could not be created. Please try again later.</p>';
  }
}

function showAdminConsentGranted() {
  document.querySelector('main').innerHTML = `<section class="card signin" aria-labelledby="granted-title">
      <h1 id="granted-title">Approved for your organisation</h1>
      <p class="notice" role="status" id="admin-consent-granted">Thank you. Everyone in your organisation can now connect it without asking an administrator.</p>
      <div class="actions"><a class="button" href="/settings/integrations">Go to settings</a></div>
    </section>`;
}
