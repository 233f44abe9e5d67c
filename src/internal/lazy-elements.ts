/**
 * Elements loaded on demand, so the console's first download stays small: the Chats tab
 * (`chat-session-list`, `chat-conversation` with its composer, message list and the
 * virtualizer) is not needed to show the Dashboard, which the console opens on. chat-window
 * starts loading it as soon as it connects; the dashboard's listen-in view awaits it too.
 * Their tags may be rendered before: they upgrade when the code arrives.
 */
let conversationElements: Promise<void> | undefined;

/** Loads and registers chat-session-list and chat-conversation (once per page). */
export function loadConversationElements(): Promise<void> {
  conversationElements ??= Promise.all([
    import('../components/chat-session-list/chat-session-list.js'),
    import('../components/chat-conversation/chat-conversation.js'),
  ]).then(() => undefined);
  return conversationElements;
}
