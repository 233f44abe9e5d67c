// The sample CRM's contact page (demo/contact.html): see the comment there. A module file, not an
// inline script, so the page runs under the demo's strict Content Security Policy.
/* global document */
import { $, crmApi, date, el, facts, recordId, showError } from '/demo/crm/record.js';

function money(amount, currency) {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function list(target, items, empty, render) {
  target.replaceChildren(...(items.length === 0 ? [el('li', empty, 'muted')] : items.map((item) => {
    const li = el('li');
    li.append(...render(item));
    return li;
  })));
}

async function main() {
  const id = recordId();
  const get = crmApi();
  if (!get) return;
  const path = `/contacts/${encodeURIComponent(id)}`;
  let contact;
  try {
    ({ contact } = await get(path));
  } catch (error) {
    showError(`The contact could not be loaded: ${error.message}`);
    return;
  }
  const name = `${contact.firstName} ${contact.lastName}`.trim();
  document.title = `${name} · Nordlys CRM`;
  $('crumb').textContent = name;
  $('name').textContent = name;
  $('sub').textContent = [contact.title, contact.company?.name, contact.address?.city].filter(Boolean).join(' · ');
  const a = contact.address;
  facts($('contact-facts'), [
    ['E-mail', contact.email],
    ['Phone', contact.phone],
    ['Address', a ? `${a.street}, ${[a.postalCode, a.city].filter(Boolean).join(' ')}` : ''],
    ['Contact id', contact.id],
  ]);
  if (contact.company) {
    try {
      const { company } = await get(`/companies/${encodeURIComponent(contact.company.id)}`);
      facts($('company-facts'), [
        ['Name', company.name],
        ['Org. no.', company.orgNo],
        ['Phone', company.phone],
        ['Domain', company.domain],
      ]);
    } catch {
      facts($('company-facts'), [['Name', contact.company.name]]);
    }
  } else {
    $('company-facts').replaceChildren(el('dt', 'Name'), el('dd', 'No company', 'muted'));
  }
  const [{ requests }, { sales }, { activities }] = await Promise.all([get(`${path}/requests`), get(`${path}/sales`), get(`${path}/activities`)]);
  list($('requests'), requests, 'No requests.', (r) => [el('span', `#${r.number} ${r.title} · `), el('span', r.status, 'tag'), el('span', ` · ${date(r.createdAt)}`)]);
  list($('sales'), sales, 'No sales.', (s) => [el('span', `${s.title} · ${money(s.amount, s.currency)} · `), el('span', s.stage, 'tag'), el('span', ` · ${date(s.date)}`)]);
  list($('activities'), activities, 'No activities.', (x) => [
    el('span', x.type, 'tag'),
    el('span', ` ${x.title}${x.text ? ` \u2014 ${x.text}` : ''} · ${date(x.at)}${x.ownerName ? ` · ${x.ownerName}` : ''}`),
  ]);
}

void main();
