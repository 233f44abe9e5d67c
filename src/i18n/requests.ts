/**
 * Labels of CRM request categories and priorities, shared by the agent's request dialog, the
 * customer widget's offline form and the channel settings (ids keep their first home's prefix).
 */
import { msg } from './localization.js';

import type { CrmRequestCategory, CrmRequestPriority } from '../crm/types.js';

/** A request category in words. */
export function categoryLabel(c: CrmRequestCategory): string {
  switch (c) {
    case 'question':
      return msg('Question', { id: 'chat-conversation.request.category.question' });
    case 'order':
      return msg('Order', { id: 'chat-conversation.request.category.order' });
    case 'delivery':
      return msg('Delivery', { id: 'chat-conversation.request.category.delivery' });
    case 'return':
      return msg('Return', { id: 'chat-conversation.request.category.return' });
    case 'complaint':
      return msg('Complaint', { id: 'chat-conversation.request.category.complaint' });
    case 'technical':
      return msg('Technical problem', { id: 'chat-conversation.request.category.technical' });
    default:
      return msg('Other', { id: 'chat-conversation.request.category.other' });
  }
}

/** A request priority in words. */
export function priorityLabel(p: CrmRequestPriority): string {
  switch (p) {
    case 'low':
      return msg('Low', { id: 'chat-conversation.request.priority.low' });
    case 'high':
      return msg('High', { id: 'chat-conversation.request.priority.high' });
    case 'urgent':
      return msg('Urgent', { id: 'chat-conversation.request.priority.urgent' });
    default:
      return msg('Normal', { id: 'chat-conversation.request.priority.normal' });
  }
}
