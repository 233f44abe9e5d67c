/**
 * Norwegian Bokmål. Each component keeps its own catalog in src/i18n/nb/<component>.ts; this module
 * merges them (it is loaded on demand by src/i18n/localization.ts).
 * Catalog format: `id: 'text'` or, with placeholders, `id: str\`… ${0} …\`` where the number is
 * the index of the source expression.
 */
import { templates as chatComposer } from '../nb/chat-composer.js';
import { templates as chatContactPanel } from '../nb/chat-contact-panel.js';
import { templates as chatConversation } from '../nb/chat-conversation.js';
import { templates as chatDashboard } from '../nb/chat-dashboard.js';
import { templates as chatMessageList } from '../nb/chat-message-list.js';
import { templates as chatSessionList } from '../nb/chat-session-list.js';
import { templates as chatVisitor } from '../nb/chat-visitor.js';
import { templates as chatWindow } from '../nb/chat-window.js';
import { templates as common } from '../nb/common.js';
import { templates as identity } from '../nb/identity.js';
import { templates as priority } from '../nb/priority.js';
import { templates as chatChannelSettings } from '../nb/chat-channel-settings.js';
import { templates as chatVisitorJourney } from '../nb/chat-visitor-journey.js';

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
