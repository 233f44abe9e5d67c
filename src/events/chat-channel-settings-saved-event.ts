import type { ChannelSettingsView } from '../protocol/channel-settings.js';
import { ChatEvent } from './chat-event.js';

export interface ChatChannelSettingsSavedDetail {
  /** The channel's settings as the server stored them. */
  view: ChannelSettingsView;
}

/** Notification: a manager saved a channel's settings. Bubbles and crosses shadow roots. */
export class ChatChannelSettingsSavedEvent extends ChatEvent<ChatChannelSettingsSavedDetail> {
  constructor(detail: ChatChannelSettingsSavedDetail) {
    super('chat-channel-settings-saved', detail, false);
  }
}
