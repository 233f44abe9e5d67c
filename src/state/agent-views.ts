/**
 * The agent console's views: one or two computed stores made for each element, so that an event
 * re-renders only the elements whose view changed. A view holds exactly what its element shows;
 * its listeners hear of a change only when a shown value changed.
 *
 * | view | element | changes when |
 * |---|---|---|
 * | `sessionList` | chat-session-list rows | a row of my list (transfers, ongoing, completed) or the queue / load counts change |
 * | `listContext` | chat-session-list header | who I am, live or not, channel names, the clock, the selection |
 * | `conversation(id)` | chat-conversation | the chat's state (not its last message), its typing, who I am, live, the transcript's handover |
 * | `messageList(id)` | chat-message-list | the chat's messages, its pending messages, the customer's read receipt |
 * | `selected` | chat-window customer panel, chat-contact-panel | the selected chat's state |
 * | `sessionState(id)` | chat-contact-panel with `session-id`, the dashboard's listen panel | the chat's state |
 * | `windowBadges` | chat-window | queue and load counts, my presence, wait warnings |
 * | `dashboard` | chat-dashboard | waiting rows, ongoing rows (not their last messages), who I am, live |
 *
 * `agentViews(client)` makes them on first use and keeps them with the client (`client.views.agent`);
 * views of one session are made per id on first use. This module is imported by the agent
 * elements only: the customer widget never downloads it.
 */
import { computed } from 'nanostores';

import type { AgentInfo, AgentMe, Author, ChannelInfo, ChatMessage, Customer, SessionSummary, WarningLevel } from '../protocol/index.js';
import { byId } from './board.js';
import type { ChatClient } from './create-chat-client.js';
import { byActivity, groupOf, sameApartFromActivity, transferDirection } from './session-groups.js';
import type { ViewSpec } from './sorted-view.js';
import { sortedView } from './sorted-view.js';
import type { OutboxItem, SessionMessages, TypingState } from './types.js';
import { pendingOf, perId, shallowEqual, view } from './views.js';

export interface SessionListRows {
  transfers: readonly SessionSummary[];
  ongoing: readonly SessionSummary[];
  completed: readonly SessionSummary[];
  /** Chats waiting in the channels where I may answer (the queue count). */
  queued: number;
  /** Active chats I handle that count against my limit: not those on hold (my load). */
  load: number;
}

export interface SessionListContext {
  me: AgentMe | undefined;
  live: boolean;
  channelNames: ReadonlyMap<string, string>;
  /** Server clock minus client clock. */
  clockOffset: number;
  selected: string | undefined;
}

export interface ConversationView {
  /** The chat as the board has it; unchanged by its message-level fields (last message, unread). */
  session: SessionSummary | undefined;
  me: AgentMe | undefined;
  live: boolean;
  channels: readonly ChannelInfo[];
  typing: TypingState | undefined;
  /** The transcript reflects the server. */
  ready: boolean;
  /** The newest transfer, takeover or move to a queue in the transcript. */
  handover: ChatMessage | undefined;
  /** The customer as the transcript names them (for a chat that is not on the board). */
  customer: Author | undefined;
}

export interface MessageListView {
  messages: SessionMessages | undefined;
  /** My messages of this chat that the server has not confirmed into the stream yet. */
  pending: readonly OutboxItem[];
  meId: string | undefined;
  /** The customer's read receipt (agents; 0 = none). */
  readSeq: number;
  live: boolean;
}

export interface SelectedView {
  id: string | undefined;
  session: SessionSummary | undefined;
  channelName: string | undefined;
}

export interface WarningRow {
  sessionId: string;
  level: WarningLevel;
  waitingSince: number;
  customer: Customer | undefined;
  channelId: string;
  channelName: string;
  createdAt: number | undefined;
}

export interface WindowBadges {
  me: AgentMe | undefined;
  /** My agent record (presence and chat limit as the board has them). */
  myAgent: AgentInfo | undefined;
  queued: number;
  /** Active chats I handle (the Chats badge), with those on hold. */
  mine: number;
  /** Those of them that count against my limit: not those on hold (my load). */
  load: number;
  warnings: readonly WarningRow[];
  clockOffset: number;
}

export interface DashboardView {
  /** Chats waiting in the channels where I may answer, oldest first. */
  queued: readonly SessionSummary[];
  /** Active chats in my channels, longest first; unchanged by their message-level fields. */
  ongoing: readonly SessionSummary[];
  me: AgentMe | undefined;
  live: boolean;
  /** Active chats I handle that count against my limit: not those on hold (my load). */
  load: number;
  channelNames: ReadonlyMap<string, string>;
  clockOffset: number;
}

const HANDOVER = new Set(['transferred', 'taken-over', 'requeued']);

function createAgentViews(client: ChatClient) {
  const { $connection, $agentMe, $channels, $clockOffset, $warnings, $selectedSessionId } = client;
  const { sessions, agents, work } = client.board;
  const $meId = computed($agentMe, (me) => me?.id);

  const $live = computed($connection, (c) => c.status === 'live');
  const $channelNames = computed($channels, (list): ReadonlyMap<string, string> => new Map(list.map((c) => [c.id, c.name])));

  // ---- one session ----------------------------------------------------------------------------

  /** A session's record that changes only when more than its message-level fields do. */
  const sessionState = perId((id) => view(computed(sessions.item(id), (s) => s), sameApartFromActivity));

  const pending = pendingOf(client.$outbox);

  /**
   * What the conversation needs of a transcript, kept up by looking at new messages only: ready,
   * the newest handover event, the customer's name. A transcript that changed otherwise (a
   * snapshot, older messages) is looked at again in full.
   */
  const transcriptFacts = perId((id) => {
    let seen: readonly ChatMessage[] = [];
    let handover: ChatMessage | undefined;
    let customer: Author | undefined;
    return view(
      computed(client.$sessionMessages(id), (m) => {
        const items = m?.items ?? [];
        const appended = seen.length > 0 && items.length >= seen.length && items[0] === seen[0] && items[seen.length - 1] === seen[seen.length - 1];
        if (!appended) {
          handover = undefined;
          customer = undefined;
        }
        for (let i = appended ? seen.length : 0; i < items.length; i += 1) {
          const x = items[i];
          if (!x) continue;
          if (x.kind === 'event' && x.event !== undefined && HANDOVER.has(x.event)) handover = x;
          customer ??= x.author.kind === 'customer' ? x.author : undefined;
        }
        seen = items;
        return { ready: m?.ready === true, handover, customer };
      }),
    );
  });

  const conversation = perId((id) =>
    view(
      computed(
        [sessionState(id), $agentMe, $live, $channels, client.$sessionTyping(id), transcriptFacts(id)],
        (session, me, live, channels, typingState, facts): ConversationView => ({ session, me, live, channels, typing: typingState, ...facts }),
      ),
    ),
  );

  const readSeqOf = perId((id) => computed([sessions.item(id), $meId], (s, meId) => (meId === undefined ? 0 : (s?.customerReadSeq ?? 0))));

  const messageList = perId((id) =>
    view(
      computed(
        [client.$sessionMessages(id), pending(id), $meId, readSeqOf(id), $live],
        (m, pending, meId, readSeq, live): MessageListView => ({ messages: m, pending, meId, readSeq, live }),
      ),
    ),
  );

  // ---- the selected session -------------------------------------------------------------------

  const selected = view(
    computed([$selectedSessionId, sessions.$version, $channelNames], (id, _version, names): SelectedView => {
      const session = id === undefined ? undefined : sessions.get(id);
      return { id, session, channelName: session ? (names.get(session.channelId) ?? session.channelId) : undefined };
    }),
    (a, b) => a.id === b.id && a.channelName === b.channelName && sameApartFromActivity(a.session, b.session),
  );

  // ---- my session list --------------------------------------------------------------------------

  const group = (key: 'ongoing' | 'completed') =>
    sortedView(
      sessions,
      computed($meId, (meId): ViewSpec<SessionSummary, SessionSummary> => ({ select: (s) => (!transferDirection(s, meId) && groupOf(s, meId) === key ? s : undefined), order: byActivity })),
      work,
    );
  const transfers = sortedView(
    sessions,
    computed($meId, (meId): ViewSpec<SessionSummary, SessionSummary> => ({ select: (s) => (transferDirection(s, meId) ? s : undefined), order: byActivity })),
    work,
  );

  const sessionList = view(
    computed([transfers, group('ongoing'), group('completed'), client.$queuedCount, client.$loadCount], (t, o, c, queued, load): SessionListRows => ({
      transfers: t,
      ongoing: o,
      completed: c,
      queued,
      load,
    })),
  );

  const listContext = view(
    computed([$agentMe, $live, $channelNames, $clockOffset, $selectedSessionId], (me, live, channelNames, clockOffset, sel): SessionListContext => ({
      me,
      live,
      channelNames,
      clockOffset,
      selected: sel,
    })),
  );

  // ---- chat-window ------------------------------------------------------------------------------

  const warningRows = view(
    computed([$warnings, sessions.$version, $channelNames], (list, _version, names): readonly WarningRow[] =>
      list.map((w) => {
        const s = sessions.get(w.sessionId);
        const channelId = s?.channelId ?? '';
        return {
          sessionId: w.sessionId,
          level: w.level,
          waitingSince: w.waitingSince,
          customer: s?.customer,
          channelId,
          channelName: names.get(channelId) ?? channelId,
          createdAt: s?.createdAt,
        };
      }),
    ),
    (a, b) => a.length === b.length && a.every((row, i) => shallowEqual(row, b[i])),
  );

  const windowBadges = view(
    computed([$agentMe, client.$myAgent, client.$queuedCount, client.$mineCount, client.$loadCount, warningRows, $clockOffset], (me, myAgent, queued, mine, load, warnings, clockOffset): WindowBadges => ({
      me,
      myAgent,
      queued,
      mine,
      load,
      warnings,
      clockOffset,
    })),
  );

  // ---- chat-dashboard ---------------------------------------------------------------------------

  const $myChannelsKey = computed($agentMe, (me) => (me?.channels.map((c) => c.id) ?? []).sort().join('\n'));
  const ongoing = sortedView(
    sessions,
    computed($myChannelsKey, (key): ViewSpec<SessionSummary, SessionSummary> => {
      const channels = new Set(key === '' ? [] : key.split('\n'));
      return {
        select: (s) => (s.status === 'active' && channels.has(s.channelId) ? s : undefined),
        order: (a, b) => (a.acceptedAt ?? a.createdAt) - (b.acceptedAt ?? b.createdAt) || byId(a, b),
        same: sameApartFromActivity,
      };
    }),
    work,
  );

  const dashboard = view(
    computed(
      [client.$queued, ongoing, $agentMe, $live, client.$loadCount, $channelNames, $clockOffset],
      (queued, rows, me, live, load, channelNames, clockOffset): DashboardView => ({ queued, ongoing: rows, me, live, load, channelNames, clockOffset }),
    ),
  );

  /** Changes with every change of the board (sessions or agents): for work that follows the board without rendering it. */
  const boardChanges = computed([sessions.$version, agents.$version], (a, b) => a + b);

  return {
    sessionList,
    listContext,
    conversation,
    messageList,
    selected,
    sessionState,
    windowBadges,
    dashboard,
    boardChanges,
  };
}

export type AgentViews = ReturnType<typeof createAgentViews>;

/** The agent console's views of a client, made on first use and kept with it (`client.views.agent`). */
export function agentViews(client: ChatClient): AgentViews {
  return (client.views.agent ??= createAgentViews(client));
}
