// The page the broker sends the browser to after the provider. With ?pending=<id> it completes the
// connection as the signed-in user (signing in first if needed) — the broker stores the grant only
// if that user started the flow — then returns to onboarding (if the user came from there less
// than 15 minutes ago) or to settings. On failure it says why, in fixed words per error code.
import { ApiError, ONBOARDING_MARKER, api, readOnboardingMarker } from './api.js';
import { withSession } from './shell.js';

const FRESH_MS = 15 * 60 * 1000;
const MESSAGES = {
  access_denied: 'You declined access, so nothing was connected. You can try again whenever you like.',
  admin_consent_required: 'Your administrator must approve this application before you can connect it. Ask them to grant consent, then try again.',
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
} else {
  showFailure(params.get('error'));
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
      showFailure(error instanceof ApiError ? error.code : 'connection_failed');
      return;
    }
  }
}

function showFailure(rawCode) {
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
}
