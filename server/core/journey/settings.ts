/**
 * Channel settings in storage (`channels.settings`, JSON; migration 9): read with the defaults
 * filled in, changed by a validated patch (each section given replaces that section; `texts`
 * each language given), and the public view of a channel in one language for the widget.
 */
import * as v from 'valibot';

import type { ChannelLanguage, ChannelSettings, ChannelSettingsPatch, PublicChannelView } from '../../../src/protocol/channel-settings.js';
import { CHANNEL_LANGUAGES, ChannelSettingsPatch as PatchSchema, CUSTOMER_TEXT_KEYS, customerText, settingsIssues, withDefaults } from '../../../src/protocol/channel-settings.js';
import type { PublicInvitation } from '../../../src/protocol/invitations.js';
import { publicInvitations } from '../../../src/protocol/invitations.js';
import type { SqlPort } from '../sql.js';
import { ProvisioningError } from '../provisioning/validate.js';
import { openState, upcomingIntervals } from './hours.js';

/** Parses stored JSON (a broken value reads as the defaults). */
export function parseStored(json: string | null | undefined): ChannelSettings {
  try {
    return withDefaults(JSON.parse(json ?? '{}'));
  } catch {
    return withDefaults({});
  }
}

/** A channel's settings, or undefined when there is no such channel (deleted ones included). */
export function readSettings(db: SqlPort, tenantId: string, channelId: string): ChannelSettings | undefined {
  const row = db.get<{ settings: string }>('SELECT settings FROM channels WHERE tenant_id = ? AND id = ?', [tenantId, channelId]);
  return row ? parseStored(row.settings) : undefined;
}

/** Checks a patch; refuses with every problem by path (`settings.hours.days.mon`). */
export function checkPatch(raw: unknown, prefix = 'settings'): ChannelSettingsPatch {
  const result = v.safeParse(PatchSchema, raw);
  if (!result.success) {
    const fields = settingsIssues(result.issues, prefix);
    const first = Object.entries(fields)[0];
    throw new ProvisioningError('invalid', first ? `${first[0]}: ${first[1]}` : `${prefix}: invalid`, fields);
  }
  return result.output;
}

/** The settings after a patch. */
export function applyPatch(current: ChannelSettings, patch: ChannelSettingsPatch): ChannelSettings {
  const given = patch.texts ?? {};
  const texts: ChannelSettings['texts'] = {};
  for (const lang of CHANNEL_LANGUAGES) {
    const t = lang in given ? given[lang] : current.texts[lang];
    // Empty texts are not kept: they fall back like missing ones.
    const kept = Object.fromEntries(Object.entries(t ?? {}).filter(([, value]) => typeof value === 'string' && value.trim() !== ''));
    if (Object.keys(kept).length > 0) texts[lang] = kept;
  }
  return withDefaults({ ...current, ...patch, texts });
}

export function writeSettings(db: SqlPort, tenantId: string, channelId: string, settings: ChannelSettings): void {
  db.run('UPDATE channels SET settings = ? WHERE tenant_id = ? AND id = ?', [JSON.stringify(settings), tenantId, channelId]);
}

/** The invitations the widget may act on: only while the channel is open and an agent is Present (server-enforced). */
function invitationsOf(s: ChannelSettings, language: ChannelLanguage, openAndStaffed: boolean): { invitations?: PublicInvitation[] } {
  const rules = publicInvitations(s.invitations, language, s.language, openAndStaffed);
  return rules.length > 0 ? { invitations: rules } : {};
}

/** A channel as the widget sees it in `lang` at `now`. */
export function publicChannelView(
  channel: { id: string; name: string; settings: ChannelSettings },
  lang: ChannelLanguage | undefined,
  available: boolean,
  now: number,
): PublicChannelView {
  const s = channel.settings;
  const language = lang ?? s.language;
  const texts: PublicChannelView['texts'] = {};
  for (const key of CUSTOMER_TEXT_KEYS) {
    const t = customerText(s, language, key);
    if (t !== undefined) texts[key] = t;
  }
  const state = openState(s.hours, now);
  return {
    id: channel.id,
    name: texts.name ?? channel.name,
    ...(texts.description !== undefined ? { description: texts.description } : {}),
    ...(texts.badge !== undefined ? { badge: texts.badge } : {}),
    language,
    texts,
    available,
    open: state.open,
    ...(state.opensAt !== undefined ? { opensAt: state.opensAt } : {}),
    ...(s.hours ? { hours: upcomingIntervals(s.hours, now), timeZone: s.hours.timeZone } : {}),
    look: s.look,
    preChat: s.preChat,
    offline: s.offline,
    postChat: s.postChat,
    ...(s.bot.enabled && s.bot.url !== '' ? { bot: true as const } : {}),
    ...invitationsOf(s, language, state.open && available),
  };
}

/**
 * The public channel list in `lang` (`GET /api/channels?tenant=&lang=`): the room's list (ids,
 * names, availability) with each channel's texts, opening state, look and forms.
 */
export function publicChannels(
  db: SqlPort,
  tenantId: string,
  base: readonly { id: string; name: string; available: boolean }[],
  lang: ChannelLanguage | undefined,
  now: number,
): PublicChannelView[] {
  const stored = new Map(
    db.all<{ id: string; settings: string }>('SELECT id, settings FROM channels WHERE tenant_id = ? AND deleted_at IS NULL', [tenantId]).map((r) => [r.id, r.settings]),
  );
  return base.map((c) => publicChannelView({ id: c.id, name: c.name, settings: parseStored(stored.get(c.id)) }, lang, c.available, now));
}
