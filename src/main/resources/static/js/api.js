// Talking to the broker's HTTP API with the user's session token (docs/design.md "HTTP API").
const KEY = 'oauth-broker.session';
export const ONBOARDING_MARKER = 'onboarding-oauth-return';

/** A host application passes its JWT as #token=… once; it is kept for this tab only. */
export function adoptTokenFromUrl() {
  const match = /[#&]token=([^&]+)/.exec(location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(KEY, JSON.stringify({ token, userId: subjectOf(token) }));
    history.replaceState(null, '', location.pathname + location.search);
  }
}

/** The user id inside a JWT, for display only (the server verifies the token). */
function subjectOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub || null;
  } catch {
    return null;
  }
}

export function session() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch { return null; }
}

export function saveSession(value) {
  sessionStorage.setItem(KEY, JSON.stringify(value));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `request failed (${status})`);
    this.status = status;
    this.code = body && body.error;
    // admin_consent_required names the bucket whose admin-consent link fixes it
    this.bucket = body && body.bucket;
  }
}

/** fetch() of our own API; JSON in and out; a 401 ends the session. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const current = session();
  if (current && current.token) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  if (response.status === 401) signOut();
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/** The marker that brings the user back to onboarding after the provider's consent screen. */
export function saveOnboardingMarker(connectedTools) {
  localStorage.setItem(ONBOARDING_MARKER, JSON.stringify({ step: 'connect-tools', connectedTools, ts: Date.now() }));
}

export function readOnboardingMarker() {
  try { return JSON.parse(localStorage.getItem(ONBOARDING_MARKER)); } catch { return null; }
}

/** Starts the real OAuth redirect: the broker answers the provider's authorize URL. */
export async function startConnect(path) {
  const { authUrl } = await api('POST', path);
  window.location.assign(authUrl);
}

export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function humanDuration(ms) {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
