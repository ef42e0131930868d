// The page the broker sends the browser to after the provider: back to onboarding (if the user
// came from there less than 15 minutes ago) or to settings; on failure, the reason in words.
import { ONBOARDING_MARKER, readOnboardingMarker } from './api.js';

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
  invalid_grant: 'The authorization expired or was already used. Please start connecting again.'
};

const params = new URLSearchParams(location.search);
const marker = readOnboardingMarker();
const fromOnboarding = marker && typeof marker.ts === 'number' && Date.now() - marker.ts < FRESH_MS;

if (params.get('success') === 'true') {
  localStorage.removeItem(ONBOARDING_MARKER);
  window.location.replace(fromOnboarding ? '/onboarding' : '/settings/integrations');
} else {
  const code = (params.get('error') || 'unknown_error').replace(/[^a-z0-9_.-]/gi, '_').slice(0, 60);
  const text = MESSAGES[code] || `The connection could not be completed (error: ${code}). Please try again.`;
  const back = fromOnboarding ? '/onboarding' : '/settings/integrations';
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
