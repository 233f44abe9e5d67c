/**
 * Finnish. Each component keeps its own catalog in src/i18n/fi/<component>.ts; this module
 * merges them (it is loaded on demand by src/i18n/localization.ts).
 * Catalog format: `id: 'text'` or, with placeholders, `id: str\`… ${0} …\`` where the number is
 * the index of the source expression.
 */
import { templates as chatComposer } from '../fi/chat-composer.js';
import { templates as chatContactPanel } from '../fi/chat-contact-panel.js';
import { templates as chatConversation } from '../fi/chat-conversation.js';
import { templates as chatDashboard } from '../fi/chat-dashboard.js';
import { templates as chatMessageList } from '../fi/chat-message-list.js';
import { templates as chatSessionList } from '../fi/chat-session-list.js';
import { templates as chatVisitor } from '../fi/chat-visitor.js';
import { templates as chatWindow } from '../fi/chat-window.js';
import { templates as common } from '../fi/common.js';
import { templates as identity } from '../fi/identity.js';
import { templates as priority } from '../fi/priority.js';
import { templates as chatChannelSettings } from '../fi/chat-channel-settings.js';
import { templates as chatVisitorJourney } from '../fi/chat-visitor-journey.js';

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
