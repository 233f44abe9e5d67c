import { expect } from '@open-wc/testing';

import { announce, announcerText, ensureAnnouncer } from '../../src/internal/announcer.js';
import { until } from '../helpers/chat-server.js';

describe('page announcer', () => {
  it('lives in the light DOM once per page, polite and assertive', () => {
    ensureAnnouncer();
    ensureAnnouncer();
    expect(document.querySelectorAll('[data-chat-announcer="polite"]')).to.have.length(1);
    expect(document.querySelector('[data-chat-announcer="assertive"]')?.getAttribute('aria-live')).to.equal('assertive');
  });

  it('coalesces a burst into one announcement of the newest three, without doubled punctuation', async () => {
    for (const text of ['Ana: hi', 'Ana: one.', 'Ana: two', 'Ana: three?']) announce(text);
    await until(() => announcerText().polite !== '', 'announced');
    expect(announcerText().polite).to.equal('Ana: one. Ana: two. Ana: three?');
  });

  it('speaks failures assertively', async () => {
    announce('Message not sent', { assertive: true });
    await until(() => announcerText().assertive === 'Message not sent', 'assertive');
  });
});
