// The chat language menu of the CRM pages (index.html, admin.html): one option per language the
// chat elements speak (CHAT_LOCALES), each named in its own language and marked with its `lang`,
// so the list never falls behind the library's catalogs.
/* global document */
import { CHAT_LOCALES } from '/dist/cdn/chat.js';

/** Fills `select` (empty in the page's HTML) with the chat's languages. */
export function fillLanguageMenu(select) {
  for (const code of CHAT_LOCALES) {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
    const option = document.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
    select.append(option);
  }
}
