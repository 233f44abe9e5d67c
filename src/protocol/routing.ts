/**
 * How a channel routes its chats (issue 18): automatic assignment (off: agents pull with "Get
 * next" or answer a chat; round robin; least busy) and how long an offered chat waits for the
 * agent's answer. Stored per channel (migration 12), edited by the channel's managers
 * (`chat-channel-settings`, `PUT /api/channels/:id/settings`) and by provisioning.
 */
export const ASSIGN_MODES = ['off', 'round-robin', 'least-busy'] as const;
export type AssignMode = (typeof ASSIGN_MODES)[number];

/** Shortest and longest time an offered chat waits for the agent's answer (seconds). */
export const MIN_OFFER_SECONDS = 10;
export const MAX_OFFER_SECONDS = 600;
export const DEFAULT_OFFER_SECONDS = 30;

/** Automatic assignment of a channel. */
export interface ChannelAssignment {
  mode: AssignMode;
  /** An offered chat not accepted within this many seconds: the agent is set Away, the chat offered to the next. */
  offerSeconds: number;
}

export const DEFAULT_ASSIGNMENT: ChannelAssignment = { mode: 'off', offerSeconds: DEFAULT_OFFER_SECONDS };
