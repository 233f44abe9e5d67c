import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';

import type { CrmProvider } from '../../crm/types.js';
import type { ChatMessageActionEvent } from '../../events/chat-message-action-event.js';
import { ChatSessionCloseEvent } from '../../events/chat-session-close-event.js';
import { customerName } from '../../i18n/common.js';
import { ChatElement } from '../../internal/chat-element.js';
import { FileDropController } from '../../internal/file-drop.js';
import { identityBadgeStyles } from '../../internal/identity-badge.js';
import { responseTimerStyles } from '../../internal/response-timer.js';
import { StoreController } from '../../internal/store-controller.js';
import type { AgentMe, ChannelPermissions, SessionSummary } from '../../protocol/index.js';
import { chatClientContext } from '../../state/context.js';
import type { ChatClient } from '../../state/create-chat-client.js';
import type { ConversationView } from '../../state/agent-views.js';
import { agentViews } from '../../state/agent-views.js';
import { buttonStyles, hostStyles } from '../../styles/host.styles.js';
import { typingDotsStyles } from '../../styles/typing.styles.js';
import { ChatComposer } from '../chat-composer/chat-composer.component.js';
import { ChatMessageList } from '../chat-message-list/chat-message-list.component.js';
import { conversationStyles } from './chat-conversation.styles.js';
import { renderComposer, renderDropZone, renderEmpty, renderHeader, renderNotice, renderTranscript, renderTyping, renderWhisper } from './conversation-view.js';
import { canWhisper, handedOverEvent, noticeText, readonlyReason } from './conversation-texts.js';
import type { ConversationShortcut } from './conversation-keys.js';
import { ConversationKeys } from './conversation-keys.js';
import { FocusKeeper } from './focus-keeper.js';
import { HoldHelp } from './hold-help.js';
import { ReadMarker } from './read-marker.js';
import { SessionActions } from './session-actions.js';
import { SessionOpener } from './session-opener.js';
import { SessionPriority } from './session-priority.js';
import { SessionRequests } from './session-requests.js';
import { TransferDialog } from './transfer-dialog.js';

/**
 * @summary The middle column of the Chats tab: one chat session with its header (customer,
 * channel, status, Take over, Ask for help, Put on hold / Resume, Transfer, Return to queue, End
 * chat, Create request and the chat's requests with a `crmProvider`), the transcript (with files), the customer's typing and draft preview, transfer
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
 * @csspart priority-field - The chat's priority in the header (issue 18): its label and select, for the handling agent or a manager of the channel.
 * @csspart priority-select - The priority select.
 * @csspart priority-error - Why the priority could not be changed.
 * @csspart priority - The priority marker (Urgent, High, Low) for agents who may not change it; also `priority--urgent`, `priority--high`, `priority--low`.
 * @csspart tags - The chat's tags (wrap-up, issue 18) in the header: a list labelled "Tags".
 * @csspart tag - One tag, as a chip (text).
 * @csspart actions - The buttons in the header.
 * @csspart takeover-button - "Take over" (managers, on chats someone else handles).
 * @csspart transfer-button - "Transfer…" (opens the transfer dialog).
 * @csspart end-button - The "End chat" button.
 * @csspart unread-button - "Mark unread" (my chats; Alt+Shift+U): the chat counts as unread again and closes.
 * @csspart end-error - Why ending, taking over or answering a transfer failed.
 * @csspart help-button - "Ask for help…" (opens the dialog for a note) / "Cancel help request" (`aria-pressed`, lowers the flag at once) on my active chats: the channel's supervisors see the request on their Dashboard.
 * @csspart hold-button - "Put on hold" / "Resume" (my active chats; `aria-pressed` while on hold): a held chat does not count against my capacity, the customer is told.
 * @csspart requeue-button - "Return to queue…" (my active chats, or any in a channel I manage): opens the dialog asking for the reason.
 * @csspart hold-bar - "On hold since 10:42 …" under the header while my chat is on hold.
 * @csspart help-bar - "You asked for help at 10:42 …" under the header while my request for help waits.
 * @csspart help-note - The note of my request for help, in that bar.
 * @csspart returned-bar - Who returned the chat to the queue and why, under the header of the chat I answered afterwards.
 * @csspart returned-reason - The reason, in that bar.
 * @csspart hold-error - Why putting on hold, resuming or asking for help failed.
 * @csspart help-dialog - The Ask for help dialog (issue 18).
 * @csspart help-note-input - Its "What do you need?" field (optional, at most 300 characters, plain text): the supervisors read it on their Dashboard and in the conversation.
 * @csspart help-error - Why help could not be asked for, in that dialog.
 * @csspart help-confirm - Its "Ask for help" button.
 * @csspart help-cancel - Its Cancel button.
 * @csspart requeue-dialog - The Return to queue dialog.
 * @csspart requeue-reason - The reason field in it (required; the next agent sees it).
 * @csspart requeue-error - Why the reason is missing or the chat could not be returned.
 * @csspart requeue-confirm - Its "Return to queue" button.
 * @csspart requeue-cancel - Its Cancel button.
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
 * @csspart message--whisper - A supervisor's whisper to the handling agent (forwarded).
 * @csspart message--bot - A message the channel's bot wrote before the hand-off (forwarded).
 * @csspart bot-badge - The "Bot" mark beside a bot message's author (forwarded).
 * @csspart message--system - A system event (forwarded).
 * @csspart message--internal - An agent-only system event, e.g. a transfer (forwarded).
 * @csspart message--pending - One of my messages not confirmed yet (forwarded).
 * @csspart message--failed - One of my messages the server refused (forwarded).
 * @csspart bubble - The text bubble of a message (forwarded; with `bubble--customer`, `bubble--agent` or `bubble--note`, and `bubble--bot` or `bubble--whisper`).
 * @csspart bubble--customer - The bubble of a customer's message (forwarded).
 * @csspart bubble--agent - The bubble of an agent's message (forwarded).
 * @csspart bubble--bot - The bubble of a message the channel's bot wrote (forwarded).
 * @csspart bubble--note - The bubble of an internal note (forwarded).
 * @csspart bubble--whisper - The bubble of a supervisor's whisper (forwarded).
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
 * @csspart whisper - The composer shown while listening in with the listen or manager permission: it whispers to the handling agent (also `composer`).
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
 * @csspart wrapup - The wrap-up in the End chat dialog: what the chat's channel asks for (issue 18).
 * @csspart wrapup-comment - The closing comment (hidden when the channel turns it off; required when it says so).
 * @csspart wrapup-tags - The tags: the channel's list as checkboxes, or a text field for free tags.
 * @csspart wrapup-tag - One tag of the channel's list.
 * @csspart wrapup-silent - "Close without notifying the customer (spam)".
 * @csspart wrapup-error - What the channel still needs (next to the field).
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
 * @csspart message-menu-item - One action in that menu, "Quote in reply" or "Save as quick reply" (forwarded).
 * @csspart quote - The quoted message above a reply in the transcript (forwarded).
 * @csspart quote-author - Who wrote the quoted message (forwarded).
 * @csspart quote-text - The excerpt of the quoted message (forwarded).
 * @csspart composer-quote - The message the next one quotes, above the text area (forwarded).
 * @csspart composer-quote-author - Who wrote it (forwarded).
 * @csspart composer-quote-text - Its excerpt (forwarded).
 * @csspart quote-remove - Removes the quote from the next message (forwarded).
 * @csspart suggestions - Suggested replies above the text area (forwarded).
 * @csspart suggestion - One suggested reply (forwarded).
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
 * @fires {ChatSessionEndEvent} chat-session-end - The agent ended the chat here (confirmed "End chat", with the wrap-up its channel asks for, and the server agreed).
 * @fires {ChatSessionCloseEvent} chat-session-close - The agent closed a read-only chat ("Close"). Cancelable; by default the client's selection is cleared when it was this chat.
 * @fires {ChatMessageSendEvent} chat-message-send - Before a message or note is sent (from the composer). Cancelable.
 * @fires {ChatErrorEvent} chat-error - Ending, transferring, taking over, answering a transfer, putting on hold, resuming, asking for help, returning to the queue or sending failed, or a file was refused (from the composer).
 * @fires {ChatRequestCreateEvent} chat-request-create - A CRM request was created from the chat (its number is put into the composer).
 * @fires {ChatRequestOpenEvent} chat-request-open - The agent chose one of the chat's requests in the header. Cancelable; the host shows it.
 * @fires {ChatMessageActionEvent} chat-message-action - "Quote in reply" (the composer takes the quote) or "Save as quick reply" on a message (from the transcript; offered while the agent can write in the chat). Cancelable: by default the quick-reply form opens with its text.
 */
export class ChatConversation extends ChatElement {
  static override styles = [hostStyles, buttonStyles, typingDotsStyles, conversationStyles, identityBadgeStyles, responseTimerStyles];

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
  /** Marks the shown chat read while the agent sees it. */
  private readonly reader = new ReadMarker(this, () => {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined || this.mode === 'listen' || !this.isMine(this.session()) || this.view.value?.ready !== true) return undefined;
    return { client, id };
  });
  /** End chat, Take over, Cancel transfer, the answer to an offer. */
  private readonly actions = new SessionActions(this);
  /** Hold / Resume, Ask for help, Return to queue (issue 18). */
  private readonly holdHelp = new HoldHelp(this);
  /** Alt+Shift+Q / E / X: Insert, End chat, Transfer. */
  private readonly keys = new ConversationKeys(this);
  /** The Transfer dialog. */
  private readonly transfer = new TransferDialog(this);
  /** Focus that follows the controls as they come and go. */
  private readonly focusKeeper = new FocusKeeper(this);
  /** Opens the shown chat on the client (and closes the one shown before). */
  private readonly opener = new SessionOpener(this);
  /** Requests created from the shown chat (with a `crmProvider`). */
  private readonly requests = new SessionRequests(this);
  /** The chat's priority in the header (issue 18). */
  private readonly priority = new SessionPriority(this);
  /** Files dropped on the conversation go to the composer. */
  private readonly drop = new FileDropController(this, {
    canDrop: () => this.mode !== 'listen' && this.canWrite(),
    onFiles: (files) => this.composer()?.addFiles(files),
  });

  private lastShownId: string | undefined;

  /** Session to show. When not set, the element follows the client's selected session. */
  @property({ attribute: 'session-id', reflect: true })
  sessionId?: string;

  /**
   * `participant` (default): the agent's own view, writable where allowed. `listen`: a read-only
   * live view for listening in (opened with `openSession(id, 'listen')`; no composer, no actions).
   */
  @property({ reflect: true })
  mode: 'participant' | 'listen' = 'participant';

  /**
   * Turns off the Alt+Shift shortcuts (WCAG 2.1.4): Q (Insert), X (Transfer), E (End chat) and the
   * transfer offer's A / R (Accept / Reject).
   */
  @property({ type: Boolean, attribute: 'without-shortcuts' })
  withoutShortcuts = false;

  /**
   * CRM for "Create request" (and the chat's requests in the header) and for "Select a CRM
   * document" in the composer. chat-window forwards its own.
   */
  @property({ attribute: false })
  crmProvider?: CrmProvider;

  protected override willUpdate(): void {
    const client = this.client;
    this.selection.use(this.sessionId === undefined ? client?.$selectedSessionId : undefined);
    const id = this.shownId();
    this.view.use(id === undefined || !client ? undefined : agentViews(client).conversation(id));
    this.reader.follow(client, id);
    if (id !== this.lastShownId) {
      // Another chat: errors and dialogs about the previous one no longer apply.
      this.lastShownId = id;
      this.actions.reset();
      this.holdHelp.reset();
      this.transfer.reset();
      this.focusKeeper.reset();
      this.requests.reset();
      this.drop.reset();
    }
    const session = this.session();
    const facts = this.facts();
    this.setCustomState('empty', id === undefined);
    this.setCustomState('readonly', id !== undefined && (noticeText(facts) !== '' || readonlyReason(facts) !== ''));
    this.setCustomState('listening', id !== undefined && (this.mode === 'listen' || handedOverEvent(facts) !== undefined));
    this.setCustomState('transfer-pending', session?.transfer !== undefined && session.transfer.toAgentId !== this.me()?.id);
    this.setCustomState('transfer-offered', this.offerShown());
  }

  /** The shown session: the `session-id` attribute, else the client's selection. @internal */
  shownId(): string | undefined {
    return this.sessionId ?? this.selection.value;
  }

  /** For the controllers: the shown chat's state. @internal */
  session(): SessionSummary | undefined {
    return this.shownId() === undefined ? undefined : this.view.value?.session;
  }

  /** For the controllers: who I am. @internal */
  me(): AgentMe | undefined {
    return this.view.value?.me;
  }

  /** What the notices and reasons are made of. */
  private facts() {
    const session = this.session();
    return { session, me: this.me(), mode: this.mode, handover: this.view.value?.handover, hasClient: this.client !== undefined, offered: this.offerShown() };
  }

  private composer() {
    return this.renderRoot.querySelector('chat-composer');
  }

  private isMine(session: SessionSummary | undefined): boolean {
    const me = this.me();
    return session !== undefined && me !== undefined && session.agentId === me.id;
  }

  /** For the controllers: my permissions in the chat's channel. @internal */
  permissions(session: SessionSummary | undefined): ChannelPermissions | undefined {
    return session ? this.me()?.channels.find((c) => c.id === session.channelId)?.permissions : undefined;
  }

  /** For the controllers: the shown chat is offered to me and I have not answered. @internal */
  offerShown(): boolean {
    const session = this.session();
    const me = this.me();
    return this.mode !== 'listen' && session?.status === 'active' && me !== undefined && session.transfer?.toAgentId === me.id;
  }

  /** For the controllers: the customer's name, from the board, else from the transcript. @internal */
  customer(): string {
    const session = this.session();
    if (session) return customerName(session.customer);
    return customerName(this.view.value?.customer);
  }

  /** For the controllers: focus goes to `target` once the server's answer shows it. @internal */
  wishFocus(target: 'heading' | 'composer' | 'transfer-cancel' | 'transfer-button'): void {
    this.focusKeeper.wish(target);
  }

  /** For the focus keeper: the composer is shown and the chat can be written in. @internal */
  canWrite(): boolean {
    return this.composer() !== null && noticeText(this.facts()) === '' && readonlyReason(this.facts()) === '';
  }

  /** For the Transfer dialog: the chat to transfer and the choices around it. @internal */
  transferContext() {
    const id = this.shownId();
    const session = this.session();
    return id === undefined || !session ? undefined : { id, session, me: this.me(), channels: this.view.value?.channels ?? [] };
  }

  /** For the Transfer dialog: the dialog is open. @internal */
  transferDialogOpen(): boolean {
    return this.transfer.open;
  }

  private readonly onTransferClick = (): void => {
    if (this.actions.busy !== '') return;
    this.transfer.show();
  };

  /** For the controllers: closes the shown chat, as the notice's Close does. @internal */
  closeShown(): void {
    this.onNoticeClose();
  }

  private readonly onNoticeClose = (): void => {
    const client = this.client;
    const id = this.shownId();
    if (!client || id === undefined) return;
    if (!this.dispatchEvent(new ChatSessionCloseEvent({ sessionId: id }))) return;
    if (client.$selectedSessionId.get() === id) client.selectSession(undefined);
  };

  // ---- message actions, focus -------------------------------------------------------------

  /** For the requests: puts `text` at the end of the reply and focuses it; false when the chat cannot be written in. @internal */
  appendToReply(text: string): boolean {
    const composer = this.composer();
    if (!composer || noticeText(this.facts()) !== '') return false;
    composer.appendText(text);
    this.focusComposer();
    return true;
  }

  /** "Save as quick reply" on a message: unless someone cancelled the event, the form opens with its text. */
  private onMessageAction(event: ChatMessageActionEvent): void {
    // Act once the event has reached every listener (a host may cancel it further up).
    queueMicrotask(() => {
      if (event.defaultPrevented) return;
      const composer = this.renderRoot.querySelector('chat-composer');
      if (event.detail.action === 'quote') composer?.quoteMessage(event.detail.message);
      else composer?.openQuickReplyForm(event.detail.text);
    });
  }

  /** For the console's keys: Insert, End chat or Transfer in the shown chat. @internal */
  runShortcut(kind: ConversationShortcut): void {
    this.keys.run(kind);
  }

  /** For the keys: opens the composer's Insert picker; false when there is nothing to write in. @internal */
  openInsertPicker(): boolean {
    return this.composer()?.openInsertPicker() ?? false;
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

  override render() {
    const id = this.shownId();
    if (id === undefined) return renderEmpty();
    const session = this.session();
    const name = this.customer();
    const notice = noticeText(this.facts());
    const readonly = notice === '' ? readonlyReason(this.facts()) : '';
    const agentConsole = this.me() !== undefined;
    return html`<div
      class="base"
      part="base"
      @dragenter=${this.drop.onDragEnter}
      @dragover=${this.drop.onDragOver}
      @dragleave=${this.drop.onDragLeave}
      @drop=${this.drop.onDrop}
      @chat-message-action=${this.onMessageAction}
    >
      ${renderHeader({
        session,
        name,
        channel: session ? this.view.value?.channels.find((c) => c.id === session.channelId)?.name : undefined,
        listen: this.mode === 'listen',
        mine: this.isMine(session),
        perm: this.permissions(session),
        holdHelp: this.holdHelp,
        withoutShortcuts: this.withoutShortcuts,
        canRequest: this.mode !== 'listen' && this.crmProvider !== undefined && agentConsole && session !== undefined,
        transferSending: this.transfer.sending,
        actions: this.actions,
        requests: this.requests,
        priority: this.priority,
        onTransferClick: this.onTransferClick,
      })}
      ${this.actions.renderPending(session)} ${this.holdHelp.renderBars(session)}
      ${renderTranscript(this.client, id, name, notice === '' && readonly === '' && agentConsole, notice === '' && readonly === '')}
      ${notice === '' ? renderTyping(this.view.value?.typing, this.me()?.id, agentConsole, this.customer()) : nothing} ${this.actions.renderOffer(session)}
      ${notice !== ''
        ? canWhisper(this.facts(), this.permissions(session))
          ? renderWhisper(this.client, id, session?.agentName ?? '')
          : renderNotice(notice, this.onNoticeClose)
        : renderComposer({ client: this.client, id, name, agentConsole, crmProvider: this.crmProvider, disabledReason: readonly })}
      ${this.actions.renderEndDialog(name)}
      ${this.transfer.render(name)} ${this.requests.renderDialog()} ${this.holdHelp.renderDialog(name)}
      ${this.drop.dropping ? renderDropZone() : nothing}
    </div>`;
  }
}
