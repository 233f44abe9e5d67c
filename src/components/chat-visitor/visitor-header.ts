/**
 * The customer widget's launcher (with the channel's badge text and the count of new messages)
 * and the panel's header (the agent's name and initials once one joined, else the channel's
 * header and logo; the status line; End chat or Leave the queue; minimise). Pure render
 * functions: chat-visitor.component.ts gives them what they show. Channel texts render as text.
 */
import { html, nothing } from 'lit';

import { connectionText } from '../../i18n/common.js';
import type { ConnectionStatus } from '../../state/types.js';
import type { VisitorChannel } from '../../state/visitor-http.js';
import { t } from './visitor-texts.js';
import type { Phase } from './visitor-follow.js';
import { icons, initials } from './visitor-icons.js';

export function renderLauncher(open: boolean, channel: VisitorChannel | undefined, unread: number, onClick: () => unknown) {
  const label = channel?.badge ?? t.launcher();
  return html`<button part="launcher" class="launcher" type="button" aria-expanded=${open ? 'true' : 'false'} aria-controls="panel" title=${open ? t.minimize() : nothing} @click=${onClick}>
    ${open ? icons.down : icons.chat}
    <span class=${open ? 'visually-hidden' : 'launcher-text'}>${label}</span>
    ${unread > 0 && !open ? html`<span part="badge" class="badge"><span class="visually-hidden">${t.newMessages()}</span> ${unread}</span>` : nothing}
  </button>`;
}

export interface HeaderState {
  phase: Phase;
  /** The channel whose texts and look the widget wears. */
  channel: VisitorChannel | undefined;
  agentName: string | undefined;
  connection: ConnectionStatus | undefined;
  position: number | undefined;
  /** End chat (or Leave the queue) is offered. */
  canEnd: boolean;
  onEnd: () => unknown;
  onClose: () => unknown;
}

export function renderHeader({ phase, channel, agentName, connection, position, canEnd, onEnd, onClose }: HeaderState) {
  const look = channel?.look;
  const title = agentName ?? channel?.texts?.header ?? t.panelTitle();
  // The agent's initials once one joined (unless the channel hides them), else the channel's logo.
  const avatar = agentName && look?.agentPhoto !== false ? initials(agentName) : look?.logoUrl ? html`<img part="logo" class="logo" src=${look.logoUrl} alt="" referrerpolicy="no-referrer" />` : icons.chat;
  const status = {
    form: () => t.subtitleForm(),
    connecting: () => connectionText(connection ?? 'connecting') || t.connecting(),
    queued: () => t.queue(position),
    active: () => t.subtitleActive(),
    ended: () => t.subtitleEnded(),
  }[phase]();
  return html`<header part="header" class="header">
    <span part="avatar" class="avatar" aria-hidden="true">${avatar}</span>
    <div class="heading">
      <h2 id="title" part="title" class="title">${title}</h2>
      <p part="status" class="status" data-phase=${phase}>${status}</p>
    </div>
    ${canEnd ? html`<button part="end" class="btn header-btn end" type="button" @click=${onEnd}>${phase === 'queued' ? t.leaveQueue() : t.end()}</button>` : nothing}
    <button part="close" class="icon-btn close" type="button" aria-label=${phase === 'ended' ? t.close() : t.minimize()} title=${phase === 'ended' ? t.close() : t.minimize()} @click=${onClose}>
      ${icons.down}
    </button>
  </header>`;
}
