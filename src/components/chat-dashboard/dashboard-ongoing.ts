/**
 * The dashboard's table of ongoing chats (with Listen where I may listen in), and the texts of
 * a failed Answer.
 */
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

import { customerName } from '../../i18n/common.js';
import { msg, str } from '../../i18n/localization.js';
import type { AgentMe, SessionSummary } from '../../protocol/index.js';
import type { ListenPanel } from './dashboard-listen.js';
import { formatDuration } from './dashboard-stats.js';

export interface OngoingModel {
  rows: readonly SessionSummary[];
  me: AgentMe | undefined;
  /** The server's clock. */
  now: number;
  listen: ListenPanel;
  channelName: (id: string) => string;
}

export function renderOngoing({ rows, me, now, listen, channelName }: OngoingModel) {
  const anyListen = rows.some((s) => listen.canListen(s));
  return html`<section class="ongoing-section" aria-labelledby="ongoing-heading">
    <h2 part="ongoing-heading" class="heading" id="ongoing-heading" tabindex="-1">
      ${msg('Ongoing chats', { id: 'chat-dashboard.ongoing.heading' })}
      <span part="ongoing-count" class="count">${rows.length}</span>
    </h2>
    ${rows.length === 0
      ? html`<p part="ongoing-empty" class="empty">${msg('No chats are ongoing.', { id: 'chat-dashboard.ongoing.empty' })}</p>`
      : html`<div class="table-wrap">
          <table part="ongoing-table" class="ongoing" aria-labelledby="ongoing-heading">
            <thead>
              <tr>
                <th scope="col">${msg('Customer', { id: 'chat-dashboard.col.customer' })}</th>
                <th scope="col">${msg('Agent', { id: 'chat-dashboard.col.agent' })}</th>
                <th scope="col">${msg('Channel', { id: 'chat-dashboard.col.channel' })}</th>
                <th scope="col">${msg('Duration', { id: 'chat-dashboard.col.duration' })}</th>
                ${anyListen ? html`<th scope="col"><span class="visually-hidden">${msg('Listen', { id: 'chat-dashboard.listen' })}</span></th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${repeat(
                rows,
                (s) => s.id,
                (s) => {
                  const name = customerName(s.customer);
                  const listening = listen.id === s.id;
                  const mine = me !== undefined && s.agentId === me.id;
                  return html`<tr
                    part=${listening ? 'ongoing-row ongoing-row--listening' : 'ongoing-row'}
                    data-id=${s.id}
                    @dblclick=${(e: MouseEvent) => {
                      listen.onRowDblclick(e, s);
                    }}
                  >
                    <td part="customer"><span class="name">${name}</span></td>
                    <td part="agent">${mine ? msg('You', { id: 'chat-dashboard.you' }) : (s.agentName ?? '')}</td>
                    <td part="channel">${channelName(s.channelId)}</td>
                    <td part="duration" class="waiting">${formatDuration(now - (s.acceptedAt ?? s.createdAt), false)}</td>
                    ${anyListen
                      ? html`<td class="action">
                          ${listen.canListen(s)
                            ? html`<button
                                part="listen-button"
                                class=${listening ? 'btn btn--primary' : 'btn'}
                                type="button"
                                data-id=${s.id}
                                aria-pressed=${listening ? 'true' : 'false'}
                                aria-label=${msg(str`Listen to the chat with ${name}`, { id: 'chat-dashboard.listen-label' })}
                                @click=${() => {
                                  listen.toggle(s);
                                }}
                              >
                                <span class="ear" aria-hidden="true">◉</span>${msg('Listen', { id: 'chat-dashboard.listen' })}
                              </button>`
                            : nothing}
                        </td>`
                      : nothing}
                  </tr>`;
                },
              )}
            </tbody>
          </table>
        </div>`}
  </section>`;
}

/** Why answering a chat failed, in words. */
export function answerErrorText(code: string, message: string, name: string): string {
  switch (code) {
    case 'at_capacity':
      return msg('You are handling as many chats as you can. End a chat before you answer another one.', { id: 'chat-dashboard.error.capacity' });
    case 'conflict':
    case 'queue_empty':
    case 'not_found':
    case 'forbidden':
    case 'session_closed':
      return msg(str`Someone else answered the chat with ${name}, or it has ended.`, { id: 'chat-dashboard.error.taken' });
    case 'offline':
    case 'timeout':
      return msg('The chat could not be answered: no connection to the server. Try again when the connection is back.', { id: 'chat-dashboard.error.offline' });
    default:
      return msg(str`The chat could not be answered: ${message}`, { id: 'chat-dashboard.error.other' });
  }
}
