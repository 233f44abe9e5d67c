/**
 * A small phone number normaliser: what people type (`070-123 45 67`, `+46 (0)70 123 45 67`,
 * `0047 912 34 567`) → E.164 (`+46701234567`), so two ways of writing one number compare equal.
 *
 * It knows the Nordic numbering plans (country code, trunk prefix, length of the national number);
 * numbers of other countries are accepted in international form (`+` or `00`) when they have
 * 8–15 digits. Not a full numbering-plan validator: it tells numbers apart, it does not prove that
 * one exists. Pure code, shared by the browser library and the reference server.
 */

import type { parsePhoneNumberFromString } from 'libphonenumber-js/min';

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


let phoneLib: { parsePhoneNumberFromString: typeof parsePhoneNumberFromString } | undefined;
let phoneLibLoading: Promise<void> | undefined;

/**
 * Loads the numbering plans of every country (libphonenumber-js with its "min" metadata, a chunk
 * of its own of about 25 kB, fetched the first time a number is shown) so that
 * {@link formatPhone} can group numbers. Resolves once they are there; never rejects (a number
 * that cannot be grouped is shown as it is).
 */
export function loadPhoneFormatting(): Promise<void> {
  phoneLibLoading ??= import('libphonenumber-js/min').then(
    (lib) => {
      phoneLib = lib;
    },
    () => undefined,
  );
  return phoneLibLoading;
}

/** True once {@link loadPhoneFormatting} has finished: {@link formatPhone} groups numbers. */
export function phoneFormattingLoaded(): boolean {
  return phoneLib !== undefined;
}

/**
 * A phone number for people to read, in international form grouped as it is written in its
 * country (`+46701234567` → `+46 70 123 45 67`, `+442079460958` → `+44 20 7946 0958`), by
 * libphonenumber-js. Until {@link loadPhoneFormatting} has finished, and for text that is not a
 * possible E.164 number, the input is returned as it is. For display only: compare and store the
 * E.164 form.
 */
export function formatPhone(e164: string): string {
  if (!phoneLib || !/^\+[1-9]\d{7,14}$/.test(e164)) return e164;
  const number = phoneLib.parsePhoneNumberFromString(e164);
  return number?.isPossible() ? number.formatInternational() : e164;
}
