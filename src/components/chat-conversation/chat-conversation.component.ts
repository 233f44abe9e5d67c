import { consume } from '@lit/context';
import { msg, str } from '@lit/localize';
import type { PropertyValues } from 'lit';
import { html, nothing, svg } from 'lit';
import { property, query, state } from 'lit/decorators.js';

import type { CrmProvider, CrmRequest } from '../../crm/types.js';
import { ChatErrorEvent } from '../../events/chat-error-event.js';
import type { ChatMessageActionEvent } from '../../events/chat-message-action-event.js';
import { ChatRequestCreateEvent } from '../../events/chat-request-create-event.js';
import { ChatRequestOpenEvent } from '../../events/chat-request-open-event.js';
import { ChatSessionCloseEvent } from '../../events/chat-session-close-event.js';
import { ChatSessionEndEvent } from '../../events/chat-session-end-event.js';
import { customerName, formatTime } from '../../i18n/common.js';
import { announce } from '../../internal/announcer.js';
import { ChatElement } from '../../internal/chat-element.js';
import { identityBadge, identityBadgeStyles } from '../../internal/identity-badge.js';
import { StoreController } from '../../internal/store-controller.js';
import { MAX_TRANSFER_NOTE } from '../../protocol/limits.js';
import type { AgentInfo, AgentMe, ChatMessage, SessionStatus, SessionSummary, TransferTarget } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { SessionMessages } from '../../state/types.js';
import { ChatError } from '../../state/types.js';
import type { ConversationView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { ChatComposer } from '../chat-composer/chat-composer.component.js';
import { adoptLazyStyles } from '../../internal/lazy-styles.js';
import { ChatMessageList } from '../chat-message-list/chat-message-list.component.js';
import { conversationStyles } from './chat-conversation.styles.js';
import type { RequestDialog } from './request-dialog.js';

const icons = {
  chat: svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"><path d="M8 10h32v22H20l-8 7v-7H8z"/><path d="M15 18h18M15 24h12" stroke-linecap="round"/></svg>`,
  transfer: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="M2.5 5.5h10M10 3l2.5 2.5L10 8M13.5 10.5h-10M6 8l-2.5 2.5L6 13"/></svg>`,
  hourglass: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M4 2h8M4 14h8M5 2c0 3 6 3.5 6 6s-6 3-6 6M11 2c0 3-6 3.5-6 6s6 3 6 6"/></svg>`,
  info: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor"><path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Zm.8 10H7.2V7h1.6v4.5ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z"/></svg>`,
  ear: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"><path d="M4.5 6.5a3.5 3.5 0 1 1 7 0c0 2-2 2.5-2 4.5a2 2 0 0 1-3.5 1.3M6.5 6.5a1.5 1.5 0 0 1 3 0"/></svg>`,
  request: svg`<svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"><path d="M3 2.5h10v11H3z"/><path d="M5.5 6h5M5.5 8.5h5M5.5 11h3" stroke-linecap="round"/></svg>`,
  upload: svg`<svg viewBox="0 0 48 48" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"><path d="M24 31V9M15 18l9-9 9 9M9 31v8h30v-8"/></svg>`,
};

/** Alt+Shift+<key> on the receiver's offer bar (WCAG 2.1.4: can be turned off with `without-shortcuts`). */
const ACCEPT_KEY = 'KeyA';
const REJECT_KEY = 'KeyR';
/** "read" is sent at most this often while messages stream in. */
const READ_THROTTLE_MS = 1000;

/** The parts of chat-message-list this element forwards (its `base` is the `transcript` part here). */
const MESSAGE_LIST_PARTS = [
  'messages', 'scroller', 'message', 'message--customer', 'message--agent', 'message--note', 'message--system',
  'message--internal', 'message--pending', 'message--failed', 'bubble', 'bubble--customer', 'bubble--agent', 'bubble--note', 'link', 'note-label', 'divider', 'seen', 'meta',
  'message-state', 'retry', 'cancel', 'new-messages', 'jump', 'jump-count', 'load-older', 'no-messages', 'files', 'file',
  'thumbnail', 'file-name', 'file-download', 'message-actions', 'message-menu', 'message-menu-item',
].join(', ');

/** The parts of chat-composer this element forwards (its `base` is the `composer` part here; `error` becomes `composer-error`). */
const COMPOSER_PARTS = [
  'modes', 'mode', 'mode--reply', 'mode--note', 'mode--selected', 'input', 'send', 'counter', 'reason', 'hint',
  'error: composer-error', 'tools', 'insert-button', 'emoji-button', 'attach-button', 'document-button', 'save-reply-button',
  'uploads', 'upload', 'upload--uploading', 'upload--done', 'upload--failed', 'file-name', 'upload-progress', 'upload-error',
  'upload-remove', 'picker', 'picker-tab', 'picker-tab--selected', 'picker-search', 'picker-list', 'picker-option',
  'picker-option--active', 'picker-empty', 'picker-preview', 'picker-preview-text', 'picker-favourite', 'picker-manage',
  'picker-new', 'picker-manage-list', 'picker-notice', 'picker-edit', 'picker-delete', 'picker-delete-confirm', 'picker-form',
  'picker-form-error', 'picker-field-error', 'picker-form-save', 'picker-form-cancel', 'emoji-picker', 'emoji',
  'document-picker', 'document-option', 'document-name',
].join(', ');

/** Read mode for a session in participant mode: participant where the agent may write or manages, else listen. */
function modeFor(session: SessionSummary | undefined, me: AgentMe | undefined): 'participant' | 'listen' {
  if (!session || !me || session.agentId === me.id) return 'participant';
  const perm = me.channels.find((c) => c.id === session.channelId)?.permissions;
  if (perm?.manager || (session.status === 'queued' && perm?.respond)) return 'participant';
  return perm?.listen || session.transfer?.toAgentId === me.id ? 'listen' : 'participant';
}

/**
 * @summary The middle column of the Chats tab: one chat session with its header (customer,
 * channel, status, Take over, Transfer, End chat, Create request and the chat's requests with a
 * `crmProvider`), the transcript (with files), the customer's typing and draft preview, transfer
 * bars (waiting for an answer; an offer to me with Accept / Reject), and the composer (Reply /
 * Note, Insert, emoji, files; files can also be dropped on the conversation) or, when the chat
 * cannot be written in, a notice why.
 * @tag chat-conversation
 * @status experimental
 * @since 0.1
 * @dependency chat-message-list
 * @dependency chat-composer
 *
 * @slot empty - Shown when no session is selected.
 *
 * @csspart base - The whole element.
 * @csspart header - The header bar.
 * @csspart title - The customer's name.
 * @csspart channel - The channel name.
 * @csspart identity - The customer's Verified or Unverified badge in the header.
 * @csspart identity--verified - The badge of a verified customer.
 * @csspart identity--unverified - The badge of a customer whose identity token did not verify.
 * @csspart status - The session status as text (In queue, Active, Ended, Missed).
 * @csspart listening - "Listening" in the header (`mode="listen"`).
 * @csspart actions - The buttons in the header.
 * @csspart takeover-button - "Take over" (managers, on chats someone else handles).
 * @csspart transfer-button - "Transfer…" (opens the transfer dialog).
 * @csspart end-button - The "End chat" button.
 * @csspart end-error - Why ending, taking over or answering a transfer failed.
 * @csspart transfer-pending - The bar while a transfer waits for an answer ("Waiting for Erik to accept…").
 * @csspart transfer-cancel - "Cancel transfer" in that bar.
 * @csspart transfer-offer - The bar of a transfer offered to me, below the conversation.
 * @csspart transfer-note - The note of an offered transfer.
 * @csspart transfer-accept - "Accept transfer".
 * @csspart transfer-reject - "Reject transfer".
 * @csspart notice - Why the chat cannot be written in (ended at, listening, transferred), instead of the composer.
 * @csspart notice-close - "Close" in the notice.
 * @csspart transcript - The chat-message-list element.
 * @csspart messages - The list of messages (forwarded from chat-message-list).
 * @csspart scroller - The scrolling list of messages, the same element as `messages` (forwarded).
 * @csspart message - One message; also `message--customer`, `message--agent`, `message--note`, `message--system`, `message--internal`, `message--pending`, `message--failed` (forwarded).
 * @csspart message--customer - A customer message (forwarded).
 * @csspart message--agent - An agent message (forwarded).
 * @csspart message--note - An internal note (forwarded).
 * @csspart message--system - A system event (forwarded).
 * @csspart message--internal - An agent-only system event, e.g. a transfer (forwarded).
 * @csspart message--pending - One of my messages not confirmed yet (forwarded).
 * @csspart message--failed - One of my messages the server refused (forwarded).
 * @csspart bubble - The text bubble of a message (forwarded; with `bubble--customer`, `bubble--agent` or `bubble--note`).
 * @csspart bubble--customer - The bubble of a customer's message (forwarded).
 * @csspart bubble--agent - The bubble of an agent's message (forwarded).
 * @csspart bubble--note - The bubble of an internal note (forwarded).
 * @csspart link - A link in a message (forwarded).
 * @csspart note-label - "Internal note — not visible to the customer" (forwarded).
 * @csspart divider - The "New messages" divider (forwarded).
 * @csspart seen - "Seen" under the newest agent message the customer has read (forwarded).
 * @csspart retry - Retry button of a failed message (forwarded).
 * @csspart cancel - Cancel button of a failed message (forwarded).
 * @csspart new-messages - The "Jump to latest" button (forwarded; also `jump`).
 * @csspart jump - The "Jump to latest" button (forwarded).
 * @csspart jump-count - The number of new messages on it (forwarded).
 * @csspart load-older - The "Load earlier messages" button (forwarded).
 * @csspart no-messages - "No messages yet." (forwarded).
 * @csspart meta - Author and time of a message (forwarded).
 * @csspart message-state - "Sending…" / "Not sent: …" under a pending message (forwarded).
 * @csspart typing - "Kim is typing…".
 * @csspart preview - The customer's draft while typing ("sneak peek"), when the channel allows it.
 * @csspart composer - The chat-composer element.
 * @csspart modes - The Reply / Note choice (forwarded).
 * @csspart mode - One choice (forwarded).
 * @csspart mode--reply - The Reply choice (forwarded).
 * @csspart mode--note - The Note choice (forwarded).
 * @csspart mode--selected - The chosen mode (forwarded).
 * @csspart input - The text area (forwarded).
 * @csspart send - The Send / Add note button (forwarded).
 * @csspart hint - The keyboard hint under the text area (forwarded).
 * @csspart counter - The character counter (forwarded).
 * @csspart reason - Why writing or sending is not possible (forwarded).
 * @csspart composer-error - Why the last send failed (forwarded).
 * @csspart dialog - The End chat confirmation dialog.
 * @csspart dialog-confirm - The confirming "End chat" button in the dialog.
 * @csspart dialog-cancel - The Cancel button in the dialog.
 * @csspart transfer-dialog - The Transfer dialog.
 * @csspart transfer-option - One agent or queue to transfer to; also `transfer-option--disabled` (at capacity).
 * @csspart transfer-option--disabled - An agent at capacity.
 * @csspart transfer-note-input - The optional note in the Transfer dialog.
 * @csspart transfer-error - Why the transfer failed.
 * @csspart transfer-confirm - The "Transfer" button in the dialog.
 * @csspart transfer-dismiss - The "Cancel" button in the dialog.
 * @csspart empty - The empty state.
 * @csspart request-button - "Create request" (with a `crmProvider`).
 * @csspart requests - The requests created from this chat, in the header.
 * @csspart request-link - One of them ("#1042"; fires `chat-request-open`).
 * @csspart request-dialog - The Create request dialog.
 * @csspart request-confirm - Its "Create request" button.
 * @csspart request-cancel - Its Cancel button.
 * @csspart request-contact - Whom the request is filed on (the linked contact, or none), in the dialog.
 * @csspart request-field-error - The error next to a field of the dialog.
 * @csspart drop-zone - "Drop files to attach them to your reply", shown while files are dragged over the conversation.
 * @csspart tools - The composer's tool buttons (forwarded).
 * @csspart insert-button - "Insert" (forwarded).
 * @csspart emoji-button - The emoji button (forwarded).
 * @csspart attach-button - The Attach button (forwarded).
 * @csspart document-button - "Select a CRM document" (forwarded).
 * @csspart save-reply-button - "Save as quick reply" (forwarded).
 * @csspart uploads - Files for the next message (forwarded).
 * @csspart upload - One of them; also `upload--uploading`, `upload--done`, `upload--failed` (forwarded).
 * @csspart upload--uploading - A file being uploaded (forwarded).
 * @csspart upload--done - A file ready to go with the next message (forwarded).
 * @csspart upload--failed - A refused file (forwarded).
 * @csspart upload-progress - Its progress bar (forwarded).
 * @csspart upload-error - Why it was refused (forwarded).
 * @csspart upload-remove - Cancel (while uploading) or Remove (forwarded).
 * @csspart file-name - A file's name, in a message or in the composer (forwarded).
 * @csspart picker - The Insert picker (forwarded).
 * @csspart picker-tab - A tab of the picker; also `picker-tab--selected` (forwarded).
 * @csspart picker-tab--selected - The selected tab (forwarded).
 * @csspart picker-search - The picker's search field (forwarded).
 * @csspart picker-list - The list of replies (forwarded).
 * @csspart picker-option - One reply in the list; also `picker-option--active` (forwarded).
 * @csspart picker-option--active - The highlighted reply (forwarded).
 * @csspart picker-empty - Why the list is empty (forwarded).
 * @csspart picker-preview - The preview of the highlighted reply (forwarded).
 * @csspart picker-preview-text - The text of the previewed reply (forwarded).
 * @csspart picker-favourite - The favourite star in the preview (forwarded).
 * @csspart picker-manage - "Edit quick replies" (forwarded).
 * @csspart picker-new - "New quick reply" (forwarded).
 * @csspart picker-manage-list - The quick replies the agent may change (forwarded).
 * @csspart picker-notice - What happened in the manage view (forwarded).
 * @csspart picker-edit - "Edit" in the manage view (forwarded).
 * @csspart picker-delete - "Delete" in the manage view (forwarded).
 * @csspart picker-delete-confirm - The confirming "Delete" (forwarded).
 * @csspart picker-form - The quick-reply form (forwarded).
 * @csspart picker-form-error - Why the quick reply was not saved (forwarded).
 * @csspart picker-field-error - The error next to a field of the form (forwarded).
 * @csspart picker-form-save - The form's Save button (forwarded).
 * @csspart picker-form-cancel - The form's Cancel button (forwarded).
 * @csspart emoji-picker - The emoji picker (forwarded).
 * @csspart emoji - One emoji in its grid (forwarded).
 * @csspart document-picker - The CRM document picker (forwarded).
 * @csspart document-option - One document in it (forwarded).
 * @csspart document-name - A document's name (forwarded).
 * @csspart files - The files of a message (forwarded).
 * @csspart file - One file of a message (forwarded).
 * @csspart thumbnail - An image file's preview (forwarded).
 * @csspart file-download - A file's Download button (forwarded).
 * @csspart message-actions - A message's "More actions" button, while the agent can write in the chat (forwarded).
 * @csspart message-menu - The menu it opens (forwarded).
 * @csspart message-menu-item - One action in that menu, "Save as quick reply" (forwarded).
 *
 * @cssproperty [--chat-conversation-background=var(--chat-color-surface-alt)] - Background behind the messages.
 * @cssproperty [--chat-conversation-header-background=var(--chat-color-surface)] - Background of the header.
 * @cssproperty [--chat-conversation-header-padding=8px 12px] - Padding of the header.
 * @cssproperty [--chat-conversation-bubble-radius=8px] - Corner radius of bubbles.
 * @cssproperty [--chat-conversation-bubble-max-width=min(75%, 42rem)] - Widest bubble.
 * @cssproperty [--chat-conversation-customer-bubble-background=var(--chat-color-surface)] - Customer bubbles.
 * @cssproperty [--chat-conversation-customer-bubble-color=var(--chat-color-text)] - Text of customer bubbles.
 * @cssproperty [--chat-conversation-customer-bubble-border-color=var(--chat-color-border)] - Border of customer bubbles.
 * @cssproperty [--chat-conversation-agent-bubble-background=var(--chat-color-accent)] - Agent bubbles.
 * @cssproperty [--chat-conversation-agent-bubble-color=var(--chat-color-on-accent)] - Text of agent bubbles.
 * @cssproperty [--chat-conversation-note-background=var(--chat-color-note)] - Internal notes.
 * @cssproperty [--chat-conversation-note-border-color=#b98900] - Border of internal notes.
 * @cssproperty [--chat-conversation-divider-color=var(--chat-color-danger)] - The "New messages" divider.
 * @cssproperty [--chat-conversation-transfer-background=var(--chat-color-accent-soft)] - The transfer bars.
 * @cssproperty [--chat-composer-background=var(--chat-color-surface)] - Background of the composer.
 * @cssproperty [--chat-composer-note-background=var(--chat-color-note)] - Background of the composer in Note mode.
 * @cssproperty [--chat-composer-max-height=10rem] - Tallest the text area grows.
 * @cssproperty [--chat-identity-verified-background=#e3f4ea] - Background of the customer's Verified badge.
 * @cssproperty [--chat-identity-verified-color=#14532d] - Text of the Verified badge.
 * @cssproperty [--chat-identity-unverified-background=#fff4e5] - Background of the Unverified badge.
 * @cssproperty [--chat-identity-unverified-color=#7a3e00] - Text of the Unverified badge.
 *
 * @cssstate empty - No session is shown.
 * @cssstate readonly - The shown chat cannot be written in (queued, ended, someone else's, listening).
 * @cssstate listening - Read-only live view (`mode="listen"`, or after handing the chat over).
 * @cssstate transfer-pending - A transfer of the shown chat waits for an answer.
 * @cssstate transfer-offered - The shown chat is offered to me.
 *
 * @fires {ChatSessionEndEvent} chat-session-end - The agent ended the chat here (confirmed "End chat" and the server agreed).
 * @fires {ChatSessionCloseEvent} chat-session-close - The agent closed a read-only chat ("Close"). Cancelable; by default the client's selection is cleared when it was this chat.
 * @fires {ChatMessageSendEvent} chat-message-send - Before a message or note is sent (from the composer). Cancelable.
 * @fires {ChatErrorEvent} chat-error - Ending, transferring, taking over, answering a transfer or sending failed, or a file was refused (from the composer).
 * @fires {ChatRequestCreateEvent} chat-request-create - A CRM request was created from the chat (its number is put into the composer).
 * @fires {ChatRequestOpenEvent} chat-request-open - The agent chose one of the chat's requests in the header. Cancelable; the host shows it.
 * @fires {ChatMessageActionEvent} chat-message-action - "Save as quick reply" on a message (from the transcript; offered while the agent can write in the chat). Cancelable: by default the quick-reply form opens with its text.
 */
export class ChatConversation extends ChatElement {
  static override styles = [hostStyles, buttonStyles, conversationStyles, identityBadgeStyles];

  static override dependencies = {
    'chat-message-list': ChatMessageList,
    'chat-composer': ChatComposer,
  };

  /** Client to follow; provided by an enclosing chat-window or set directly. */
  @consume({ context: chatClientContext, subscribe: true })
  @property({ attribute: false })
  client?: ChatClient;

  /** The client's selection, followed when no `session-id` is set. */
  private readonly selection = new StoreController<string | undefined>(this);
  /** The shown chat: its state, typing, transcript facts, who I am, live (`agentViews(client).conversation(id)`). */
  private readonly view = new StoreController<ConversationView>(this);
  /** The agents, followed only while the transfer dialog is open (their presence decides the choices). */
  private readonly agents = new StoreController<Readonly<Record<string, AgentInfo>>>(this);
  /** New messages of the shown chat mark it read (without rendering: the message list shows them). */
  private readonly transcript = new StoreController<SessionMessages | undefined>(this, undefined, () => {
    this.markReadIfSeen();
  });

  /** The session this element opened on its client, and how (closed again when another is shown). */
  private opened: { client: ChatClient; sessionId: string; mode: 'participant' | 'listen' } | undefined;
  /** Where focus should go once it can (after an action whose control goes away), until when. */
  private focusWish: { target: 'heading' | 'composer' | 'transfer-cancel' | 'transfer-button'; until: number } | undefined;
  /** The focused element before this update, to notice when it went away. */
  private hadFocus: Element | null = null;
  private lastShownId: string | undefined;
  private readTimer: ReturnType<typeof setTimeout> | undefined;
  private lastReadAt = 0;
  private readonly onVisibility = () => {
    this.requestUpdate();
  };
  private readonly onShortcut = (event: KeyboardEvent) => {
    this.handleShortcut(event);
  };
  /** The Create request dialog (its code loads on first use). */
  private requestDialog: RequestDialog | undefined;
  /** Requests created from the shown chat, and the chat they were loaded for. */
  private requestsFor: string | undefined;
  private requestsController: AbortController | undefined;
  /** Nested dragenter / dragleave while files are dragged over the conversation. */
  private dragDepth = 0;

  @query('.end-dialog') private readonly dialog?: HTMLDialogElement | null;
  @query('.transfer-dialog') private readonly transferDialog?: HTMLDialogElement | null;
  @query('[part~="end-button"]') private readonly endButton?: HTMLButtonElement | null;
  @query('[part~="transfer-button"]') private readonly transferButton?: HTMLButtonElement | null;
  @query('.name') private readonly heading?: HTMLElement | null;

  @state() private ending = false;
  @state() private endError = '';
  @state() private busy: '' | 'takeover' | 'cancel' | 'accept' | 'reject' | 'transfer' = '';
  @state() private transferTarget = '';
  @state() private transferNote = '';
  @state() private transferError = '';
  @state() private requests: CrmRequest[] = [];
  @state() private dropping = false;
  @state() private transferOpen = false;

  /** Session to show. When not set, the element follows the client's selected session. */
  @property({ attribute: 'session-id', reflect: true })
  sessionId?: string;

  /**
   * `participant` (default): the agent's own view, writable where allowed. `listen`: a read-only
   * live view for listening in (opened with `openSession(id, 'listen')`; no composer, no actions).
   */
  @property({ reflect: true })
  mode: 'participant' | 'listen' = 'participant';

  /** Turns off the Alt+Shift+A / Alt+Shift+R shortcuts of the transfer offer (WCAG 2.1.4). */
  @property({ type: Boolean, attribute: 'without-shortcuts' })
  withoutShortcuts = false;

  /**
   * CRM for "Create request" (and the chat's requests in the header) and for "Select a CRM
   * document" in the composer. chat-window forwards its own.
   */
  @property({ attribute: false })
  crmProvider?: CrmProvider;

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    document.addEventListener('keydown', this.onShortcut);
    // Re-opened after a move in the DOM: follow the session again.
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('keydown', this.onShortcut);
    this.requestsController?.abort();
    this.requestsFor = undefined;
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
    this.follow(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const client = this.client;
    this.selection.use(this.sessionId === undefined ? client?.$selectedSessionId : undefined);
    const id = this.shownId();
    this.view.use(id === undefined || !client ? undefined : agentViews(client).conversation(id));
    this.agents.use(this.transferOpen ? client?.$agents : undefined);
    this.transcript.use(id === undefined ? undefined : client?.$sessionMessages(id));
    if (id !== this.lastShownId) {
      // Another chat: errors and dialogs about the previous one no longer apply.
      this.lastShownId = id;
      this.endError = '';
      this.transferError = '';
      this.transferTarget = '';
      this.transferNote = '';
      this.focusWish = undefined;
      if (this.transferDialog?.open) this.transferDialog.close('switched');
      this.requestDialog?.close();
      this.dropping = false;
      this.dragDepth = 0;
    }
    if (this.isConnected) this.follow(id);
    const requestsKey = `${id ?? ''}|${this.me()?.id ?? ''}`;
    if (changed.has('crmProvider') || this.requestsFor !== requestsKey) this.loadRequests(id, requestsKey);
    this.hadFocus = this.shadowRoot?.activeElement ?? null;
    const session = this.session();
    const me = this.me();
    this.setCustomState('empty', id === undefined);
    this.setCustomState('readonly', id !== undefined && (this.noticeText() !== '' || this.readonlyReason() !== ''));
    this.setCustomState('listening', id !== undefined && (this.mode === 'listen' || this.handedOverEvent() !== undefined));
    this.setCustomState('transfer-pending', session?.transfer !== undefined && session.transfer.toAgentId !== me?.id);
    this.setCustomState('transfer-offered', this.offerShown());
  }

  protected override updated(): void {
    this.keepFocus();
    this.markReadIfSeen();
  }

  /**
   * Buttons come and go with the chat's state (End chat once ended, Transfer while a transfer
   * waits, Accept / Reject once answered). After an action, focus moves to where it leads once
   * that exists (Cancel transfer, the composer, the heading); when the focused control went away
   * otherwise, to the heading: never to the page.
   */
  private keepFocus(): void {
    const had = this.hadFocus;
    this.hadFocus = null;
    const lost = had !== null && !had.isConnected;
    const inside = this.shadowRoot?.activeElement != null;
    const onPage = document.activeElement === null || document.activeElement === document.body;
    const wish = this.focusWish;
    if (wish && performance.now() > wish.until) this.focusWish = undefined;
    else if (wish && (lost || inside || onPage)) {
      const target = this.wishTarget(wish.target);
      if (target) {
        this.focusWish = undefined;
        if (target === 'composer') this.focusComposer();
        else target.focus();
        return;
      }
    }
    if (lost) this.heading?.focus();
  }

  private wishTarget(wish: 'heading' | 'composer' | 'transfer-cancel' | 'transfer-button'): HTMLElement | 'composer' | null | undefined {
    switch (wish) {
      case 'composer':
        return this.renderRoot.querySelector('chat-composer') && this.noticeText() === '' && this.readonlyReason() === '' ? 'composer' : null;
      case 'transfer-cancel':
        return this.renderRoot.querySelector<HTMLElement>('[part~="transfer-cancel"]');
      case 'transfer-button':
        return this.transferButton;
      default:
        return this.heading;
    }
  }

  /** After an action: where focus goes once the server's answer shows (for a few seconds). */
  private wishFocus(target: 'heading' | 'composer' | 'transfer-cancel' | 'transfer-button'): void {
    this.focusWish = { target, until: performance.now() + 10_000 };
  }

  /** The shown session: the `session-id` attribute, else the client's selection. */
  private shownId(): string | undefined {
    return this.sessionId ?? this.selection.value;
  }

  private session(): SessionSummary | undefined {
    return this.shownId() === undefined ? undefined : this.view.value?.session;
  }

  private me(): AgentMe | undefined {
    return this.view.value?.me;
  }

  /** Opens `id` on the client (in the element's mode) and closes what this element opened before. */
  private follow(id: string | undefined): void {
    const client = this.client;
    const prev = this.opened;
    const mode = id === undefined || !client ? 'participant' : this.mode === 'listen' ? 'listen' : modeFor(client.$session(id).get(), client.$agentMe.get());
    if (prev?.client === client && prev?.sessionId === id && prev?.mode === mode) return;
    // Open the new one first: re-opening the same chat in another mode must not unsubscribe it.
    if (client && id !== undefined) client.openSession(id, mode);
    if (prev) prev.client.closeSession(prev.sessionId);
    this.opened = client && id !== undefined ? { client, sessionId: id, mode } : undefined;
  }

  private isMine(session: SessionSummary | undefined): boolean {
    const me = this.me();
    return session !== undefined && me !== undefined && session.agentId === me.id;
  }

  private permissions(session: SessionSummary | undefined) {
    return session ? this.me()?.channels.find((c) => c.id === session.channelId)?.permissions : undefined;
  }

  /** Marks the shown chat read when the agent can see it and new messages came in (at most once a second). */
  private markReadIfSeen(): void {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined || !this.isConnected || document.visibilityState !== 'visible') return;
    if (this.mode === 'listen' || !this.isMine(this.session())) return;
    if (typeof this.checkVisibility === 'function' && !this.checkVisibility()) return;
    if (this.view.value?.ready !== true) return;
    const wait = this.lastReadAt + READ_THROTTLE_MS - Date.now();
    if (wait > 0) {
      this.readTimer ??= setTimeout(() => {
        this.readTimer = undefined;
        this.markReadIfSeen();
      }, wait);
      return;
    }
    this.lastReadAt = Date.now();
    client.markRead(id);
  }

  /** The event by which the chat was handed from me to someone else (I may only listen now). */
  private handedOverEvent(): ChatMessage | undefined {
    const session = this.session();
    const me = this.me();
    if (!session || !me || this.isMine(session) || this.mode === 'listen') return undefined;
    if (session.status === 'ended' || session.status === 'missed') return undefined;
    const handover = this.view.value?.handover;
    return handover?.meta?.fromAgentId === me.id ? handover : undefined;
  }

  /** Why the chat cannot be written in at all (the composer is replaced by this notice), or ''. */
  private noticeText(): string {
    const session = this.session();
    if (this.mode === 'listen') {
      return msg('You are listening in. You can read along; nobody in the chat sees you.', { id: 'chat-conversation.notice.listen' });
    }
    if (session?.status === 'ended') {
      return session.endedAt !== undefined
        ? msg(str`This chat ended at ${formatTime(session.endedAt)}.`, { id: 'chat-conversation.notice.ended-at' })
        : msg('This chat has ended.', { id: 'chat-conversation.readonly.ended' });
    }
    if (session?.status === 'missed') {
      return session.endedAt !== undefined
        ? msg(str`The customer left at ${formatTime(session.endedAt)}, before anyone answered.`, { id: 'chat-conversation.notice.missed-at' })
        : msg('The customer left before anyone answered.', { id: 'chat-conversation.readonly.missed' });
    }
    const handed = this.handedOverEvent();
    if (!handed) return '';
    const meta = handed.meta ?? {};
    if (handed.event === 'taken-over') {
      const who = meta.toAgentName ?? handed.author.name;
      return msg(str`${who} took over this chat. You are listening.`, { id: 'chat-conversation.notice.taken-over' });
    }
    if (handed.event === 'requeued') {
      const queue = meta.channelName ?? '';
      return msg(str`You moved this chat to the ${queue} queue. You are listening.`, { id: 'chat-conversation.notice.requeued' });
    }
    const to = meta.toAgentName ?? session?.agentName ?? msg('another agent', { id: 'chat-conversation.another-agent-lower' });
    return msg(str`You transferred this chat to ${to}. You are listening.`, { id: 'chat-conversation.notice.transferred' });
  }

  /** Why the agent cannot write in the shown chat (the composer is disabled), or '' when they can. */
  private readonlyReason(): string {
    const session = this.session();
    if (!session) return this.client ? msg('You cannot write in this chat.', { id: 'chat-conversation.readonly.unknown' }) : '';
    if (session.status === 'queued') {
      return msg('This chat is waiting in the queue. Take it from the queue to answer.', { id: 'chat-conversation.readonly.queued' });
    }
    if (!this.isMine(session)) {
      const agent = session.agentName ?? msg('Another agent', { id: 'chat-conversation.another-agent' });
      if (this.offerShown()) return msg(str`${agent} handles this chat. Accept the transfer to answer.`, { id: 'chat-conversation.readonly.offered' });
      return msg(str`${agent} handles this chat. You can read along.`, { id: 'chat-conversation.readonly.other-agent' });
    }
    return '';
  }

  /** The shown chat is offered to me and I have not answered. */
  private offerShown(): boolean {
    const session = this.session();
    const me = this.me();
    return this.mode !== 'listen' && session?.status === 'active' && me !== undefined && session.transfer?.toAgentId === me.id;
  }

  private statusText(status: SessionStatus): string {
    switch (status) {
      case 'queued':
        return msg('In queue', { id: 'chat-conversation.status.queued' });
      case 'active':
        return msg('Active', { id: 'chat-conversation.status.active' });
      case 'ended':
        return msg('Ended', { id: 'chat-conversation.status.ended' });
      case 'missed':
        return msg('Missed', { id: 'chat-conversation.status.missed' });
    }
  }

  /** Name of the customer: from the board, else from the transcript. */
  private customer(): string {
    const session = this.session();
    if (session) return customerName(session.customer);
    return customerName(this.view.value?.customer);
  }

  /** Reports a failed action: shown under the header, announced, and as `chat-error`. */
  private fail(error: unknown, text: (code: string) => string): void {
    const code = error instanceof ChatError ? error.code : 'internal';
    const message = text(code);
    this.endError = message;
    announce(message, { assertive: true });
    this.dispatchEvent(new ChatErrorEvent({ code, message, recoverable: true }));
  }

  // ---- end chat ---------------------------------------------------------------------------

  private onEndClick(): void {
    if (this.ending || !this.dialog) return;
    this.endError = '';
    this.dialog.returnValue = '';
    this.dialog.showModal();
  }

  private onDialogClose(): void {
    if (this.dialog?.returnValue !== 'confirm') {
      this.endButton?.focus();
      return;
    }
    void this.endChat();
  }

  private onCancelClick(): void {
    this.dialog?.close('cancel');
  }

  private onConfirmClick(): void {
    this.dialog?.close('confirm');
  }

  private async endChat(): Promise<void> {
    const client = this.client;
    const id = this.shownId();
    if (this.dialog) this.dialog.returnValue = '';
    if (!client || id === undefined) return;
    this.ending = true;
    this.endButton?.focus();
    try {
      await client.end(id);
      this.dispatchEvent(new ChatSessionEndEvent({ sessionId: id }));
    } catch (error) {
      this.fail(error, (code) =>
        code === 'offline' || code === 'timeout'
          ? msg('The chat could not be ended: the server could not be reached. Try again.', { id: 'chat-conversation.end-error.offline' })
          : msg('The chat could not be ended. Try again.', { id: 'chat-conversation.end-error.other' }),
      );
    } finally {
      this.ending = false;
    }
  }

  // ---- take over --------------------------------------------------------------------------

  private async onTakeover(): Promise<void> {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined || this.busy !== '') return;
    this.busy = 'takeover';
    this.endError = '';
    try {
      await client.takeover(id);
      announce(msg(str`You took over the chat with ${this.customer()}.`, { id: 'chat-conversation.takeover.done' }));
      this.wishFocus('composer');
    } catch (error) {
      this.fail(error, (code) =>
        code === 'at_capacity'
          ? msg('You cannot take over: you already handle as many chats as you can.', { id: 'chat-conversation.takeover.at-capacity' })
          : msg('The chat could not be taken over. Try again.', { id: 'chat-conversation.takeover.error' }),
      );
    } finally {
      this.busy = '';
    }
  }

  // ---- transfer: dialog, pending, offer -----------------------------------------------------

  /** Agents who may receive the chat now: in its channel, Present and online, not me, not its handler. */
  private transferAgents(session: SessionSummary): AgentInfo[] {
    const me = this.me()?.id;
    return Object.values(this.agents.value ?? {})
      .filter((a) => a.id !== me && a.id !== session.agentId && a.status === 'present' && a.online && a.channelIds.includes(session.channelId))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private onTransferClick(): void {
    const dialog = this.transferDialog;
    if (!dialog || this.busy !== '') return;
    this.transferError = '';
    this.transferTarget = '';
    this.transferNote = '';
    dialog.returnValue = '';
    this.transferOpen = true;
    dialog.showModal();
    // Focus the first choice that can be taken (showModal focuses the first control otherwise).
    void this.updateComplete.then(() => {
      const first = dialog.querySelector<HTMLInputElement>('input[type=radio]:not(:disabled)');
      first?.focus();
    });
  }

  private onTransferDialogClose(): void {
    this.transferOpen = false;
    const how = this.transferDialog?.returnValue;
    if (how === 'switched' || how === 'done') return;
    this.transferButton?.focus();
  }

  private onTransferChoice(event: Event): void {
    this.transferTarget = (event.target as HTMLInputElement).value;
    this.transferError = '';
  }

  private onTransferNote(event: Event): void {
    this.transferNote = (event.target as HTMLTextAreaElement).value;
  }

  private onTransferDismiss(): void {
    this.transferDialog?.close('cancel');
  }

  private async onTransferConfirm(): Promise<void> {
    const client = this.client;
    const session = this.session();
    const id = this.shownId();
    const dialog = this.transferDialog;
    if (!client || !session || id === undefined || !dialog || this.busy !== '') return;
    const [kind, targetId] = this.transferTarget.split(/:(.*)/s);
    if (targetId === undefined || targetId === '') {
      this.transferError = msg('Choose an agent or a queue.', { id: 'chat-conversation.transfer.choose' });
      return;
    }
    const to: TransferTarget = kind === 'agent' ? { agentId: targetId } : { channelId: targetId };
    const name = kind === 'agent' ? (this.client?.$agent(targetId).get()?.name ?? targetId) : (this.view.value?.channels.find((c) => c.id === targetId)?.name ?? targetId);
    this.busy = 'transfer';
    this.transferError = '';
    try {
      await client.transfer(id, to, this.transferNote);
      dialog.close('done');
      if (kind === 'agent') {
        announce(msg(str`Transfer offered to ${name}. Waiting for an answer.`, { id: 'chat-conversation.transfer.offered' }));
        this.wishFocus('transfer-cancel');
      } else {
        announce(msg(str`The chat was moved to the ${name} queue.`, { id: 'chat-conversation.transfer.moved' }));
        this.wishFocus('heading');
      }
      this.requestUpdate();
    } catch (error) {
      const code = error instanceof ChatError ? error.code : 'internal';
      let text: string;
      switch (code) {
        case 'at_capacity':
          text = msg(str`${name} cannot take more chats right now.`, { id: 'chat-conversation.transfer.error.capacity' });
          break;
        case 'forbidden':
          text = msg(str`${name} cannot receive this chat now (offline, Away or not in this channel).`, { id: 'chat-conversation.transfer.error.forbidden' });
          break;
        case 'conflict':
          text = msg('A transfer of this chat is already waiting for an answer.', { id: 'chat-conversation.transfer.error.conflict' });
          break;
        case 'not_found':
          text = msg('That agent or queue no longer exists.', { id: 'chat-conversation.transfer.error.not-found' });
          break;
        case 'invalid':
          text = msg('The chat cannot be transferred there.', { id: 'chat-conversation.transfer.error.invalid' });
          break;
        case 'offline':
        case 'timeout':
          text = msg('The server could not be reached. Try again.', { id: 'chat-conversation.transfer.error.offline' });
          break;
        default:
          text = msg('The chat could not be transferred. Try again.', { id: 'chat-conversation.transfer.error.other' });
      }
      this.transferError = text;
      announce(text, { assertive: true });
      this.dispatchEvent(new ChatErrorEvent({ code, message: text, recoverable: true }));
    } finally {
      this.busy = '';
    }
  }

  private async onCancelTransfer(): Promise<void> {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined || this.busy !== '') return;
    this.busy = 'cancel';
    this.endError = '';
    try {
      await client.cancelTransfer(id);
      announce(msg('The transfer was cancelled. The chat stays with you.', { id: 'chat-conversation.transfer.cancelled' }));
      this.wishFocus('transfer-button');
    } catch (error) {
      this.fail(error, (code) =>
        code === 'conflict'
          ? msg('The transfer is no longer waiting: it was answered, cancelled or it expired.', { id: 'chat-conversation.transfer.cancel-conflict' })
          : msg('The transfer could not be cancelled. Try again.', { id: 'chat-conversation.transfer.cancel-error' }),
      );
    } finally {
      this.busy = '';
    }
  }

  private async answer(accept: boolean): Promise<void> {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined || this.busy !== '' || !this.offerShown()) return;
    this.busy = accept ? 'accept' : 'reject';
    this.endError = '';
    try {
      await client.answerTransfer(id, accept);
      if (accept) {
        announce(msg(str`You accepted the transfer. The chat with ${this.customer()} is yours now.`, { id: 'chat-conversation.offer.accepted' }));
        this.wishFocus('composer');
      } else {
        announce(msg('You rejected the transfer.', { id: 'chat-conversation.offer.rejected' }));
        this.wishFocus('heading');
      }
    } catch (error) {
      this.fail(error, (code) => {
        if (code === 'at_capacity') return msg('You already handle as many chats as you can. End one first, or reject the transfer.', { id: 'chat-conversation.offer.at-capacity' });
        if (code === 'conflict') return msg('The transfer is no longer waiting: it was cancelled or it expired.', { id: 'chat-conversation.offer.conflict' });
        return msg('The transfer could not be answered. Try again.', { id: 'chat-conversation.offer.error' });
      });
    } finally {
      this.busy = '';
    }
  }

  /** Alt+Shift+A / Alt+Shift+R accept or reject the transfer offered in the shown chat. */
  private handleShortcut(event: KeyboardEvent): void {
    if (this.withoutShortcuts || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (event.code !== ACCEPT_KEY && event.code !== REJECT_KEY) return;
    if (!this.offerShown()) return;
    if (typeof this.checkVisibility === 'function' && !this.checkVisibility()) return;
    if (this.dialog?.open || this.transferDialog?.open) return;
    event.preventDefault();
    void this.answer(event.code === ACCEPT_KEY);
  }

  private onNoticeClose(): void {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined) return;
    if (!this.dispatchEvent(new ChatSessionCloseEvent({ sessionId: id }))) return;
    if (client.$selectedSessionId.get() === id) client.selectSession(undefined);
  }

  // ---- requests, files, message actions ------------------------------------------------------

  /** Loads the requests created from the shown chat (for the header). */
  private loadRequests(id: string | undefined, key: string): void {
    this.requestsController?.abort();
    this.requestsFor = key;
    this.requests = [];
    const provider = this.crmProvider;
    if (!provider || id === undefined || this.me() === undefined) return;
    const controller = new AbortController();
    this.requestsController = controller;
    Promise.resolve()
      .then(() => provider.listSessionRequests(id, controller.signal))
      .then(
      (list) => {
        if (this.requestsController === controller) this.requests = list;
      },
      () => undefined,
    );
  }

  private async onRequestClick(): Promise<void> {
    const id = this.shownId();
    if (id === undefined || !this.crmProvider) return;
    if (!this.requestDialog) {
      const m = await import('./request-dialog.js');
      adoptLazyStyles(this, m.requestDialogStyles);
      this.requestDialog ??= new m.RequestDialog(this);
    }
    const first = this.client?.$sessionMessages(id).get()?.items.find((m) => m.kind === 'text' && m.author.kind === 'customer' && m.text.trim() !== '');
    this.requestDialog.open(id, { firstCustomerText: first?.text, customerName: this.customer() });
  }

  /** For the request dialog: a request was created from chat `sessionId`. */
  requestCreated(sessionId: string, request: CrmRequest): void {
    const number = request.number;
    if (this.shownId() === sessionId) this.requests = [request, ...this.requests.filter((r) => r.id !== request.id)];
    announce(msg(str`Request #${number} created.`, { id: 'chat-conversation.request.created' }));
    this.dispatchEvent(new ChatRequestCreateEvent({ sessionId, requestId: request.id, number, contactId: request.contactId }));
    const composer = this.renderRoot.querySelector('chat-composer');
    if (composer && this.shownId() === sessionId && this.noticeText() === '') {
      composer.appendText(msg(str`I have registered your request as #${number}.`, { id: 'chat-conversation.request.message' }));
      this.focusComposer();
    } else {
      this.focusRequestButton();
    }
  }

  /** For the request dialog: focus back on "Create request". */
  focusRequestButton(): void {
    this.renderRoot.querySelector<HTMLElement>('[part~="request-button"]')?.focus();
  }

  private onRequestOpen(request: CrmRequest): void {
    const id = this.shownId();
    if (id === undefined) return;
    this.dispatchEvent(new ChatRequestOpenEvent({ requestId: request.id, number: request.number, sessionId: id }));
  }

  /** "Save as quick reply" on a message: unless someone cancelled the event, the form opens with its text. */
  private onMessageAction(event: ChatMessageActionEvent): void {
    // Act once the event has reached every listener (a host may cancel it further up).
    queueMicrotask(() => {
      if (event.defaultPrevented) return;
      this.renderRoot.querySelector('chat-composer')?.openQuickReplyForm(event.detail.text);
    });
  }

  /** Files can be dropped on the conversation while its composer can send. */
  private canDrop(event: DragEvent): boolean {
    const types = event.dataTransfer?.types;
    if (!types || !Array.from(types).includes('Files')) return false;
    return this.mode !== 'listen' && this.noticeText() === '' && this.readonlyReason() === '' && this.renderRoot.querySelector('chat-composer') !== null;
  }

  private onDragEnter(event: DragEvent): void {
    if (!this.canDrop(event)) return;
    event.preventDefault();
    this.dragDepth += 1;
    this.dropping = true;
  }

  private onDragOver(event: DragEvent): void {
    if (!this.canDrop(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dropping = true;
  }

  private onDragLeave(): void {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dropping = false;
  }

  private onDrop(event: DragEvent): void {
    const dropped = this.dropping;
    this.dragDepth = 0;
    this.dropping = false;
    if (!dropped || !this.canDrop(event)) return;
    event.preventDefault();
    const files = [...(event.dataTransfer?.files ?? [])];
    this.renderRoot.querySelector('chat-composer')?.addFiles(files);
  }

  /** Moves keyboard focus to the composer's text area (once it has rendered). */
  focusComposer(): void {
    const composer = this.renderRoot.querySelector('chat-composer');
    if (!composer) return;
    composer.focus();
    void composer.updateComplete.then(() => {
      if (this.shadowRoot?.activeElement !== composer) composer.focus();
    });
  }

  /** Moves keyboard focus to the transcript. */
  focusMessages(): void {
    this.renderRoot.querySelector('chat-message-list')?.focusMessages();
  }

  // ---- rendering --------------------------------------------------------------------------

  private renderTyping() {
    const t = this.view.value?.typing;
    const me = this.me()?.id;
    if (!t || t.who.kind === 'system' || (t.who.kind === 'agent' && t.who.id === me)) return html`<div class="typing" part="typing"></div>`;
    const name = t.who.kind === 'customer' ? (t.who.name.trim() !== '' ? t.who.name : this.customer()) : t.who.name;
    const preview = t.who.kind === 'customer' && this.me() !== undefined ? (t.preview ?? '').trim() : '';
    return html`<div class="typing" part="typing">
      <span class="dots" aria-hidden="true"><span></span><span></span><span></span></span
      ><span class="typing-text">${msg(str`${name} is typing…`, { id: 'chat-conversation.typing' })}</span>
      ${preview !== ''
        ? html`<span class="preview" part="preview" title=${msg('What the customer is writing (not sent yet)', { id: 'chat-conversation.preview-title' })}
            ><span class="visually-hidden">${msg('Draft:', { id: 'chat-conversation.preview-label' })} </span>${preview}</span
          >`
        : nothing}
    </div>`;
  }

  private renderHeader(session: SessionSummary | undefined, name: string) {
    const channel = session ? this.view.value?.channels.find((c) => c.id === session.channelId)?.name : undefined;
    const listen = this.mode === 'listen';
    const mine = this.isMine(session);
    const perm = this.permissions(session);
    const active = session?.status === 'active';
    const canEnd = !listen && active && mine;
    const canTransfer = !listen && active && (mine || perm?.manager === true) && session.transfer === undefined;
    const canTakeover = !listen && active && !mine && perm?.manager === true && session.agentId !== undefined;
    const canRequest = !listen && this.crmProvider !== undefined && this.me() !== undefined && session !== undefined;
    return html`<div class="header" part="header">
      <div class="title">
        <h2 class="name" part="title" tabindex="-1">${name}</h2>
        <div class="facts">
          ${identityBadge(session?.identity)} ${channel !== undefined ? html`<span part="channel">${channel}</span>` : nothing}
          ${session ? html`<span class="status status--${session.status}" part="status">${this.statusText(session.status)}</span>` : nothing}
          ${listen ? html`<span class="listening" part="listening">${icons.ear}${msg('Listening', { id: 'chat-conversation.listening' })}</span>` : nothing}
          ${this.requests.length > 0
            ? html`<span class="requests" part="requests" role="group" aria-label=${msg('Requests from this chat', { id: 'chat-conversation.requests' })}>
                ${icons.request}${this.requests.map(
                  (r) =>
                    html`<button
                      class="request-link"
                      part="request-link"
                      type="button"
                      title=${r.title}
                      aria-label=${msg(str`Request #${r.number}: ${r.title}`, { id: 'chat-conversation.request.link' })}
                      @click=${() => {
                        this.onRequestOpen(r);
                      }}
                    >
                      #${r.number}
                    </button>`,
                )}
              </span>`
            : nothing}
        </div>
      </div>
      <div class="actions" part="actions">
        ${canRequest
          ? html`<button class="btn" part="request-button" type="button" aria-haspopup="dialog" @click=${this.onRequestClick}>
              ${icons.request}${msg('Create request', { id: 'chat-conversation.request.title' })}
            </button>`
          : nothing}
        ${canTakeover
          ? html`<button class="btn" part="takeover-button" type="button" aria-disabled=${this.busy !== '' ? 'true' : 'false'} @click=${this.onTakeover}>
              ${this.busy === 'takeover' ? msg('Taking over…', { id: 'chat-conversation.taking-over' }) : msg('Take over', { id: 'chat-conversation.takeover' })}
            </button>`
          : nothing}
        ${canTransfer
          ? html`<button class="btn" part="transfer-button" type="button" aria-haspopup="dialog" aria-disabled=${this.busy !== '' ? 'true' : 'false'} @click=${this.onTransferClick}>
              ${icons.transfer}${msg('Transfer…', { id: 'chat-conversation.transfer' })}
            </button>`
          : nothing}
        ${canEnd
          ? html`<button class="btn btn--danger end" part="end-button" type="button" aria-haspopup="dialog" aria-disabled=${this.ending ? 'true' : 'false'} @click=${this.onEndClick}>
              ${this.ending ? msg('Ending…', { id: 'chat-conversation.ending' }) : msg('End chat', { id: 'chat-conversation.end' })}
            </button>`
          : nothing}
      </div>
      ${this.endError ? html`<p class="end-error" part="end-error">${this.endError}</p>` : nothing}
    </div>`;
  }

  /** While a transfer waits for an answer: who it waits for, and Cancel for whoever may cancel it. */
  private renderPending(session: SessionSummary | undefined) {
    const t = session?.transfer;
    const me = this.me();
    if (!t || !me || t.toAgentId === me.id || this.mode === 'listen' || session.status !== 'active') return nothing;
    const mineOffer = t.fromAgentId === me.id;
    const canCancel = mineOffer || this.permissions(session)?.manager === true;
    return html`<div class="bar bar--pending" part="transfer-pending">
      ${icons.hourglass}
      <p class="bar-text">
        ${mineOffer
          ? msg(str`Waiting for ${t.toAgentName} to accept…`, { id: 'chat-conversation.pending.mine' })
          : msg(str`${t.fromAgentName} offered this chat to ${t.toAgentName}. Waiting for an answer…`, { id: 'chat-conversation.pending.other' })}
      </p>
      ${canCancel
        ? html`<button class="btn" part="transfer-cancel" type="button" aria-disabled=${this.busy !== '' ? 'true' : 'false'} @click=${this.onCancelTransfer}>
            ${this.busy === 'cancel' ? msg('Cancelling…', { id: 'chat-conversation.pending.cancelling' }) : msg('Cancel transfer', { id: 'chat-conversation.pending.cancel' })}
          </button>`
        : nothing}
    </div>`;
  }

  /** The offer to me, below the conversation: who, the note, Accept / Reject (with shortcuts). */
  private renderOffer(session: SessionSummary | undefined) {
    const t = session?.transfer;
    if (!t || !this.offerShown()) return nothing;
    const keys = !this.withoutShortcuts;
    const note = (t.note ?? '').trim();
    const acceptTitle = keys ? msg('Accept transfer (Alt+Shift+A)', { id: 'chat-conversation.offer.accept-title' }) : undefined;
    const rejectTitle = keys ? msg('Reject transfer (Alt+Shift+R)', { id: 'chat-conversation.offer.reject-title' }) : undefined;
    return html`<div class="bar bar--offer" part="transfer-offer" role="group" aria-labelledby="offer-text">
      ${icons.transfer}
      <div class="bar-text">
        <p id="offer-text">${msg(str`${t.fromAgentName} wants to transfer this chat to you`, { id: 'chat-conversation.offer.text' })}${note !== '' ? ':' : ''}</p>
        ${note !== '' ? html`<p class="offer-note" part="transfer-note">${note}</p>` : nothing}
      </div>
      <div class="bar-actions">
        <button
          class="btn btn--primary"
          part="transfer-accept"
          type="button"
          title=${acceptTitle ?? nothing}
          aria-keyshortcuts=${keys ? 'Alt+Shift+A' : nothing}
          aria-disabled=${this.busy !== '' ? 'true' : 'false'}
          @click=${() => void this.answer(true)}
        >${msg('Accept transfer', { id: 'chat-conversation.offer.accept' })}</button>
        <button
          class="btn"
          part="transfer-reject"
          type="button"
          title=${rejectTitle ?? nothing}
          aria-keyshortcuts=${keys ? 'Alt+Shift+R' : nothing}
          aria-disabled=${this.busy !== '' ? 'true' : 'false'}
          @click=${() => void this.answer(false)}
        >${msg('Reject transfer', { id: 'chat-conversation.offer.reject' })}</button>
      </div>
    </div>`;
  }

  private renderNotice(text: string) {
    return html`<div class="notice" part="notice">
      ${icons.info}
      <p class="notice-text">${text}</p>
      <button class="btn" part="notice-close" type="button" @click=${this.onNoticeClose}>${msg('Close', { id: 'chat-conversation.notice.close' })}</button>
    </div>`;
  }

  private renderTransferDialog(session: SessionSummary | undefined, name: string) {
    // Only while the dialog is open: the agents are followed then, and not otherwise.
    const agents = session && this.transferOpen ? this.transferAgents(session) : [];
    const channels = this.view.value?.channels ?? [];
    const choice = this.transferTarget;
    const sending = this.busy === 'transfer';
    return html`<dialog class="transfer-dialog" part="transfer-dialog" aria-labelledby="transfer-title" @close=${this.onTransferDialogClose}>
      <h2 id="transfer-title" class="dialog-title">${msg(str`Transfer the chat with ${name}`, { id: 'chat-conversation.transfer.title' })}</h2>
      <fieldset class="choices">
        <legend>${msg('To an agent', { id: 'chat-conversation.transfer.agents' })}</legend>
        <p class="choices-hint">${msg('Agents in this channel who are Present and online.', { id: 'chat-conversation.transfer.agents-hint' })}</p>
        ${agents.length === 0
          ? html`<p class="choices-empty">${msg('No other agent in this channel is Present and online right now.', { id: 'chat-conversation.transfer.no-agents' })}</p>`
          : agents.map((a, i) => {
              const full = a.activeChats >= a.maxConcurrentChats;
              const load = msg(str`${a.activeChats} of ${a.maxConcurrentChats} chats`, { id: 'chat-conversation.transfer.load' });
              return html`<label class="choice ${full ? 'choice--disabled' : ''}" part=${full ? 'transfer-option transfer-option--disabled' : 'transfer-option'}>
                <input
                  type="radio"
                  name="transfer-target"
                  value=${`agent:${a.id}`}
                  .checked=${choice === `agent:${a.id}`}
                  ?disabled=${full}
                  aria-describedby=${`transfer-load-${String(i)}`}
                  @change=${this.onTransferChoice}
                />
                <span class="choice-name">${a.name}</span>
                <span class="choice-load" id=${`transfer-load-${String(i)}`}
                  >${full ? msg(str`At capacity: ${load}`, { id: 'chat-conversation.transfer.full' }) : load}</span
                >
              </label>`;
            })}
      </fieldset>
      <fieldset class="choices">
        <legend>${msg('To a queue', { id: 'chat-conversation.transfer.queues' })}</legend>
        ${channels.map(
          (c) => html`<label class="choice" part="transfer-option">
            <input type="radio" name="transfer-target" value=${`channel:${c.id}`} .checked=${choice === `channel:${c.id}`} @change=${this.onTransferChoice} />
            <span class="choice-name">${msg(str`${c.name} queue`, { id: 'chat-conversation.transfer.queue' })}</span>
            ${c.id === session?.channelId ? html`<span class="choice-load">${msg('back in line', { id: 'chat-conversation.transfer.same-queue' })}</span>` : nothing}
          </label>`,
        )}
      </fieldset>
      <label class="note-label" for="transfer-note">${msg('Note for the next agent (optional)', { id: 'chat-conversation.transfer.note' })}</label>
      <textarea id="transfer-note" part="transfer-note-input" rows="2" maxlength=${MAX_TRANSFER_NOTE} .value=${this.transferNote} @input=${this.onTransferNote}></textarea>
      ${this.transferError ? html`<p class="transfer-error" part="transfer-error" role="alert">${this.transferError}</p>` : nothing}
      <div class="actions">
        <button class="btn" part="transfer-dismiss" type="button" @click=${this.onTransferDismiss}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
        <button class="btn btn--primary" part="transfer-confirm" type="button" aria-disabled=${sending || choice === '' ? 'true' : 'false'} @click=${this.onTransferConfirm}>
          ${sending ? msg('Transferring…', { id: 'chat-conversation.transfer.sending' }) : msg('Transfer', { id: 'chat-conversation.transfer.confirm' })}
        </button>
      </div>
    </dialog>`;
  }

  override render() {
    const id = this.shownId();
    if (id === undefined) {
      return html`<div class="base" part="base">
        <div class="empty" part="empty">
          <slot name="empty">${icons.chat}<p>${msg('Select a chat on the left or get the next one from the queue.', { id: 'chat-conversation.empty' })}</p></slot>
        </div>
      </div>`;
    }
    const session = this.session();
    const name = this.customer();
    const notice = this.noticeText();
    const readonly = notice === '' ? this.readonlyReason() : '';
    const live = this.view.value?.live === true;
    const offline = readonly === '' && !live ? msg('Not connected. You can send when the connection is back.', { id: 'chat-conversation.offline' }) : '';
    const agentConsole = this.me() !== undefined;
    return html`<div
      class="base"
      part="base"
      @dragenter=${this.onDragEnter}
      @dragover=${this.onDragOver}
      @dragleave=${this.onDragLeave}
      @drop=${this.onDrop}
      @chat-message-action=${this.onMessageAction}
    >
      ${this.renderHeader(session, name)} ${this.renderPending(session)}
      <chat-message-list
        part="transcript"
        exportparts=${MESSAGE_LIST_PARTS}
        .client=${this.client}
        .sessionId=${id}
        .saveQuickReply=${notice === '' && readonly === '' && agentConsole}
        .label=${msg(str`Messages with ${name}`, { id: 'chat-conversation.messages-label' })}
      ></chat-message-list>
      ${notice === '' ? this.renderTyping() : nothing} ${this.renderOffer(session)}
      ${notice !== ''
        ? this.renderNotice(notice)
        : html`<chat-composer
            part="composer"
            exportparts=${COMPOSER_PARTS}
            .client=${this.client}
            .sessionId=${id}
            .allowNotes=${agentConsole}
            .agentTools=${agentConsole}
            .crmProvider=${this.crmProvider}
            .label=${msg(str`Message to ${name}`, { id: 'chat-conversation.input-label' })}
            .noteLabel=${msg(str`Internal note on the chat with ${name}`, { id: 'chat-conversation.note-label' })}
            .disabledReason=${readonly}
            .sendBlockedReason=${offline}
          ></chat-composer>`}
      <dialog class="end-dialog" part="dialog" aria-labelledby="end-title" aria-describedby="end-text" @close=${this.onDialogClose}>
        <h2 id="end-title" class="dialog-title">${msg(str`End the chat with ${name}?`, { id: 'chat-conversation.dialog.title' })}</h2>
        <p id="end-text" class="dialog-text">
          ${msg('The customer is told that the chat has ended. Nobody can write in it afterwards.', { id: 'chat-conversation.dialog.text' })}
        </p>
        <div class="actions">
          <button class="btn" part="dialog-cancel" type="button" @click=${this.onCancelClick}>${msg('Cancel', { id: 'chat-conversation.dialog.cancel' })}</button>
          <button class="btn btn--danger-solid" part="dialog-confirm" type="button" @click=${this.onConfirmClick}>
            ${msg('End chat', { id: 'chat-conversation.dialog.confirm' })}
          </button>
        </div>
      </dialog>
      ${this.renderTransferDialog(session, name)} ${this.requestDialog?.render() ?? nothing}
      ${this.dropping
        ? html`<div class="drop-zone" part="drop-zone" aria-hidden="true">
            ${icons.upload}<span>${msg('Drop files to attach them to your reply', { id: 'chat-conversation.drop' })}</span>
          </div>`
        : nothing}
    </div>`;
  }
}
