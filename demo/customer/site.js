// Nordlys Outdoor demo site: the language switch for the chat widget, and a note on the page
// while a chat is in progress. Plain JavaScript against the CDN bundle; no inline handlers
// (CSP-friendly).
/* global document */
import { setChatLocale } from '/dist/cdn/chat-visitor.js';

const buttons = [...document.querySelectorAll('[data-chat-locale]')];

async function choose(locale) {
  for (const button of buttons) {
    button.setAttribute('aria-pressed', String(button.dataset.chatLocale === locale));
  }
  await setChatLocale(locale);
}

for (const button of buttons) {
  button.addEventListener('click', () => {
    void choose(button.dataset.chatLocale ?? 'en');
  });
}

// "Chat with our team" buttons on the page open the widget.
const widget = document.querySelector('chat-visitor');
for (const link of document.querySelectorAll('[data-open-chat]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    if (widget) void widget.show();
  });
}
