/**
 * Matching a chat's customer against CRM contacts: accent-insensitive folding, token-based fuzzy
 * name similarity, and the ranking every provider uses (verified identity > linked earlier > same
 * e-mail > same phone > similar name). Pure code, shared by the browser library and the reference
 * server.
 */
import { normalizePhone } from './phone.js';
import type { CrmContactSummary, CrmCustomer, CrmMatch, CrmMatchReason } from './types.js';

/** A name similarity at or above this counts as "Similar name". */
export const NAME_THRESHOLD = 0.82;
/** Most matches a provider returns. */
export const MAX_MATCHES = 10;

const SPECIAL: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ð: 'd', þ: 'th', ł: 'l', đ: 'd', ı: 'i' };

/** Lower case without accents: `Åsa Øberg-Ærø` → `asa oberg-aero`. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßðþłđı]/g, (c) => SPECIAL[c] ?? c);
}

/** The folded words of a name (`"Kim  Andersson-Berg"` → `['kim', 'andersson', 'berg']`). */
export function nameTokens(name: string): string[] {
  return foldText(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '');
}

/** Jaro–Winkler similarity of two words, 0 … 1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aHit = new Array<boolean>(a.length).fill(false);
  const bHit = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bHit[j] || a[i] !== b[j]) continue;
      aHit[i] = true;
      bHit[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let k = 0;
  let halfTranspositions = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aHit[i]) continue;
    while (!bHit[k]) k++;
    if (a[i] !== b[k]) halfTranspositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - halfTranspositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Similarity of two words; an initial (`k`) counts as close to a word it starts (`kim`). */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 0.9;
  const s = jaroWinkler(a, b);
  return s >= 0.7 ? s : 0;
}

/**
 * How alike two names are, 0 … 1: words are paired greedily by their Jaro–Winkler similarity (word
 * order does not matter), and the paired similarity is weighed against the number of words of
 * both names, so `Kim Andersson` ~ `Andersson, Kim` = 1, `Kim Anderson` ≈ 0.99, `Kim` ~
 * `Kim Andersson` ≈ 0.67 (not similar enough alone).
 */
export function nameSimilarity(a: string, b: string): number {
  const x = nameTokens(a);
  const y = nameTokens(b);
  if (x.length === 0 || y.length === 0) return 0;
  const pairs: { i: number; j: number; s: number }[] = [];
  x.forEach((tx, i) => {
    y.forEach((ty, j) => {
      const s = tokenSimilarity(tx, ty);
      if (s > 0) pairs.push({ i, j, s });
    });
  });
  pairs.sort((p, q) => q.s - p.s);
  const usedX = new Set<number>();
  const usedY = new Set<number>();
  let sum = 0;
  for (const p of pairs) {
    if (usedX.has(p.i) || usedY.has(p.j)) continue;
    usedX.add(p.i);
    usedY.add(p.j);
    sum += p.s;
  }
  return (2 * sum) / (x.length + y.length);
}

/** E-mail as compared: trimmed and lower case; undefined when empty. */
export function emailKey(email: string | undefined | null): string | undefined {
  const key = email?.trim().toLowerCase() ?? '';
  return key === '' ? undefined : key;
}

/** Phone as compared (E.164); undefined when empty or not a number. */
export function phoneKey(phone: string | undefined | null): string | undefined {
  return phone ? (normalizePhone(phone) ?? undefined) : undefined;
}

const WEIGHT: Record<CrmMatchReason, number> = { verified: 3000, linked: 1000, email: 400, phone: 300, name: 100 };

/**
 * Scores one contact against a customer: the reasons that apply (strongest first) and a score, or
 * undefined when none applies. `linked`: the contact was linked to an earlier chat of the customer;
 * `verifiedLink`: to an earlier chat of the same verified customer (`customer.verified.externalId`).
 */
export function scoreContact(customer: CrmCustomer, contact: CrmContactSummary, linked = false, verifiedLink = false): { reasons: CrmMatchReason[]; score: number } | undefined {
  const reasons: CrmMatchReason[] = [];
  let score = 0;
  const verifiedEmail = emailKey(customer.verified?.email);
  if (customer.verified && (verifiedLink || (verifiedEmail !== undefined && verifiedEmail === emailKey(contact.email)))) {
    reasons.push('verified');
    score += WEIGHT.verified;
  }
  if (linked) {
    reasons.push('linked');
    score += WEIGHT.linked;
  }
  const email = emailKey(customer.email);
  if (email !== undefined && email === emailKey(contact.email)) {
    reasons.push('email');
    score += WEIGHT.email;
  }
  const phone = phoneKey(customer.phone);
  if (phone !== undefined && phone === phoneKey(contact.phone)) {
    reasons.push('phone');
    score += WEIGHT.phone;
  }
  const similarity = nameSimilarity(customer.name, `${contact.firstName} ${contact.lastName}`);
  if (similarity >= NAME_THRESHOLD) {
    reasons.push('name');
    score += WEIGHT.name * similarity;
  } else if (reasons.length > 0) {
    // A weaker name likeness still orders equally strong matches.
    score += 10 * similarity;
  }
  return reasons.length > 0 ? { reasons, score: Math.round(score * 100) / 100 } : undefined;
}

/** Scores candidates, drops non-matches, sorts best first and keeps at most {@link MAX_MATCHES}. */
export function rankMatches(customer: CrmCustomer, candidates: Iterable<{ contact: CrmContactSummary; linked?: boolean; verifiedLink?: boolean }>): CrmMatch[] {
  const out: CrmMatch[] = [];
  for (const c of candidates) {
    const scored = scoreContact(customer, c.contact, c.linked ?? false, c.verifiedLink ?? false);
    if (scored) out.push({ contact: c.contact, ...scored });
  }
  out.sort((a, b) => b.score - a.score || a.contact.lastName.localeCompare(b.contact.lastName) || a.contact.id.localeCompare(b.contact.id));
  return out.slice(0, MAX_MATCHES);
}

/** Whether a contact contains every word of a search query (name, e-mail, phone, title, company). */
export function contactMatchesQuery(contact: CrmContactSummary, query: string): boolean {
  const words = nameTokens(query);
  if (words.length === 0) return false;
  const hay = foldText(
    [contact.firstName, contact.lastName, contact.email ?? '', contact.title ?? '', contact.company?.name ?? ''].join(' '),
  );
  const digits = (contact.phone ?? '').replace(/\D/g, '');
  const queryPhone = phoneKey(query);
  if (queryPhone !== undefined && queryPhone === phoneKey(contact.phone)) return true;
  return words.every((w) => hay.includes(w) || (/^\d{3,}$/.test(w) && digits.includes(w)));
}
