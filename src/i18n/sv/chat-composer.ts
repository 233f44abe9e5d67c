/** Swedish strings of chat-composer. */
import { str } from '@lit/localize';

export const templates = {
  'chat-composer.too-long': 'Meddelandet är för långt.',
  'chat-composer.empty': 'Skriv ett meddelande först.',
  'chat-composer.error.offline': 'Inte ansluten än. Texten finns kvar; skicka igen när anslutningen är tillbaka.',
  'chat-composer.error.other': 'Meddelandet kunde inte skickas. Texten finns kvar; försök igen.',
  'chat-composer.label': 'Meddelande',
  'chat-composer.placeholder': 'Skriv ett svar…',
  'chat-composer.send': 'Skicka',
  'chat-composer.hint': 'Enter skickar, Skift+Enter ger ny rad',
  'chat-composer.counter.over': str`Över gränsen med ${0}`,
  'chat-composer.counter.left': str`Tecken kvar: ${0}`,
  'chat-composer.modes': 'Meddelandetyp',
  'chat-composer.mode.reply': 'Svar',
  'chat-composer.mode.note': 'Anteckning',
  'chat-composer.note-label': 'Intern anteckning',
  'chat-composer.note-placeholder': 'Skriv en intern anteckning — bara handläggare ser den…',
  'chat-composer.add-note': 'Lägg till anteckning',
  'chat-composer.note-hint': 'Bara handläggare ser anteckningar. Enter lägger till, Skift+Enter ger ny rad',
};
