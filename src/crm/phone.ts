/**
 * A small phone number normaliser: what people type (`070-123 45 67`, `+46 (0)70 123 45 67`,
 * `0047 912 34 567`) → E.164 (`+46701234567`), so two ways of writing one number compare equal.
 *
 * It knows the Nordic numbering plans (country code, trunk prefix, length of the national number);
 * numbers of other countries are accepted in international form (`+` or `00`) when they have
 * 8–15 digits. Not a full numbering-plan validator: it tells numbers apart, it does not prove that
 * one exists. Pure code, shared by the browser library and the reference server.
 */

export type PhoneRegion = 'SE' | 'NO' | 'DK' | 'FI' | 'IS';

interface Plan {
  cc: string;
  /** Trunk prefix dialled before national numbers inside the country ('' when none). */
  trunk: string;
  /** Length range of the national significant number (without trunk prefix). */
  min: number;
  max: number;
}

const PLANS: Record<PhoneRegion, Plan> = {
  SE: { cc: '46', trunk: '0', min: 7, max: 9 },
  NO: { cc: '47', trunk: '', min: 8, max: 8 },
  DK: { cc: '45', trunk: '', min: 8, max: 8 },
  FI: { cc: '358', trunk: '0', min: 5, max: 12 },
  IS: { cc: '354', trunk: '', min: 7, max: 7 },
};

/** Longest country codes first, so `358` wins over a hypothetical `35`. */
const BY_CC = Object.values(PLANS).sort((a, b) => b.cc.length - a.cc.length);

const MAX_INPUT = 64;

/**
 * The number in E.164 form (`+` and 8–15 digits), or null when the text is not a phone number.
 * National numbers (`070…`) are read in `defaultRegion` (Sweden unless given).
 */
export function normalizePhone(input: string, defaultRegion: PhoneRegion = 'SE'): string | null {
  if (input.length > MAX_INPUT) return null;
  // Extensions ("ext. 12", "x12", "#12") are not part of the number.
  let text = input.trim().replace(/\s*(?:ext\.?|x|#)\s*\d{1,6}$/i, '');
  // "+46 (0)70 …": the trunk prefix in brackets is dropped.
  text = text.replace(/\(\s*0\s*\)/g, '');
  // Only digits, one leading plus and the usual separators.
  if (!/^\+?[\d\s\u00a0\u2009\u202f().\-/]+$/.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  let international = text.startsWith('+');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (international) {
    if (digits.startsWith('0')) return null;
    const plan = BY_CC.find((p) => digits.startsWith(p.cc));
    if (!plan) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
    let national = digits.slice(plan.cc.length);
    // "+46 070 …": a trunk prefix written after the country code by mistake.
    if (plan.trunk && national.startsWith(plan.trunk) && national.length > plan.min) national = national.slice(plan.trunk.length);
    return national.length >= plan.min && national.length <= plan.max ? `+${plan.cc}${national}` : null;
  }
  const plan = PLANS[defaultRegion];
  let national = digits;
  if (plan.trunk && national.startsWith(plan.trunk)) national = national.slice(plan.trunk.length);
  if (national.startsWith('0')) return null;
  return national.length >= plan.min && national.length <= plan.max ? `+${plan.cc}${national}` : null;
}

/** Swedish area codes of one and two digits (all others have three or four). */
const SE_SHORT_AREAS = new Set(['8', '11', '13', '16', '18', '19', '21', '23', '26', '31', '33', '35', '36', '40', '42', '44', '46', '54', '60', '63', '90']);

/** Groups digits from the left by the sizes given; the last group takes what is left. */
function groups(digits: string, sizes: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= digits.length) break;
    out.push(digits.slice(i, i + size));
    i += size;
  }
  if (i < digits.length) out.push(digits.slice(i));
  return out.join(' ');
}

/** A Swedish subscriber number (after the area code) as written there: `123 45 67`, `12 34 56`, `123 45`. */
function swedishSubscriber(rest: string): string {
  switch (rest.length) {
    case 8:
      return groups(rest, [3, 3, 2]);
    case 7:
      return groups(rest, [3, 2, 2]);
    case 6:
      return groups(rest, [2, 2, 2]);
    case 5:
      return groups(rest, [3, 2]);
    default:
      return rest;
  }
}

/**
 * A phone number for people to read: an E.164 number of a Nordic country grouped as it is written
 * there (`+46701234567` → `+46 70 123 45 67`, `+4791234567` → `+47 912 34 567`,
 * `+4533123456` → `+45 33 12 34 56`, `+358401234567` → `+358 40 123 4567`). Numbers of other
 * countries, and text that is not an E.164 number, are returned as they are.
 * For display only: compare and store the E.164 form.
 */
export function formatPhone(e164: string): string {
  if (!/^\+[1-9]\d{7,14}$/.test(e164)) return e164;
  const digits = e164.slice(1);
  const plan = BY_CC.find((p) => digits.startsWith(p.cc));
  // Other countries: grouping them wrongly would be worse than not grouping them.
  if (!plan) return e164;
  const national = digits.slice(plan.cc.length);
  if (national.length < plan.min || national.length > plan.max) return e164;
  let body: string;
  switch (plan.cc) {
    case '46': {
      const area = national.startsWith('7') ? national.slice(0, 2) : national.startsWith('8') ? '8' : SE_SHORT_AREAS.has(national.slice(0, 2)) ? national.slice(0, 2) : national.slice(0, 3);
      body = `${area} ${swedishSubscriber(national.slice(area.length))}`;
      break;
    }
    case '47':
      body = /^[49]/.test(national) ? groups(national, [3, 2, 3]) : groups(national, [2, 2, 2, 2]);
      break;
    case '45':
      body = groups(national, [2, 2, 2, 2]);
      break;
    case '358': {
      const area = /^(4\d|50)/.test(national) ? national.slice(0, 2) : national.startsWith('9') ? '9' : national.slice(0, 2);
      const rest = national.slice(area.length);
      body = `${area} ${rest.length > 4 ? groups(rest, [rest.length - 4, 4]) : rest}`;
      break;
    }
    default:
      body = groups(national, [3, 4]);
  }
  return `+${plan.cc} ${body}`;
}
