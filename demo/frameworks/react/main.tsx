/**
 * React 19 and the agent console: `<chat-window>` in JSX with typed properties and a typed event
 * prop (`crm-chat-elements/types/react`). React 19 sets properties on custom elements (functions
 * and objects too) and adds `on<event-name>` props as event listeners. Recipe: docs/frameworks.md.
 */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

import 'crm-chat-elements/chat-window.js';
import type {} from 'crm-chat-elements/types/react';
import type { ChatSessionAnswerEvent } from 'crm-chat-elements';

import { type DemoAgent, signInDemoAgent, TENANT } from '../shared/demo-agent.js';

function App() {
  const [agent, setAgent] = useState<DemoAgent>();
  const [status, setStatus] = useState('Signing in…');

  useEffect(() => {
    signInDemoAgent().then(
      (signedIn) => {
        setAgent(signedIn);
        setStatus(`Signed in as ${signedIn.name}.`);
      },
      (error: unknown) => {
        setStatus(`Sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }, []);

  const onAnswer = (event: ChatSessionAnswerEvent) => {
    setStatus(`Answering chat ${event.detail.sessionId}.`);
  };

  return (
    <>
      <h1>React 19</h1>
      <p className="status" role="status">
        {status}
      </p>
      {agent && (
        <chat-window
          className="console"
          serverUrl={location.origin}
          tenant={TENANT}
          getToken={agent.getToken}
          getAccessToken={agent.getAccessToken}
          onchat-session-answer={onAnswer}
        />
      )}
    </>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
