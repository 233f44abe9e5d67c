/**
 * Demo content of the reply library: shared quick replies, reply templates and FAQ links of the
 * demo company (Nordlys Outdoor AB) in English and Swedish, plus a personal quick reply for two
 * agents. FAQ links point to the static pages the demo serves (`demo/faq/<slug>.html`), stored
 * as paths and made absolute by the server when listed.
 *
 * Seeded once per tenant (marked in `meta`), so replies an administrator deleted do not return
 * on the next start.
 */
import type { ReplyKind, ReplyLanguage } from '../../src/protocol/index.js';
import type { SqlPort } from './sql.js';

interface SeedReply {
  id: string;
  kind: ReplyKind;
  language: ReplyLanguage;
  folder: string;
  title: string;
  text: string;
  shortcut?: string;
  url?: string;
  channelIds?: string[];
  ownerId?: string;
}

const quick = (id: string, language: ReplyLanguage, folder: string, shortcut: string, title: string, text: string): SeedReply => ({
  id,
  kind: 'quick-reply',
  language,
  folder,
  shortcut,
  title,
  text,
});

const template = (id: string, language: ReplyLanguage, folder: string, title: string, text: string, channelIds?: string[]): SeedReply => ({
  id,
  kind: 'template',
  language,
  folder,
  title,
  text,
  ...(channelIds ? { channelIds } : {}),
});

const faq = (id: string, language: ReplyLanguage, folder: string, slug: string, title: string, text: string): SeedReply => ({
  id,
  kind: 'faq',
  language,
  folder,
  title,
  text,
  url: `/demo/faq/${slug}.html`,
});

export const DEMO_REPLIES: readonly SeedReply[] = [
  // ---- quick replies, English ----
  quick('r_qr_hello', 'en', 'General', 'hello', 'Greeting', 'Hi {{customer.name}}! My name is {{agent.name}} – how can I help you today?'),
  quick('r_qr_moment', 'en', 'General', 'moment', 'One moment', 'Thanks! Give me a moment while I look into this for you.'),
  quick('r_qr_else', 'en', 'General', 'else', 'Anything else?', 'Is there anything else I can help you with today?'),
  quick('r_qr_bye', 'en', 'General', 'bye', 'Goodbye', 'Thank you for chatting with Nordlys Outdoor, {{customer.name}}. Have a great day out there!'),
  quick(
    'r_qr_order_no',
    'en',
    'Orders',
    'order-no',
    'Ask for the order number',
    'Could you give me your order number? You will find it in your order confirmation e-mail; it starts with NO-.',
  ),
  quick(
    'r_qr_shipped',
    'en',
    'Orders',
    'shipped',
    'Order has shipped',
    'Your order has left our warehouse and is on its way. You will get a tracking link by e-mail and text message.',
  ),
  quick(
    'r_qr_label',
    'en',
    'Returns',
    'label',
    'Return label sent',
    'I have sent a prepaid return label to your e-mail address. Print it, stick it on the parcel and drop it off at any service point.',
  ),
  quick('r_qr_stock', 'en', 'Products', 'stock', 'Checking stock', 'Let me check the stock in our warehouse and in our stores – one moment.'),
  // ---- quick replies, Swedish ----
  quick('r_qr_hej', 'sv', 'Allmänt', 'hej', 'Hälsning', 'Hej {{customer.name}}! Jag heter {{agent.name}} – vad kan jag hjälpa dig med i dag?'),
  quick('r_qr_ogonblick', 'sv', 'Allmänt', 'ogonblick', 'Ett ögonblick', 'Tack! Ge mig ett ögonblick medan jag tittar på det här åt dig.'),
  quick('r_qr_nagot_mer', 'sv', 'Allmänt', 'nagot-mer', 'Något mer?', 'Finns det något mer jag kan hjälpa dig med i dag?'),
  quick('r_qr_hejda', 'sv', 'Allmänt', 'hejda', 'Avslutning', 'Tack för att du chattade med Nordlys Outdoor, {{customer.name}}. Ha en fin dag ute i naturen!'),
  quick(
    'r_qr_ordernr',
    'sv',
    'Beställningar',
    'ordernr',
    'Be om ordernummer',
    'Kan du ge mig ditt ordernummer? Du hittar det i orderbekräftelsen som du fick via e-post; det börjar med NO-.',
  ),
  quick(
    'r_qr_skickad',
    'sv',
    'Beställningar',
    'skickad',
    'Ordern har skickats',
    'Din order har lämnat vårt lager och är på väg. Du får en spårningslänk via e-post och sms.',
  ),
  quick(
    'r_qr_retur',
    'sv',
    'Returer',
    'retur',
    'Returetikett skickad',
    'Jag har skickat en förbetald returetikett till din e-postadress. Skriv ut den, fäst den på paketet och lämna det hos valfritt ombud.',
  ),
  quick('r_qr_lager', 'sv', 'Produkter', 'lager', 'Kollar lagersaldo', 'Jag kollar lagersaldot på vårt centrallager och i butikerna – ett ögonblick.'),

  // ---- templates, English ----
  template(
    'r_tp_delayed',
    'en',
    'Orders',
    'Delayed delivery',
    'I am sorry that your order is taking longer than expected, {{customer.name}}. The carrier reports a delay in your area, and the parcel should reach you within two working days.\n\nAs an apology we have refunded the shipping cost to your card. You can follow the parcel with the tracking link in your shipping confirmation.',
  ),
  template(
    'r_tp_address',
    'en',
    'Orders',
    'Change of delivery address',
    'I can change the delivery address as long as the order has not left our warehouse (orders placed before 14:00 on a working day ship the same day).\n\nPlease give me the new address: street and number, postcode and town, and a phone number the carrier can reach.',
  ),
  template(
    'r_tp_return_steps',
    'en',
    'Returns',
    'How to return an item',
    'Returning an item is free within 60 days:\n1. Log in to "My orders" and choose "Return".\n2. Print the return label we e-mail you.\n3. Pack the item, preferably in the original packaging, and drop it off at any service point.\n\nWe refund you within 5 working days after the parcel reaches us.',
    ['support'],
  ),
  template(
    'r_tp_refund',
    'en',
    'Returns',
    'Refund timeline',
    'Your return has reached our warehouse and is being checked. The refund goes back to the card or account you paid with within 5 working days; your bank may take 1–3 more days to show it.\n\nYou will get an e-mail as soon as the refund has been made.',
    ['support'],
  ),
  template(
    'r_tp_size',
    'en',
    'Products',
    'Jacket size advice',
    'Our shell jackets have an active fit: if you want room for a thick fleece or a down jacket underneath, choose one size up.\n\nMeasure your chest at the widest point and compare it with the size guide on the product page. If it does not fit, you can exchange it for free within 60 days.',
    ['sales'],
  ),
  template(
    'r_tp_warranty',
    'en',
    'Products',
    'Warranty claim',
    'I am sorry the product has let you down. All Nordlys products have a 3-year warranty against material and manufacturing faults.\n\nPlease send me a photo of the fault (you can attach it here in the chat) and your order number, and I will register the claim. We repair the item if possible; otherwise you get a new one or a refund.',
    ['support'],
  ),
  // ---- templates, Swedish ----
  template(
    'r_tp_forsenad',
    'sv',
    'Beställningar',
    'Försenad leverans',
    'Jag beklagar att din order dröjer, {{customer.name}}. Transportören rapporterar en försening i ditt område och paketet bör vara framme inom två arbetsdagar.\n\nSom en ursäkt har vi återbetalat fraktkostnaden till ditt kort. Du kan följa paketet via spårningslänken i leveransbekräftelsen.',
  ),
  template(
    'r_tp_adress',
    'sv',
    'Beställningar',
    'Ändra leveransadress',
    'Jag kan ändra leveransadressen så länge ordern inte har lämnat vårt lager (order som läggs före 14.00 en vardag skickas samma dag).\n\nSkicka den nya adressen: gata och nummer, postnummer och ort, samt ett telefonnummer som transportören kan nå.',
  ),
  template(
    'r_tp_retur_steg',
    'sv',
    'Returer',
    'Så returnerar du en vara',
    'Det är gratis att returnera inom 60 dagar:\n1. Logga in på "Mina ordrar" och välj "Returnera".\n2. Skriv ut returetiketten som vi skickar via e-post.\n3. Packa varan, gärna i originalförpackningen, och lämna paketet hos valfritt ombud.\n\nVi återbetalar inom 5 arbetsdagar efter att paketet har kommit fram till oss.',
    ['support'],
  ),
  template(
    'r_tp_aterbetalning',
    'sv',
    'Returer',
    'När kommer återbetalningen?',
    'Din retur har kommit fram till vårt lager och kontrolleras nu. Pengarna går tillbaka till kortet eller kontot du betalade med inom 5 arbetsdagar; det kan ta ytterligare 1–3 dagar innan de syns hos din bank.\n\nDu får ett e-postmeddelande så snart återbetalningen är gjord.',
    ['support'],
  ),
  template(
    'r_tp_storlek',
    'sv',
    'Produkter',
    'Storleksråd för jackor',
    'Våra skaljackor har en aktiv passform: vill du ha plats för en tjock fleece eller dunjacka under, välj en storlek större.\n\nMät bröstet där det är som bredast och jämför med storleksguiden på produktsidan. Passar den inte kan du byta kostnadsfritt inom 60 dagar.',
    ['sales'],
  ),
  template(
    'r_tp_garanti',
    'sv',
    'Produkter',
    'Garantiärende',
    'Tråkigt att produkten inte håller måttet. Alla Nordlys-produkter har 3 års garanti mot material- och tillverkningsfel.\n\nSkicka gärna en bild på felet (du kan bifoga den här i chatten) och ditt ordernummer, så registrerar jag ärendet. Vi lagar varan om det går, annars får du en ny eller pengarna tillbaka.',
    ['support'],
  ),

  // ---- FAQs, English ----
  faq('r_faq_delivery', 'en', 'Orders', 'delivery-times', 'How long does delivery take?', 'Delivery within Sweden takes 1–3 working days, to the other Nordic countries 2–5.'),
  faq('r_faq_track', 'en', 'Orders', 'track-order', 'How do I track my order?', 'Follow your parcel with the tracking link in the shipping confirmation or under "My orders".'),
  faq('r_faq_change', 'en', 'Orders', 'change-order', 'Can I change or cancel my order?', 'Orders can be changed or cancelled until they leave our warehouse.'),
  faq('r_faq_returns', 'en', 'Returns', 'returns', 'How do I return an item?', 'Returns are free within 60 days; start one under "My orders".'),
  faq('r_faq_size', 'en', 'Products', 'size-guide', 'Which size should I choose?', 'Our size guide for jackets, trousers and boots, with how to measure.'),
  faq('r_faq_waterproof', 'en', 'Products', 'waterproofing', 'How do I care for and waterproof my jacket?', 'Washing and re-proofing shell jackets and tents, step by step.'),
  // ---- FAQs, Swedish ----
  faq('r_faq_leverans', 'sv', 'Beställningar', 'leveranstider', 'Hur lång är leveranstiden?', 'Leverans inom Sverige tar 1–3 arbetsdagar, till övriga Norden 2–5.'),
  faq('r_faq_spara', 'sv', 'Beställningar', 'spara-order', 'Hur spårar jag min order?', 'Följ paketet via spårningslänken i leveransbekräftelsen eller under "Mina ordrar".'),
  faq('r_faq_andra', 'sv', 'Beställningar', 'andra-order', 'Kan jag ändra eller avbryta min order?', 'Order kan ändras eller avbrytas tills de har lämnat vårt lager.'),
  faq('r_faq_returer', 'sv', 'Returer', 'returer', 'Hur returnerar jag en vara?', 'Retur är gratis inom 60 dagar; starta den under "Mina ordrar".'),
  faq('r_faq_storlek', 'sv', 'Produkter', 'storleksguide', 'Vilken storlek ska jag välja?', 'Vår storleksguide för jackor, byxor och kängor, och hur du mäter.'),
  faq('r_faq_impregnera', 'sv', 'Produkter', 'impregnering', 'Hur sköter och impregnerar jag min jacka?', 'Tvätt och impregnering av skaljackor och tält, steg för steg.'),

  // ---- personal quick replies ----
  {
    ...quick('r_qr_anna_callback', 'en', 'Mine', 'callback', 'Offer a call back', 'If you prefer, I can call you back – which number and time suit you best?'),
    ownerId: 'anna',
  },
  {
    ...quick('r_qr_erik_hours', 'sv', 'Mina', 'oppettider', 'Butikens öppettider', 'Vår butik i Stockholm har öppet mån–fre 10–19, lör 10–17 och sön 11–16.'),
    ownerId: 'erik',
  },
];

/**
 * Seeds the demo reply library into `tenantId` once (marked in `meta` as `replies_seeded:<tenant>`).
 * Returns true when it seeded now.
 */
export function seedDemoReplies(db: SqlPort, tenantId: string, now: number): boolean {
  const key = `replies_seeded:${tenantId}`;
  return db.transaction(() => {
    if (db.get('SELECT value FROM meta WHERE key = ?', [key])) return false;
    if (!db.get('SELECT id FROM tenants WHERE id = ?', [tenantId])) return false;
    for (const r of DEMO_REPLIES) {
      db.run(
        `INSERT OR IGNORE INTO replies (tenant_id, id, kind, owner_id, title, text, shortcut, folder, language, channel_ids, url, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
        [
          tenantId,
          r.id,
          r.kind,
          r.ownerId ?? null,
          r.title,
          r.text,
          r.shortcut ?? null,
          r.folder,
          r.language,
          r.channelIds ? JSON.stringify(r.channelIds) : null,
          r.url ?? null,
          now,
          now,
        ],
      );
    }
    db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [key, String(now)]);
    return true;
  });
}
