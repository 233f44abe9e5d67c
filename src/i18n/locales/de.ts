/**
 * German. Each component keeps its own catalog in src/i18n/de/<component>.ts; this module
 * merges them (it is loaded on demand by src/i18n/localization.ts).
 * Catalog format: `id: 'text'` or, with placeholders, `id: str\`… ${0} …\`` where the number is
 * the index of the source expression.
 */
import { templates as chatComposer } from '../de/chat-composer.js';
import { templates as chatContactPanel } from '../de/chat-contact-panel.js';
import { templates as chatConversation } from '../de/chat-conversation.js';
import { templates as chatDashboard } from '../de/chat-dashboard.js';
import { templates as chatMessageList } from '../de/chat-message-list.js';
import { templates as chatSessionList } from '../de/chat-session-list.js';
import { templates as chatVisitor } from '../de/chat-visitor.js';
import { templates as chatWindow } from '../de/chat-window.js';
import { templates as common } from '../de/common.js';
import { templates as identity } from '../de/identity.js';
import { templates as priority } from '../de/priority.js';
import { templates as chatChannelSettings } from '../de/chat-channel-settings.js';
import { templates as chatVisitorJourney } from '../de/chat-visitor-journey.js';

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
