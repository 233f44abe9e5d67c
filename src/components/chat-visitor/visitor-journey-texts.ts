/** The widget's texts of the customer's journey: offline form, queue, FAQ suggestions, after the chat. */
import { msg, str } from '../../i18n/localization.js';

export const j = {
  requiredError: () => msg('Fill this in to start the chat.', { id: 'chat-visitor.journey.required-error' }),
  phone: () => msg('Phone', { id: 'chat-visitor.journey.phone' }),
  company: () => msg('Company', { id: 'chat-visitor.journey.company' }),
  consentError: () => msg('Accept this to start the chat.', { id: 'chat-visitor.journey.consent-error' }),
  consentDefault: () => msg('I agree that my details and this chat are stored to answer my question.', { id: 'chat-visitor.journey.consent' }),
  phoneInvalid: () => msg('Enter a phone number, for example +46 70 123 45 67.', { id: 'chat-visitor.journey.phone-invalid' }),

  // FAQ suggestions
  faqTitle: () => msg('These answers might help', { id: 'chat-visitor.journey.faq.title' }),
  faqHint: () => msg('They open in a new tab. If none of them answers your question, start the chat.', { id: 'chat-visitor.journey.faq.hint' }),
  faqContinue: () => msg('Start the chat anyway', { id: 'chat-visitor.journey.faq.continue' }),
  faqBack: () => msg('Back', { id: 'chat-visitor.journey.faq.back' }),
  newTab: () => msg('(opens in a new tab)', { id: 'chat-visitor.journey.new-tab' }),

  // offline
  offlineClosed: () => msg('We are closed right now', { id: 'chat-visitor.journey.offline.closed' }),
  offlineNobody: () => msg('No one can answer right now', { id: 'chat-visitor.journey.offline.nobody' }),
  offlineMessage: () => msg('Leave us a message and we will get back to you.', { id: 'chat-visitor.journey.offline.message' }),
  offlineNoForm: () => msg('Please try again later.', { id: 'chat-visitor.journey.offline.no-form' }),
  opensAt: (when: string) => msg(str`We open again ${when}.`, { id: 'chat-visitor.journey.offline.opens' }),
  hours: () => msg('Opening hours (your time)', { id: 'chat-visitor.journey.offline.hours' }),
  category: () => msg('Topic', { id: 'chat-visitor.journey.offline.category' }),
  priority: () => msg('How urgent is it?', { id: 'chat-visitor.journey.offline.priority' }),
  request: () => msg('Your message', { id: 'chat-visitor.journey.offline.request' }),
  send: () => msg('Send', { id: 'chat-visitor.journey.offline.send' }),
  sending: () => msg('Sending…', { id: 'chat-visitor.journey.offline.sending' }),
  sent: (n: string) => msg(str`Thank you! Your request number is ${n}.`, { id: 'chat-visitor.journey.offline.sent' }),
  sentHint: () => msg('Keep the number: we will refer to it when we answer.', { id: 'chat-visitor.journey.offline.sent-hint' }),
  sendFailed: () => msg('Your message could not be sent. Please try again.', { id: 'chat-visitor.journey.offline.failed' }),

  // queue
  expectedWait: (minutes: number) =>
    minutes <= 1
      ? msg('Expected wait: about a minute', { id: 'chat-visitor.journey.wait.one' })
      : msg(str`Expected wait: about ${minutes} minutes`, { id: 'chat-visitor.journey.wait.other' }),

  // after the chat
  rateLegend: () => msg('How was the chat?', { id: 'chat-visitor.journey.rate.legend' }),
  star: (n: number) => msg(str`${n} of 5`, { id: 'chat-visitor.journey.rate.star' }),
  comment: () => msg('Comment', { id: 'chat-visitor.journey.rate.comment' }),
  rateSend: () => msg('Send rating', { id: 'chat-visitor.journey.rate.send' }),
  rateChoose: () => msg('Choose a rating from 1 to 5.', { id: 'chat-visitor.journey.rate.choose' }),
  rated: () => msg('Thank you for your rating!', { id: 'chat-visitor.journey.rate.thanks' }),
  transcriptLabel: () => msg('E-mail me the chat', { id: 'chat-visitor.journey.transcript.label' }),
  transcriptSend: () => msg('Send the chat', { id: 'chat-visitor.journey.transcript.send' }),
  transcriptSent: (to: string) => msg(str`The chat is on its way to ${to}.`, { id: 'chat-visitor.journey.transcript.sent' }),
  returnTo: () => msg('Return to the chat', { id: 'chat-visitor.journey.return' }),
  returnFailed: () => msg('The chat cannot be opened again. Start a new chat instead.', { id: 'chat-visitor.journey.return-failed' }),
  failed: () => msg('That did not work. Please try again.', { id: 'chat-visitor.journey.failed' }),
  botIntro: () => msg('Our bot answers first. Ask your question, or talk to a person.', { id: 'chat-visitor.journey.bot.intro' }),
  botInput: () => msg('Your question', { id: 'chat-visitor.journey.bot.input' }),
  botThinking: () => msg('The bot is answering…', { id: 'chat-visitor.journey.bot.thinking' }),
  botPerson: () => msg('Talk to a person', { id: 'chat-visitor.journey.bot.person' }),
  botHandoff: () => msg('Connecting you with a person…', { id: 'chat-visitor.journey.bot.handoff' }),
};
