/**
 * The customer widget's texts (English source; Swedish in src/i18n/sv/chat-visitor.ts). Functions,
 * not constants, so every call reads the current locale.
 */

import { msg, str } from '../../i18n/localization.js';
import type { ChatMessage } from '../../protocol/model.js';

export const t = {
  launcher: () => msg('Chat with us', { id: 'chat-visitor.launcher' }),
  newMessages: () => msg('New messages:', { id: 'chat-visitor.launcher.new' }),
  panelTitle: () => msg('Chat with us', { id: 'chat-visitor.title' }),
  subtitleForm: () => msg('We are happy to help', { id: 'chat-visitor.subtitle.form' }),
  subtitleActive: () => msg('Online', { id: 'chat-visitor.subtitle.active' }),
  subtitleEnded: () => msg('Chat ended', { id: 'chat-visitor.subtitle.ended' }),
  connecting: () => msg('Connecting…', { id: 'chat-visitor.connecting' }),
  queue: (position: number | undefined) =>
    position === undefined
      ? msg('Waiting in the queue', { id: 'chat-visitor.queue' })
      : msg(str`Waiting in the queue (position ${position})`, { id: 'chat-visitor.queue.position' }),
  /** A `queued` event after an agent had joined: the agent returned the chat to the queue (issue 18). */
  backInQueue: () => msg('You are back in the queue. The next free agent will answer you.', { id: 'chat-visitor.event.requeued' }),
  noAgent: () => msg('No agent is online right now. Stay in the queue and we will answer as soon as someone is back.', { id: 'chat-visitor.no-agent' }),
  minimize: () => msg('Minimise chat', { id: 'chat-visitor.minimize' }),
  close: () => msg('Close chat', { id: 'chat-visitor.close' }),

  // pre-chat form
  intro: () => msg('Tell us a little about yourself and we will connect you with the right person.', { id: 'chat-visitor.form.intro' }),
  topic: () => msg('What can we help you with?', { id: 'chat-visitor.form.topic' }),
  loadingTopics: () => msg('Loading topics…', { id: 'chat-visitor.form.loading' }),
  topicsFailed: () => msg('We could not load the chat topics.', { id: 'chat-visitor.form.topics-failed' }),
  noTopics: () => msg('Chat is not available at the moment. Please try again later.', { id: 'chat-visitor.form.no-topics' }),
  tryAgain: () => msg('Try again', { id: 'chat-visitor.form.try-again' }),
  name: () => msg('Name', { id: 'chat-visitor.form.name' }),
  email: () => msg('E-mail', { id: 'chat-visitor.form.email' }),
  optional: () => msg('(optional)', { id: 'chat-visitor.form.optional' }),
  required: () => msg('(required)', { id: 'chat-visitor.form.required' }),
  emailHint: () => msg('So we can follow up if the chat is interrupted.', { id: 'chat-visitor.form.email-hint' }),
  firstMessage: () => msg('How can we help?', { id: 'chat-visitor.form.message' }),
  start: () => msg('Start chat', { id: 'chat-visitor.form.start' }),
  starting: () => msg('Starting…', { id: 'chat-visitor.form.starting' }),
  emailInvalid: () => msg('Enter an e-mail address like name@example.com.', { id: 'chat-visitor.form.email-invalid' }),
  nameInvalid: () => msg('Check your name and try again.', { id: 'chat-visitor.form.name-invalid' }),
  chooseTopic: () => msg('Choose a topic.', { id: 'chat-visitor.form.choose-topic' }),
  startOffline: () => msg('We could not reach the chat service. Check your connection and try again.', { id: 'chat-visitor.error.offline' }),
  startRateLimited: () => msg('Too many chats were started from here. Please wait a minute and try again.', { id: 'chat-visitor.error.rate-limited' }),
  startUnavailable: () => msg('This chat is not available right now.', { id: 'chat-visitor.error.unavailable' }),
  startInvalid: () => msg('Please check the form and try again.', { id: 'chat-visitor.error.invalid' }),
  startFailed: () => msg('Something went wrong while starting the chat. Please try again.', { id: 'chat-visitor.error.start' }),
  expired: () => msg('Your previous chat can no longer be continued. Start a new chat to talk to us.', { id: 'chat-visitor.error.expired' }),

  // conversation
  conversation: () => msg('Conversation', { id: 'chat-visitor.conversation' }),
  you: () => msg('You', { id: 'chat-visitor.you' }),
  bot: () => msg('Bot', { id: 'chat-visitor.bot' }),
  inReplyTo: () => msg('In reply to', { id: 'chat-visitor.quote' }),
  quoteAction: () => msg('Quote', { id: 'chat-visitor.quote.action' }),
  agent: () => msg('Agent', { id: 'chat-visitor.agent' }),
  sent: () => msg('Sent', { id: 'chat-visitor.state.sent' }),
  sending: () => msg('Sending…', { id: 'chat-visitor.state.sending' }),
  waiting: () => msg('Waiting for connection…', { id: 'chat-visitor.state.waiting' }),
  notSent: () => msg('Not sent.', { id: 'chat-visitor.state.failed' }),
  retry: () => msg('Retry', { id: 'chat-visitor.retry' }),
  cancel: () => msg('Cancel', { id: 'chat-visitor.cancel' }),
  failedAnnouncement: () => msg('Your message was not sent.', { id: 'chat-visitor.announce.failed' }),
  typing: (name: string) => msg(str`${name} is typing…`, { id: 'chat-visitor.typing' }),
  messageFrom: (name: string, text: string) => msg(str`${name}: ${text}`, { id: 'chat-visitor.announce.message' }),
  filesSent: (names: string) => msg(str`Files: ${names}`, { id: 'chat-visitor.announce.files' }),

  // composer
  messageLabel: () => msg('Message', { id: 'chat-visitor.composer.label' }),
  placeholder: () => msg('Write a message…', { id: 'chat-visitor.composer.placeholder' }),
  composerHint: () => msg('Press Enter to send and Shift+Enter for a new line.', { id: 'chat-visitor.composer.hint' }),
  send: () => msg('Send', { id: 'chat-visitor.composer.send' }),
  counter: (length: number, max: number) => msg(str`${length} of ${max} characters`, { id: 'chat-visitor.composer.counter' }),
  tooLong: (over: number) => msg(str`${over} characters too many`, { id: 'chat-visitor.composer.too-long' }),
  waitForUpload: () => msg('Wait until the files have uploaded, or cancel the upload.', { id: 'chat-visitor.composer.wait-upload' }),

  // ending
  end: () => msg('End chat', { id: 'chat-visitor.end' }),
  leaveQueue: () => msg('Leave the queue', { id: 'chat-visitor.leave-queue' }),
  confirmEnd: () => msg('End this chat?', { id: 'chat-visitor.end.confirm' }),
  confirmEndHint: () => msg('You can start a new chat at any time.', { id: 'chat-visitor.end.hint' }),
  confirmEndYes: () => msg('Yes, end chat', { id: 'chat-visitor.end.yes' }),
  keepChatting: () => msg('Keep chatting', { id: 'chat-visitor.end.no' }),
  endFailed: () => msg('We could not end the chat. Check your connection and try again.', { id: 'chat-visitor.end.failed' }),
  ended: () => msg('The chat has ended', { id: 'chat-visitor.ended' }),
  endedHint: () => msg('Thank you for contacting us.', { id: 'chat-visitor.ended.hint' }),
  newChat: () => msg('Start a new chat', { id: 'chat-visitor.new-chat' }),
};

/** Why a message was refused, as the customer should read it. */
export function failureReason(code: string | undefined): string {
  switch (code) {
    case 'session_closed':
      return msg('The chat has ended.', { id: 'chat-visitor.failed.closed' });
    case 'rate_limited':
      return msg('You are sending messages too fast.', { id: 'chat-visitor.failed.rate' });
    case 'invalid':
      return msg('The message could not be accepted.', { id: 'chat-visitor.failed.invalid' });
    default:
      return msg('Something went wrong.', { id: 'chat-visitor.failed.other' });
  }
}

/**
 * A system line of the conversation, localized from its event and author name ("Erik joined
 * the chat"). `me` is the customer's own name (the author of an end they caused).
 */
export function systemText(message: ChatMessage, me: string): string {
  const name = message.author.name.trim();
  switch (message.event) {
    case 'queued':
      // The channel's welcome text, written by the company.
      return message.text.trim() === '' ? msg('You are in the queue.', { id: 'chat-visitor.event.queued' }) : message.text;
    case 'joined':
      return name === '' ? msg('An agent joined the chat', { id: 'chat-visitor.event.joined-anonymous' }) : msg(str`${name} joined the chat`, { id: 'chat-visitor.event.joined' });
    case 'ended':
      if (name === '' || name === me.trim()) return msg('You ended the chat', { id: 'chat-visitor.event.ended-you' });
      return msg(str`${name} ended the chat`, { id: 'chat-visitor.event.ended' });
    case 'left':
      return msg('You left the queue', { id: 'chat-visitor.event.left' });
    case 'missed':
      return msg('No agent was available', { id: 'chat-visitor.event.missed' });
    case 'held':
      return msg('You are on hold. The agent will be back with you shortly.', { id: 'chat-visitor.event.held' });
    case 'resumed':
      return name === '' ? msg('The agent is back in the chat', { id: 'chat-visitor.event.resumed-anonymous' }) : msg(str`${name} is back in the chat`, { id: 'chat-visitor.event.resumed' });
    default:
      return message.text;
  }
}
