/**
 * Text placed into HTML that a CRM or a mail client renders (a ticket's body, the transcript
 * e-mail): every character that means something in HTML becomes a numeric reference. One
 * function for the SuperOffice adapter and the server's transcript mail.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}
