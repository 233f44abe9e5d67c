/**
 * chat-window re-exports the parts of the elements it renders (`session-list__item`, …) so hosts
 * can style them through the window. The lists are written out in chat-window; this test keeps
 * them in step with each child's documented parts in custom-elements.json (itself checked fresh
 * by `npm run manifest:check`), so a part added to a child cannot silently stay unreachable.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';

import '../../src/components/chat-window/chat-window.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.component.js';
import { fixtureClient } from '../helpers/fixture-client.js';

interface Manifest {
  modules: { declarations?: { tagName?: string; cssParts?: { name: string }[] }[] }[];
}

const CHILDREN: Record<string, string> = {
  'chat-connection-status': 'connection-status',
  'chat-dashboard': 'dashboard',
  'chat-session-list': 'session-list',
  'chat-conversation': 'conversation',
  'chat-contact-panel': 'contact-panel',
};

describe('<chat-window> exported parts', () => {
  it('re-exports every documented part of each element it renders', async () => {
    const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
    const documented = new Map<string, string[]>();
    for (const mod of manifest.modules) {
      for (const d of mod.declarations ?? []) {
        if (d.tagName) documented.set(d.tagName, (d.cssParts ?? []).map((p) => p.name));
      }
    }
    const { client } = await fixtureClient();
    const el = await fixture<ChatWindow>(html`<chat-window .client=${client}></chat-window>`);
    el.crmProvider = {} as never; // renders the contact panel once its code has loaded
    await customElements.whenDefined('chat-contact-panel');
    await waitUntil(() => el.shadowRoot!.querySelector('chat-contact-panel') !== null, 'contact panel rendered');
    for (const [tag, prefix] of Object.entries(CHILDREN)) {
      const child = el.shadowRoot!.querySelector(tag);
      expect(child, `${tag} is rendered`).to.exist;
      const exported = new Set(
        (child!.getAttribute('exportparts') ?? '')
          .split(',')
          .map((pair) => pair.trim())
          .filter(Boolean),
      );
      const parts = documented.get(tag) ?? [];
      expect(parts.length, `${tag} documents its parts`).to.be.greaterThan(0);
      const missing = parts.filter((p) => !exported.has(`${p}:${prefix}__${p}`));
      expect(missing, `${tag} parts not re-exported by chat-window`).to.deep.equal([]);
    }
    client.destroy();
  });
});
