/**
 * Danish. Each component keeps its own catalog in src/i18n/da/<component>.ts; this module
 * merges them (it is loaded on demand by src/i18n/localization.ts).
 * Catalog format: `id: 'text'` or, with placeholders, `id: str\`… ${0} …\`` where the number is
 * the index of the source expression.
 */
import { templates as chatComposer } from '../da/chat-composer.js';
import { templates as chatContactPanel } from '../da/chat-contact-panel.js';
import { templates as chatConversation } from '../da/chat-conversation.js';
import { templates as chatDashboard } from '../da/chat-dashboard.js';
import { templates as chatMessageList } from '../da/chat-message-list.js';
import { templates as chatSessionList } from '../da/chat-session-list.js';
import { templates as chatVisitor } from '../da/chat-visitor.js';
import { templates as chatWindow } from '../da/chat-window.js';
import { templates as common } from '../da/common.js';
import { templates as identity } from '../da/identity.js';
import { templates as priority } from '../da/priority.js';
import { templates as chatChannelSettings } from '../da/chat-channel-settings.js';
import { templates as chatVisitorJourney } from '../da/chat-visitor-journey.js';

export const templates = {
  ...common,
  ...identity,
  ...priority,
  ...chatComposer,
  ...chatConversation,
  ...chatMessageList,
  ...chatSessionList,
  ...chatDashboard,
  ...chatVisitor,
  ...chatWindow,
  ...chatContactPanel,
  ...chatChannelSettings,
  ...chatVisitorJourney,
};
