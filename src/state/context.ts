/** The context through which chat-window hands its client to the elements inside it. */
import { createContext } from '@lit/context';

import type { ChatClient } from './create-chat-client.js';

export const chatClientContext = createContext<ChatClient | undefined>(Symbol('crm-chat-client'));
