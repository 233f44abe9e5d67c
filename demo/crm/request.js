// The sample CRM's request page (demo/request.html): see the comment there. A module file, not an
// inline script, so the page runs under the demo's strict Content Security Policy.
/* global document */
import { $, crmApi, date, el, facts, recordId, showError } from '/demo/crm/record.js';

const CATEGORY = { question: 'Question', order: 'Order', delivery: 'Delivery', return: 'Return', complaint: 'Complaint', technical: 'Technical problem', other: 'Other' };
const STATUS = { open: 'Open', 'in-progress': 'In progress', closed: 'Closed' };
const PRIORITY = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

async function main() {
  const id = recordId();
  const get = crmApi();
  if (!get) return;
  let request;
  try {
    ({ request } = await get(`/requests/${encodeURIComponent(id)}`));
  } catch (error) {
    showError(`The request could not be loaded: ${error.message}`);
    return;
  }
  const heading = `Request #${request.number}`;
  document.title = `${heading} · Nordlys CRM`;
  $('crumb').textContent = heading;
  $('name').textContent = `#${request.number} ${request.title}`;
  $('sub').textContent = [STATUS[request.status] ?? request.status, CATEGORY[request.category] ?? request.category, `${PRIORITY[request.priority] ?? request.priority} priority`, date(request.createdAt)].filter(Boolean).join(' · ');
  facts($('request-facts'), [
    ['Status', STATUS[request.status] ?? request.status],
    ['Category', CATEGORY[request.category] ?? request.category],
    ['Priority', PRIORITY[request.priority] ?? request.priority],
    ['Created', date(request.createdAt)],
    ['Request id', request.id],
  ]);
  if (request.contactId) {
    try {
      const { contact } = await get(`/contacts/${encodeURIComponent(request.contactId)}`);
      const link = el('a', `${contact.firstName} ${contact.lastName}`.trim());
      link.href = `/demo/contact.html?id=${encodeURIComponent(contact.id)}`;
      const dd = el('dd');
      dd.append(link);
      $('contact-facts').replaceChildren(el('dt', 'Contact'), dd, ...(contact.company ? [el('dt', 'Company'), el('dd', contact.company.name)] : []));
    } catch {
      $('contact-facts').replaceChildren(el('dt', 'Contact'), el('dd', 'The contact could not be loaded.', 'muted'));
    }
  } else {
    $('contact-facts').replaceChildren(el('dt', 'Contact'), el('dd', 'None: the request is filed with the chat only.', 'muted'));
  }
  $('description').textContent = request.description || 'No description.';
  $('description').classList.toggle('muted', !request.description);
  if (request.transcript) $('transcript').textContent = request.transcript;
  else {
    $('transcript').textContent = request.hasTranscript ? 'You may not read this chat.' : 'No transcript was attached.';
    $('transcript').classList.add('muted');
  }
}

void main();
