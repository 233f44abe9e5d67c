// Nordlys Outdoor demo site: the language switch for the chat widget, a demo shop account whose
// signed identity token the widget passes on (the agent sees a verified customer), and the "Chat
// with our team" links. Plain JavaScript against the CDN bundle; no inline handlers (CSP-friendly).
/* global document */
import { setChatLocale } from '/dist/cdn/chat-visitor.js';

// The chat's language (the rest of this sample site stays in English).
const language = document.querySelector('[data-chat-language]');
language?.addEventListener('change', () => {
  void setChatLocale(language.value);
});

// The chat's theme: the dark theme (themes/dark.css) applies to the widget alone.
const theme = document.querySelector('[data-chat-theme]');
const applyTheme = (value) => {
  document.querySelector('chat-visitor')?.classList.toggle('chat-theme-dark', value === 'dark');
  if (theme) theme.value = value;
  sessionStorage.setItem('nordlys-shop.theme', value);
};
theme?.addEventListener('change', () => applyTheme(theme.value));
applyTheme(sessionStorage.getItem('nordlys-shop.theme') === 'dark' ? 'dark' : 'light');

// "Chat with our team" buttons on the page open the widget.
const widget = document.querySelector('chat-visitor');
for (const link of document.querySelectorAll('[data-open-chat]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    if (widget) void widget.show();
  });
}

// ---- the shop's signed-in customer ----------------------------------------------------------------
// A real shop signs the identity token on its own server for whoever is signed in, and writes it
// into the page (`<chat-visitor identity-token="…">`). This demo shop has one account, Kim
// Andersson, and a demo route of the chat server plays the shop's backend.

const ACCOUNT_KEY = 'nordlys-shop.customer';
const account = document.getElementById('account');

function showAccount(customer) {
  if (!account) return;
  account.setAttribute('aria-pressed', String(customer !== undefined));
  account.textContent = customer ? `${customer.name} · Sign out` : 'Sign in as Kim (demo)';
}

async function signInCustomer() {
  const res = await fetch('/api/demo/shop-identity', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ customerId: 'shop-1001' }),
  });
  if (!res.ok) return;
  const { token, customer } = await res.json();
  sessionStorage.setItem(ACCOUNT_KEY, JSON.stringify({ token, customer }));
  if (widget) widget.identityToken = token;
  showAccount(customer);
}

function signOutCustomer() {
  sessionStorage.removeItem(ACCOUNT_KEY);
  if (widget) widget.identityToken = '';
  showAccount(undefined);
}

account?.addEventListener('click', () => {
  if (account.getAttribute('aria-pressed') === 'true') signOutCustomer();
  else void signInCustomer();
});

try {
  const saved = JSON.parse(sessionStorage.getItem(ACCOUNT_KEY) ?? 'null');
  if (saved && typeof saved.token === 'string' && widget) {
    widget.identityToken = saved.token;
    showAccount(saved.customer);
  } else showAccount(undefined);
} catch {
  showAccount(undefined);
}
