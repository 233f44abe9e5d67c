/**
 * Swedish. Each component keeps its own catalog in src/i18n/sv/<component>.ts; this module
 * merges them (it is loaded on demand by src/i18n/localization.ts).
 * Catalog format: `id: 'text'` or, with placeholders, `id: str\`… ${0} …\`` where the number is
 * the index of the source expression.
 */
import { templates as chatComposer } from '../sv/chat-composer.js';
import { templates as chatContactPanel } from '../sv/chat-contact-panel.js';
import { templates as chatConversation } from '../sv/chat-conversation.js';
import { templates as chatDashboard } from '../sv/chat-dashboard.js';
import { templates as chatMessageList } from '../sv/chat-message-list.js';
import { templates as chatSessionList } from '../sv/chat-session-list.js';
import { templates as chatVisitor } from '../sv/chat-visitor.js';
import { templates as chatWindow } from '../sv/chat-window.js';
import { templates as common } from '../sv/common.js';
import { templates as identity } from '../sv/identity.js';
import { templates as priority } from '../sv/priority.js';
import { templates as chatChannelSettings } from '../sv/chat-channel-settings.js';
import { templates as chatVisitorJourney } from '../sv/chat-visitor-journey.js';

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
