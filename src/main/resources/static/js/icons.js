// Inline SVG icons (no external assets). Simple marks evoking each provider, plus UI glyphs.
// All are decorative — the provider's or tool's name is always written next to them — so they are
// hidden from assistive technology.
const svg = body => `<svg class="icon" viewBox="0 0 32 32" aria-hidden="true" focusable="false">${body}</svg>`;

const marks = {
  github: svg('<circle cx="16" cy="16" r="15" fill="#1f2328"/><path fill="#fff" d="M16 7a9 9 0 0 0-2.8 17.5c.4.1.6-.2.6-.4v-1.6c-2.5.5-3-1.1-3-1.1-.4-1-1-1.3-1-1.3-.8-.6.1-.6.1-.6.9.1 1.4 1 1.4 1 .8 1.4 2.1 1 2.6.7.1-.6.3-1 .6-1.2-2-.2-4.1-1-4.1-4.4 0-1 .3-1.8 1-2.4-.1-.2-.4-1.2.1-2.4 0 0 .8-.3 2.5.9a8.6 8.6 0 0 1 4.5 0c1.7-1.2 2.5-.9 2.5-.9.5 1.2.2 2.2.1 2.4.6.6 1 1.4 1 2.4 0 3.5-2.1 4.2-4.1 4.4.3.3.6.8.6 1.6v2.4c0 .2.2.5.6.4A9 9 0 0 0 16 7z"/>'),
  atlassian: svg('<rect width="32" height="32" rx="7" fill="#0c66e4"/><path fill="#fff" d="M11.5 15.2c-.3-.3-.7-.3-.9.1L6 24.4c-.2.4.1.8.5.8h6.4c.2 0 .4-.1.5-.3 1.4-2.9.5-7.3-1.9-9.7zM15.3 6.7c-2.3 3.7-2.2 7.7-.7 10.8l3.1 6.9c.1.2.3.3.5.3h6.4c.4 0 .7-.4.5-.8L16.2 6.7c-.2-.4-.7-.4-.9 0z"/>'),
  microsoft: svg('<rect x="3" y="3" width="12.5" height="12.5" fill="#f25022"/><rect x="16.5" y="3" width="12.5" height="12.5" fill="#7fba00"/><rect x="3" y="16.5" width="12.5" height="12.5" fill="#00a4ef"/><rect x="16.5" y="16.5" width="12.5" height="12.5" fill="#ffb900"/>'),
  google: svg('<circle cx="16" cy="16" r="15" fill="#fff" stroke="#dadce0"/><path fill="#4285f4" d="M25 16.2c0-.7-.1-1.3-.2-1.9H16v3.6h5.1a4.4 4.4 0 0 1-1.9 2.9v2.4h3A9 9 0 0 0 25 16.2z"/><path fill="#34a853" d="M16 25.3c2.5 0 4.7-.8 6.2-2.2l-3-2.4c-.8.6-1.9.9-3.2.9-2.5 0-4.5-1.7-5.3-3.9H7.6v2.4a9.3 9.3 0 0 0 8.4 5.2z"/><path fill="#fbbc04" d="M10.7 17.7a5.6 5.6 0 0 1 0-3.5v-2.4H7.6a9.3 9.3 0 0 0 0 8.3z"/><path fill="#ea4335" d="M16 10.4c1.4 0 2.6.5 3.6 1.4l2.7-2.7A9.2 9.2 0 0 0 7.6 11.8l3.1 2.4c.8-2.2 2.8-3.8 5.3-3.8z"/>'),
  slack: svg('<rect width="32" height="32" rx="7" fill="#4a154b"/><g fill="#fff"><rect x="8" y="14" width="10" height="3.4" rx="1.7"/><rect x="14" y="8" width="3.4" height="10" rx="1.7"/><rect x="14.6" y="14.6" width="10" height="3.4" rx="1.7"/><rect x="14.6" y="14.6" width="3.4" height="10" rx="1.7"/></g>'),
  figma: svg('<rect width="32" height="32" rx="7" fill="#1e1e1e"/><circle cx="19" cy="16" r="3" fill="#1abcfe"/><path fill="#0acf83" d="M13 25a3 3 0 0 0 3-3v-3h-3a3 3 0 0 0 0 6z"/><path fill="#a259ff" d="M10 16a3 3 0 0 1 3-3h3v6h-3a3 3 0 0 1-3-3z"/><path fill="#f24e1e" d="M10 10a3 3 0 0 1 3-3h3v6h-3a3 3 0 0 1-3-3z"/><path fill="#ff7262" d="M16 7h3a3 3 0 0 1 0 6h-3z"/>'),
  zoom: svg('<rect width="32" height="32" rx="8" fill="#0b5cff"/><rect x="7" y="11" width="12" height="10" rx="2.5" fill="#fff"/><path fill="#fff" d="M20 14.5l5-3v9l-5-3z"/>'),
  sandbox: svg('<rect width="32" height="32" rx="8" fill="#f4b400"/><path fill="#fff" d="M6 23h20l-3-6H9zM12 16l4-8 4 8z"/>'),
  generic: svg('<rect width="32" height="32" rx="8" fill="#5b6477"/><circle cx="16" cy="16" r="6" fill="none" stroke="#fff" stroke-width="2.5"/><path stroke="#fff" stroke-width="2.5" d="M16 5v5M16 22v5M5 16h5M22 16h5"/>')
};

const providerOf = { jira: 'atlassian', confluence: 'atlassian', outlook: 'microsoft', teams: 'microsoft', onedrive: 'microsoft',
  onenote: 'microsoft', sharepoint: 'microsoft', google_workspace: 'google', github: 'github', slack: 'slack', figma: 'figma', zoom: 'zoom' };

/** The decorative icon of a provider or tool id. */
export function icon(id) {
  const key = marks[id] ? id : providerOf[id] && marks[providerOf[id]] ? providerOf[id] : 'generic';
  return marks[key];
}

export const glyphs = {
  check: '<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M6.2 11.4 2.8 8l-1 1 4.4 4.4L14.2 5.4l-1-1z"/></svg>',
  clock: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path stroke="currentColor" stroke-width="1.5" d="M8 4v4.5l3 1.5"/></svg>',
  alert: '<svg viewBox="0 0 16 16" aria-hidden="true"><path fill="currentColor" d="M8 1 .5 15h15zM7.3 6h1.4v4.5H7.3zm0 5.6h1.4V13H7.3z"/></svg>',
  off: '<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>'
};
