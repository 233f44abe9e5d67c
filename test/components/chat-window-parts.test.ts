/**
 * chat-window re-exports the parts of the elements it renders (`session-list__item`, …) so hosts
 * can style them through the window. The lists are written out in chat-window; this test keeps
 * them in step with each child's documented parts in custom-elements.json (itself checked fresh
 * by `npm run manifest:check`), so a part added to a child cannot silently stay unreachable.
 * Below it, the same for the agent tools one level down: chat-composer documents every part it
 * renders (its panels included), chat-conversation forwards and documents the parts of the
 * composer and the transcript, and documents the parts of its Create request dialog.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';

import '../../src/components/chat-window/chat-window.js';
import '../../src/components/chat-composer/chat-composer.js';
import type { ChatComposer } from '../../src/components/chat-composer/chat-composer.component.js';
import type { ChatConversation } from '../../src/components/chat-conversation/chat-conversation.component.js';
import type { ChatWindow } from '../../src/components/chat-window/chat-window.component.js';
import { createMemoryCrmProvider } from '../../src/crm/memory-provider.js';
import type { Reply } from '../../src/protocol/index.js';
import { ChatHttpError } from '../../src/state/index.js';
import { until } from '../helpers/chat-server.js';
import { fixtureClient, NOW, session } from '../helpers/fixture-client.js';

interface Manifest {
  modules: { declarations?: { tagName?: string; cssParts?: { name: string }[] }[] }[];
}

/** The parts each element documents (`@csspart`), from custom-elements.json. */
async function documentedParts(): Promise<Map<string, string[]>> {
  const manifest = (await (await fetch('/custom-elements.json')).json()) as Manifest;
  const documented = new Map<string, string[]>();
  for (const mod of manifest.modules) {
    for (const d of mod.declarations ?? []) {
      if (d.tagName) documented.set(d.tagName, (d.cssParts ?? []).map((p) => p.name));
    }
  }
  return documented;
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
    const documented = await documentedParts();
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

/** Every `part` token rendered in `root` (and in the shadow roots of nothing else). */
function renderedParts(root: ShadowRoot, into = new Set<string>()): Set<string> {
  for (const el of root.querySelectorAll('[part]')) for (const p of (el.getAttribute('part') ?? '').split(/\s+/)) if (p !== '') into.add(p);
  return into;
}

/** `exportparts` of an element: inner part → outer name. */
function exportedBy(el: Element): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of (el.getAttribute('exportparts') ?? '').split(',')) {
    const [inner, outer] = pair.split(':').map((x) => x.trim());
    if (inner) out.set(inner, outer ?? inner);
  }
  return out;
}

describe('parts of the agent tools are documented and forwarded', function () {
  this.timeout(20_000);
  let documented: Map<string, string[]>;

  before(async () => {
    documented = await documentedParts();
  });

  const reply = (id: string, title: string, ownerId: string | null, shortcut: string | null = null): Reply => ({
    id,
    kind: 'quick-reply',
    title,
    text: `${title}.`,
    shortcut,
    folder: 'General',
    language: 'en',
    channelIds: null,
    ownerId,
    url: null,
    favourite: false,
    lastUsedAt: null,
    useCount: 0,
    createdAt: NOW,
    updatedAt: NOW,
  });

  it('chat-composer documents every part it renders (tools, files, Insert picker and its views, emoji, CRM documents)', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1' })] });
    const c = client as unknown as Record<string, unknown>;
    c.listReplies = () => Promise.resolve([reply('a', 'Greeting', null, 'hello'), reply('b', 'Mine', 'ann')]);
    c.deleteReply = () => Promise.resolve();
    c.createReply = () => Promise.reject(new ChatHttpError('invalid', 'invalid', 400, undefined, { title: 'Enter a title.', other: 'Something else.' }));
    c.attachmentLimits = () => Promise.reject(new Error('offline'));
    let uploads = 0;
    c.uploadAttachment = (_id: string, f: File) => {
      uploads += 1;
      if (uploads === 1) return new Promise(() => undefined);
      if (uploads === 2) return Promise.resolve({ id: 'f2', name: f.name, size: f.size, type: 'text/plain' });
      return Promise.reject(new ChatHttpError('invalid', 'refused', 415, 'type'));
    };
    const el = await fixture<ChatComposer>(html`<chat-composer .client=${client} session-id="s1" agent-tools allow-notes label="Message to Kim"></chat-composer>`);
    el.crmProvider = createMemoryCrmProvider({
      data: { documents: [{ id: 'd1', name: 'Guide.pdf', type: 'application/pdf', size: 9, updatedAt: 1, content: new TextEncoder().encode('%PDF-1.4\n') }] },
    });
    const root = el.shadowRoot!;
    const seen = new Set<string>();
    const look = async () => {
      await el.updateComplete;
      renderedParts(root, seen);
    };
    const click = (selector: string) => {
      root.querySelector<HTMLElement>(selector)!.click();
    };

    el.setMode('note');
    el.setText('x'.repeat(4000));
    el.addFiles([new File(['1'], 'one.txt', { type: 'text/plain' }), new File(['2'], 'two.txt', { type: 'text/plain' }), new File(['3'], 'three.svg')]);
    await until(() => root.querySelector('[part~="upload--failed"]') !== null && root.querySelector('[part~="upload--done"]') !== null, 'files in each state');
    await look();
    el.setMode('reply');
    el.setText('');
    await look();

    click('[part~="insert-button"]');
    await until(() => root.querySelector('[part~="picker-option"]') !== null, 'replies listed');
    await look();
    const search = root.querySelector<HTMLInputElement>('#picker-search')!;
    search.value = 'nothing like it';
    search.dispatchEvent(new Event('input'));
    await until(() => root.querySelector('[part~="picker-empty"]') !== null, 'nothing matches');
    await look();
    click('[part~="picker-manage"]');
    await until(() => root.querySelector('[part~="picker-delete"]') !== null, 'manage view');
    await look();
    click('[part~="picker-delete"]');
    await until(() => root.querySelector('[part~="picker-delete-confirm"]') !== null, 'confirm');
    await look();
    click('[part~="picker-delete-confirm"]');
    await until(() => root.querySelector('[part~="picker-notice"]') !== null, 'deleted');
    await look();
    click('[part~="picker-new"]');
    await until(() => root.querySelector('[part~="picker-form"]') !== null, 'form');
    click('[part~="picker-form-save"]');
    await until(() => root.querySelector('[part~="picker-field-error"]') !== null && root.querySelector('[part~="picker-form-error"]') !== null, 'errors');
    await look();
    click('[part~="picker-form-cancel"]');

    click('[part~="emoji-button"]');
    await until(() => root.querySelector('[part~="emoji"]') !== null, 'emoji');
    await look();
    click('[part~="document-button"]');
    await until(() => root.querySelector('[part~="document-option"]') !== null, 'documents');
    await look();

    const parts = documented.get('chat-composer') ?? [];
    const undocumented = [...seen].filter((p) => !parts.includes(p));
    expect(undocumented, 'rendered by chat-composer but not documented').to.deep.equal([]);
    expect(seen.has('picker-form-cancel') && seen.has('document-name') && seen.has('upload--uploading')).to.equal(true, 'every state was rendered');
    client.destroy();
  });

  it('chat-conversation forwards every documented part of chat-composer and chat-message-list (their `base` is its own part) and documents them', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1', customer: { name: 'Kim' } })] });
    client.selectSession('s1');
    const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 400px" .client=${client}></chat-conversation>`);
    await until(() => el.shadowRoot!.querySelector('chat-composer') !== null, 'composer');
    const conversation = documented.get('chat-conversation') ?? [];
    for (const [tag, own] of [
      ['chat-composer', 'composer'],
      ['chat-message-list', 'transcript'],
    ] as const) {
      const child = el.shadowRoot!.querySelector(tag)!;
      expect(child.getAttribute('part')).to.equal(own);
      const forwarded = exportedBy(child);
      const notForwarded = (documented.get(tag) ?? []).filter((p) => p !== 'base' && !forwarded.has(p));
      expect(notForwarded, `parts of ${tag} not forwarded by chat-conversation`).to.deep.equal([]);
      const undocumented = [...forwarded.values()].filter((p) => !conversation.includes(p));
      expect(undocumented, `parts forwarded from ${tag} but not documented by chat-conversation`).to.deep.equal([]);
    }
    client.destroy();
  });

  it('chat-conversation documents the parts of its Create request dialog', async () => {
    const { client } = await fixtureClient({ sessions: [session({ id: 's1', customer: { name: 'Kim' } })] });
    client.selectSession('s1');
    const provider = createMemoryCrmProvider({ now: () => NOW, data: { sessions: [{ id: 's1', customer: { name: 'Kim' }, status: 'active', startedAt: NOW - 1000 }] } });
    const el = await fixture<ChatConversation>(html`<chat-conversation style="height: 560px" .client=${client} .crmProvider=${provider}></chat-conversation>`);
    const root = el.shadowRoot!;
    await until(() => root.querySelector('[part~="request-button"]') !== null, 'request button');
    root.querySelector<HTMLElement>('[part~="request-button"]')!.click();
    await until(() => root.querySelector<HTMLDialogElement>('.request-dialog')?.open === true && root.querySelector('[part~="request-contact"]') !== null, 'dialog');
    const title = root.querySelector<HTMLInputElement>('#request-title')!;
    title.value = '';
    title.dispatchEvent(new Event('input'));
    root.querySelector<HTMLElement>('[part~="request-confirm"]')!.click();
    await until(() => root.querySelector('[part~="request-field-error"]') !== null, 'field error');
    const conversation = documented.get('chat-conversation') ?? [];
    const undocumented = [...renderedParts(root)].filter((p) => !conversation.includes(p));
    expect(undocumented, 'rendered by chat-conversation but not documented').to.deep.equal([]);
    root.querySelector<HTMLDialogElement>('.request-dialog')!.close();
    client.destroy();
  });
});
