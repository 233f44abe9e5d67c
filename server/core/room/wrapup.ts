/**
 * Close with a wrap-up (issue 18), directory side.
 *
 * Each channel chooses (its settings' `wrapUp`, edited in chat-channel-settings) whether a closing
 * comment is off, optional or required, the tags its agents choose from, and whether at least one
 * tag is required. The wrap-up of a chat (its tags and closing comment) is stored on the session
 * (migration 11: `sessions.tags` as a JSON array, `wrap_comment`) and travels in its summary, so
 * the session list can filter by tag and the statistics count them.
 *
 * - `wrapup`: sets a chat's tags and/or comment at any time: the handling agent while it is
 *   active; after the end the agent who handled it last or a manager of the channel.
 * - `end` with `wrapUp` and/or `notify: false`: an agent who ends an active chat must satisfy the
 *   channel's requirements (with what was stored before and what the frame gives), else `invalid`
 *   names what is missing. `notify: false` (spam) ends it without telling the customer: the
 *   `ended` event is agent-only (`meta.silent`) and the session is marked `closed_silently`.
 *   A customer leaving is never held up by the agent's wrap-up.
 */
import type { EndFrame, WrapUpFrame } from '../../../src/protocol/client-frames.js';
import type { WrapUpSettings } from '../../../src/protocol/channel-settings.js';
import { parseStored } from '../journey/settings.js';
import type { SessionRow } from '../store/index.js';
import { handlerOrManager, SessionAction } from './session-action.js';
import type { ConnState } from './types.js';
import { Refusal } from './types.js';

/** A chat's tags as stored (JSON array of strings; anything else reads as none). */
export function storedTags(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

interface WrapUpInput {
  comment?: string | undefined;
  tags?: readonly string[] | undefined;
}

export class WrapUp extends SessionAction {
  /** `wrapup`: the chat's tags and closing comment (each given one replaces what was stored). */
  set(state: ConnState, frame: WrapUpFrame): { sessionId: string; tags: string[] } {
    const { session } = this.target(state, frame.sessionId, handlerOrManager, 'only the agent who handles (or handled) this chat or a manager of its channel can wrap it up');
    if (session.status === 'queued') throw new Refusal('invalid', 'the chat has not been answered yet');
    const settings = this.settings(session);
    const tags = frame.tags !== undefined ? this.checkTags(frame.tags, settings) : undefined;
    this.ctx.tx((after) => {
      this.write(session, { comment: frame.comment, tags });
      this.dir.board.sessionChanged(session.id, after);
    });
    return { sessionId: session.id, tags: tags ?? storedTags(session.tags) };
  }

  /** `end` by an agent, with the channel's wrap-up requirements and the choice to notify. */
  end(state: ConnState, frame: EndFrame): void {
    const silent = frame.notify === false;
    if (state.principal.role === 'customer') {
      if (silent || frame.wrapUp) throw new Refusal('forbidden', 'customers end a chat without a wrap-up');
      this.dir.end(state, frame.sessionId);
      return;
    }
    const session = this.store.session(frame.sessionId);
    // Who may end is the directory's rule; the wrap-up applies to an answered chat that is open.
    if (session?.status !== 'active') {
      this.dir.end(state, frame.sessionId);
      return;
    }
    const settings = this.settings(session);
    const tags = frame.wrapUp?.tags !== undefined ? this.checkTags(frame.wrapUp.tags, settings) : storedTags(session.tags);
    const comment = (frame.wrapUp?.comment ?? session.wrap_comment ?? '').trim();
    if (settings.comment === 'required' && comment === '') throw new Refusal('invalid', 'this channel needs a closing comment before the chat is ended');
    if (settings.tagsRequired && tags.length === 0) throw new Refusal('invalid', 'this channel needs at least one tag before the chat is ended');
    this.dir.end(state, session.id, {
      silent,
      within: () => {
        this.write(session, { comment: frame.wrapUp?.comment, tags: frame.wrapUp?.tags !== undefined ? tags : undefined });
        if (silent) this.store.db.run('UPDATE sessions SET closed_silently = 1 WHERE tenant_id = ? AND id = ?', [this.ctx.tenantId, session.id]);
      },
    });
  }

  private settings(session: SessionRow): WrapUpSettings {
    return parseStored(this.store.channel(session.channel_id)?.settings ?? '{}').wrapUp;
  }

  /** Trimmed, without duplicates; only the channel's own tags when it lists any. */
  private checkTags(given: readonly string[], settings: WrapUpSettings): string[] {
    const tags = [...new Set(given.map((t) => t.trim()).filter((t) => t !== ''))];
    if (settings.tags.length > 0) {
      const unknown = tags.filter((t) => !settings.tags.includes(t));
      if (unknown.length > 0) throw new Refusal('invalid', `not a tag of this channel: ${unknown.join(', ')}`);
    }
    return tags;
  }

  private write(session: SessionRow, input: WrapUpInput): void {
    if (input.comment !== undefined) {
      const comment = input.comment.trim();
      this.store.db.run('UPDATE sessions SET wrap_comment = ? WHERE tenant_id = ? AND id = ?', [comment === '' ? null : comment, this.ctx.tenantId, session.id]);
    }
    if (input.tags !== undefined) {
      this.store.db.run('UPDATE sessions SET tags = ? WHERE tenant_id = ? AND id = ?', [JSON.stringify(input.tags), this.ctx.tenantId, session.id]);
    }
  }
}
