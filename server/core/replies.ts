/**
 * The reply library of a tenant (quick replies, reply templates, FAQ links) with per-agent
 * favourites and usage, and its HTTP API as a host-independent handler
 * ({@link handleRepliesRequest}: method, path, query, JSON body, principal → status and JSON).
 *
 * Visibility: an agent sees the shared replies (`owner_id IS NULL`) and their own personal ones;
 * other agents' personal replies do not exist for them (404). Creating, editing or deleting a
 * shared reply needs `manageQuickReplies` (403); one's own personal replies always. Validation
 * errors name the field: `{error: {code: 'invalid', message, fields: {title: '…'}}}` (400).
 */
import type { Reply, ReplyKind, ReplyLanguage } from '../../src/protocol/index.js';
import {
  MAX_CHANNEL_IDS,
  MAX_QUICK_REPLY_TITLE,
  MAX_REPLY_FOLDER,
  MAX_REPLY_SHORTCUT,
  MAX_REPLY_TEXT,
  MAX_REPLY_URL,
} from '../../src/protocol/limits.js';
import type { Principal } from './auth.js';
import { randomId } from './auth.js';
import type { SqlPort } from './sql.js';

export interface ReplyRow {
  tenant_id: string;
  id: string;
  kind: ReplyKind;
  /** NULL = shared with the tenant. */
  owner_id: string | null;
  title: string;
  text: string;
  shortcut: string | null;
  folder: string;
  language: ReplyLanguage;
  /** JSON array of channel ids, NULL = every channel. */
  channel_ids: string | null;
  /** FAQs: absolute URL or a path on the chat server (`/demo/faq/…`). */
  url: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A reply row with the viewing agent's favourite and usage. */
type ViewRow = ReplyRow & { favourite: number; last_used_at: number | null; use_count: number | null };

const KINDS: readonly ReplyKind[] = ['quick-reply', 'template', 'faq'];
const LANGUAGES: readonly ReplyLanguage[] = ['en', 'sv'];
const SHORTCUT = new RegExp(`^[a-z0-9-]{1,${String(MAX_REPLY_SHORTCUT)}}$`);
const ID = /^[\w.:-]{1,64}$/;
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f]/;

export class ReplyStore {
  constructor(
    readonly db: SqlPort,
    readonly tenantId: string,
  ) {}

  private static readonly VIEW = `SELECT r.*, CASE WHEN f.reply_id IS NULL THEN 0 ELSE 1 END AS favourite, u.last_used_at, u.use_count
    FROM replies r
    LEFT JOIN reply_favourites f ON f.tenant_id = r.tenant_id AND f.reply_id = r.id AND f.agent_id = ?
    LEFT JOIN reply_usage u ON u.tenant_id = r.tenant_id AND u.reply_id = r.id AND u.agent_id = ?`;

  /** Shared replies and the agent's own, with the agent's favourite and usage. */
  visible(agentId: string): ViewRow[] {
    return this.db.all<ViewRow>(`${ReplyStore.VIEW} WHERE r.tenant_id = ? AND (r.owner_id IS NULL OR r.owner_id = ?) ORDER BY r.folder, r.title, r.id`, [
      agentId,
      agentId,
      this.tenantId,
      agentId,
    ]);
  }

  /** One reply as the agent sees it, or undefined when it does not exist or is someone else's personal one. */
  visibleOne(agentId: string, id: string): ViewRow | undefined {
    return this.db.get<ViewRow>(`${ReplyStore.VIEW} WHERE r.tenant_id = ? AND r.id = ? AND (r.owner_id IS NULL OR r.owner_id = ?)`, [
      agentId,
      agentId,
      this.tenantId,
      id,
      agentId,
    ]);
  }

  /** True when another reply of the same owner (NULL = the shared ones) has this shortcut. */
  shortcutTaken(ownerId: string | null, shortcut: string, exceptId?: string): boolean {
    return (
      this.db.get(
        'SELECT 1 AS x FROM replies WHERE tenant_id = ? AND COALESCE(owner_id, \'\') = ? AND shortcut = ? AND id <> ?',
        [this.tenantId, ownerId ?? '', shortcut, exceptId ?? ''],
      ) !== undefined
    );
  }

  insert(row: Omit<ReplyRow, 'tenant_id'>): void {
    this.db.run(
      `INSERT INTO replies (tenant_id, id, kind, owner_id, title, text, shortcut, folder, language, channel_ids, url, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        this.tenantId,
        row.id,
        row.kind,
        row.owner_id,
        row.title,
        row.text,
        row.shortcut,
        row.folder,
        row.language,
        row.channel_ids,
        row.url,
        row.created_by,
        row.created_at,
        row.updated_at,
      ],
    );
  }

  update(row: ReplyRow): void {
    this.db.run(
      `UPDATE replies SET kind = ?, owner_id = ?, title = ?, text = ?, shortcut = ?, folder = ?, language = ?, channel_ids = ?, url = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ?`,
      [row.kind, row.owner_id, row.title, row.text, row.shortcut, row.folder, row.language, row.channel_ids, row.url, row.updated_at, this.tenantId, row.id],
    );
  }

  /** Deletes a reply; its favourites and usage go with it (foreign keys, ON DELETE CASCADE). */
  delete(id: string): void {
    this.db.run('DELETE FROM replies WHERE tenant_id = ? AND id = ?', [this.tenantId, id]);
  }

  setFavourite(agentId: string, id: string, on: boolean, at: number): void {
    if (on) {
      this.db.run('INSERT OR IGNORE INTO reply_favourites (tenant_id, agent_id, reply_id, created_at) VALUES (?, ?, ?, ?)', [this.tenantId, agentId, id, at]);
    } else {
      this.db.run('DELETE FROM reply_favourites WHERE tenant_id = ? AND agent_id = ? AND reply_id = ?', [this.tenantId, agentId, id]);
    }
  }

  markUsed(agentId: string, id: string, at: number): void {
    this.db.run(
      `INSERT INTO reply_usage (tenant_id, agent_id, reply_id, last_used_at, use_count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (tenant_id, agent_id, reply_id) DO UPDATE SET last_used_at = excluded.last_used_at, use_count = use_count + 1`,
      [this.tenantId, agentId, id, at],
    );
  }

  /** May this agent manage shared replies? Undefined when the agent does not exist. */
  managesShared(agentId: string): boolean | undefined {
    const row = this.db.get<{ manage_quick_replies: number }>('SELECT manage_quick_replies FROM agents WHERE tenant_id = ? AND id = ?', [this.tenantId, agentId]);
    return row ? row.manage_quick_replies === 1 : undefined;
  }

  channelIds(): Set<string> {
    return new Set(this.db.all<{ id: string }>('SELECT id FROM channels WHERE tenant_id = ?', [this.tenantId]).map((r) => r.id));
  }
}

// ---- validation ---------------------------------------------------------------------------

/** The editable fields after validation (`undefined` = not given in a PATCH). */
interface ReplyFields {
  kind?: ReplyKind;
  title?: string;
  text?: string;
  shortcut?: string | null;
  folder?: string;
  language?: ReplyLanguage;
  channelIds?: string[] | null;
  url?: string | null;
  shared?: boolean;
}

const FIELD_NAMES = new Set(['kind', 'title', 'text', 'shortcut', 'folder', 'language', 'channelIds', 'url', 'shared']);

/** An FAQ link: `http(s)://…` without credentials, or a path on the chat server (`/…`). Undefined when not acceptable. */
export function normalizeFaqUrl(raw: string): string | undefined {
  if (raw.length > MAX_REPLY_URL || CONTROL_OR_SPACE.test(raw)) return undefined;
  if (raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\')) {
    try {
      const u = new URL(raw, 'http://chat.invalid');
      return u.host === 'chat.invalid' ? `${u.pathname}${u.search}${u.hash}` : undefined;
    } catch {
      return undefined;
    }
  }
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username !== '' || u.password !== '' || u.hostname === '') return undefined;
  return u.href;
}

function oneLine(value: unknown, field: string, max: number, required: boolean, fields: Record<string, string>): string | undefined {
  if (typeof value !== 'string') {
    fields[field] = required ? `Enter a ${field}.` : 'Must be text.';
    return undefined;
  }
  const text = value.trim();
  if (required && text === '') fields[field] = `Enter a ${field}.`;
  else if (CONTROL_ONE_LINE.test(text)) fields[field] = 'Use a single line without control characters.';
  else if (text.length > max) fields[field] = `Use at most ${String(max)} characters.`;
  else return text;
  return undefined;
}

/**
 * Checks a create (`partial` false: kind, title, text required) or edit body. Returns the
 * clean values, or a message per field in the words shown next to that field.
 */
export function validateReplyInput(
  body: Record<string, unknown>,
  partial: boolean,
  channels: ReadonlySet<string>,
): { ok: true; value: ReplyFields } | { ok: false; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const value: ReplyFields = {};
  for (const key of Object.keys(body)) if (!FIELD_NAMES.has(key)) fields[key] = 'Unknown field.';
  const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k) && body[k] !== undefined;

  if (has('kind') || !partial) {
    if (KINDS.includes(body.kind as ReplyKind)) value.kind = body.kind as ReplyKind;
    else fields.kind = 'Choose quick reply, template or FAQ.';
  }
  if (has('title') || !partial) {
    const title = oneLine(body.title, 'title', MAX_QUICK_REPLY_TITLE, true, fields);
    if (title !== undefined) value.title = title;
  }
  if (has('text') || !partial) {
    if (typeof body.text !== 'string' || body.text.trim() === '') fields.text = 'Enter the text.';
    else {
      const text = body.text.replace(/\r\n?/g, '\n').trim();
      if (CONTROL_TEXT.test(text)) fields.text = 'Remove control characters (line breaks and tabs are fine).';
      else if (text.length > MAX_REPLY_TEXT) fields.text = `Use at most ${String(MAX_REPLY_TEXT)} characters.`;
      else value.text = text;
    }
  }
  if (has('shortcut')) {
    if (body.shortcut === null || body.shortcut === '') value.shortcut = null;
    else if (typeof body.shortcut === 'string' && SHORTCUT.test(body.shortcut)) value.shortcut = body.shortcut;
    else fields.shortcut = `Use 1–${String(MAX_REPLY_SHORTCUT)} lower-case letters, digits or hyphens.`;
  }
  if (has('folder')) {
    if (body.folder === null) value.folder = '';
    else {
      const folder = oneLine(body.folder, 'folder', MAX_REPLY_FOLDER, false, fields);
      if (folder !== undefined) value.folder = folder;
    }
  }
  if (has('language')) {
    if (LANGUAGES.includes(body.language as ReplyLanguage)) value.language = body.language as ReplyLanguage;
    else fields.language = 'Choose English (en) or Swedish (sv).';
  }
  if (has('channelIds')) {
    const ids = body.channelIds;
    if (ids === null) value.channelIds = null;
    else if (!Array.isArray(ids) || ids.length > MAX_CHANNEL_IDS || !ids.every((id) => typeof id === 'string' && ID.test(id))) {
      fields.channelIds = 'Give a list of channel ids (or null for every channel).';
    } else {
      const unknown = (ids as string[]).filter((id) => !channels.has(id));
      if (unknown.length > 0) fields.channelIds = `Unknown channel: ${unknown.join(', ')}.`;
      else value.channelIds = ids.length === 0 ? null : [...new Set(ids as string[])];
    }
  }
  if (has('url')) {
    if (body.url === null || body.url === '') value.url = null;
    else {
      const url = typeof body.url === 'string' ? normalizeFaqUrl(body.url.trim()) : undefined;
      if (url === undefined) fields.url = 'Enter a web address starting with https:// (or a path on the chat server starting with /).';
      else value.url = url;
    }
  }
  if (has('shared')) {
    if (typeof body.shared === 'boolean') value.shared = body.shared;
    else fields.shared = 'Must be true or false.';
  }
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, value };
}

// ---- HTTP handler -------------------------------------------------------------------------

export interface ApiResult {
  status: number;
  body: unknown;
}

export interface RepliesRequest {
  method: string;
  /** Path after `/api/replies` (`''`, `/<id>`, `/<id>/favourite`, `/<id>/used`). */
  path: string;
  query: URLSearchParams;
  /** The JSON body (POST and PATCH). */
  body: Record<string, unknown> | undefined;
  principal: Principal;
  now: number;
  /** Makes a stored FAQ path (`/demo/faq/…`) absolute for clients. */
  resolveUrl: (url: string) => string;
}

const error = (status: number, code: string, message: string, fields?: Record<string, string>): ApiResult => ({
  status,
  body: { error: { code, message, ...(fields ? { fields } : {}) } },
});

const invalid = (fields: Record<string, string>): ApiResult =>
  error(400, 'invalid', `Check the reply: ${Object.entries(fields).map(([k, m]) => `${k}: ${m}`).join(' ')}`, fields);

function toReply(row: ViewRow, resolveUrl: (url: string) => string): Reply {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    text: row.text,
    shortcut: row.shortcut,
    folder: row.folder,
    language: row.language,
    channelIds: row.channel_ids === null ? null : (JSON.parse(row.channel_ids) as string[]),
    ownerId: row.owner_id,
    url: row.url === null ? null : resolveUrl(row.url),
    favourite: row.favourite === 1,
    lastUsedAt: row.last_used_at,
    useCount: row.use_count ?? 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The parts of a row that depend on kind: FAQs need a link, the others have none. */
function kindRules(row: Pick<ReplyRow, 'kind' | 'url'>, urlGiven: boolean): Record<string, string> {
  if (row.kind === 'faq' && row.url === null) return { url: 'Enter the link to the published FAQ page.' };
  if (row.kind !== 'faq' && row.url !== null && urlGiven) return { url: 'Only FAQs have a link.' };
  return {};
}

/**
 * `GET /api/replies?channelId=&q=&kind=&language=`, `POST /api/replies`,
 * `PATCH|DELETE /api/replies/<id>`, `POST /api/replies/<id>/favourite {on}`,
 * `POST /api/replies/<id>/used`. Agents only.
 */
export function handleRepliesRequest(store: ReplyStore, req: RepliesRequest): ApiResult {
  const p = req.principal;
  if (p.role !== 'agent') return error(403, 'forbidden', 'only agents have a reply library');
  const manages = store.managesShared(p.subjectId);
  if (manages === undefined) return error(403, 'forbidden', 'unknown agent');
  const me = p.subjectId;
  const view = (id: string): ApiResult => {
    const row = store.visibleOne(me, id);
    return row ? { status: 200, body: { reply: toReply(row, req.resolveUrl) } } : error(404, 'not_found', 'no such reply');
  };
  const parts = req.path.split('/').filter(Boolean);
  const [id, action] = parts;
  if (parts.length > 2 || (id !== undefined && !ID.test(id))) return error(404, 'not_found', 'no such route');
  const route = `${req.method} ${id === undefined ? '' : ':id'}${action === undefined ? '' : `/${action}`}`;

  switch (route) {
    case 'GET ': {
      const kind = req.query.get('kind');
      const language = req.query.get('language');
      const channelId = req.query.get('channelId');
      const q = (req.query.get('q') ?? '').trim().toLowerCase();
      const fields: Record<string, string> = {};
      if (kind && !KINDS.includes(kind as ReplyKind)) fields.kind = 'Choose quick-reply, template or faq.';
      if (language && !LANGUAGES.includes(language as ReplyLanguage)) fields.language = 'Choose en or sv.';
      if (q.length > 100) fields.q = 'Use at most 100 characters.';
      if (Object.keys(fields).length > 0) return invalid(fields);
      const replies = store
        .visible(me)
        .filter((r) => !kind || r.kind === kind)
        .filter((r) => !language || r.language === language)
        .filter((r) => !channelId || r.channel_ids === null || (JSON.parse(r.channel_ids) as string[]).includes(channelId))
        .filter((r) => q === '' || [r.title, r.text, r.shortcut ?? '', r.folder].some((s) => s.toLowerCase().includes(q)))
        .map((r) => toReply(r, req.resolveUrl));
      return { status: 200, body: { replies } };
    }
    case 'POST ': {
      const checked = validateReplyInput(req.body ?? {}, false, store.channelIds());
      if (!checked.ok) return invalid(checked.fields);
      const v = checked.value;
      if (v.shared === true && !manages) return error(403, 'forbidden', 'You may not create shared replies (manage quick replies permission needed).');
      const row: ReplyRow = {
        tenant_id: store.tenantId,
        id: `r_${randomId(9)}`,
        kind: v.kind ?? 'quick-reply',
        owner_id: v.shared === true ? null : me,
        title: v.title ?? '',
        text: v.text ?? '',
        shortcut: v.shortcut ?? null,
        folder: v.folder ?? '',
        language: v.language ?? 'en',
        channel_ids: v.channelIds ? JSON.stringify(v.channelIds) : null,
        url: v.url ?? null,
        created_by: me,
        created_at: req.now,
        updated_at: req.now,
      };
      const rules = { ...kindRules(row, v.url !== undefined), ...(row.shortcut !== null && store.shortcutTaken(row.owner_id, row.shortcut) ? { shortcut: 'Another reply already uses this shortcut.' } : {}) };
      if (Object.keys(rules).length > 0) return invalid(rules);
      store.insert(row);
      return { ...view(row.id), status: 201 };
    }
    case 'PATCH :id': {
      const current = store.visibleOne(me, id ?? '');
      if (!current) return error(404, 'not_found', 'no such reply');
      const checked = validateReplyInput(req.body ?? {}, true, store.channelIds());
      if (!checked.ok) return invalid(checked.fields);
      const v = checked.value;
      const shared = v.shared ?? current.owner_id === null;
      if ((current.owner_id === null || shared) && !manages) {
        return error(403, 'forbidden', 'You may not change shared replies (manage quick replies permission needed).');
      }
      const next: ReplyRow = {
        ...current,
        kind: v.kind ?? current.kind,
        owner_id: shared ? null : current.owner_id ?? me,
        title: v.title ?? current.title,
        text: v.text ?? current.text,
        shortcut: v.shortcut === undefined ? current.shortcut : v.shortcut,
        folder: v.folder ?? current.folder,
        language: v.language ?? current.language,
        channel_ids: v.channelIds === undefined ? current.channel_ids : v.channelIds === null ? null : JSON.stringify(v.channelIds),
        url: v.url === undefined ? current.url : v.url,
        updated_at: req.now,
      };
      // A reply that stops being an FAQ drops its link.
      if (next.kind !== 'faq' && v.url === undefined) next.url = null;
      const rules = {
        ...kindRules(next, v.url !== undefined),
        ...(next.shortcut !== null && store.shortcutTaken(next.owner_id, next.shortcut, next.id) ? { shortcut: 'Another reply already uses this shortcut.' } : {}),
      };
      if (Object.keys(rules).length > 0) return invalid(rules);
      store.update(next);
      return view(next.id);
    }
    case 'DELETE :id': {
      const current = store.visibleOne(me, id ?? '');
      if (!current) return error(404, 'not_found', 'no such reply');
      if (current.owner_id === null && !manages) return error(403, 'forbidden', 'You may not delete shared replies (manage quick replies permission needed).');
      store.delete(current.id);
      return { status: 200, body: { ok: true } };
    }
    case 'POST :id/favourite': {
      const current = store.visibleOne(me, id ?? '');
      if (!current) return error(404, 'not_found', 'no such reply');
      const on = req.body?.on;
      if (typeof on !== 'boolean') return invalid({ on: 'Must be true or false.' });
      store.setFavourite(me, current.id, on, req.now);
      return view(current.id);
    }
    case 'POST :id/used': {
      const current = store.visibleOne(me, id ?? '');
      if (!current) return error(404, 'not_found', 'no such reply');
      store.markUsed(me, current.id, req.now);
      return view(current.id);
    }
    default:
      return error(404, 'not_found', `no route ${req.method} /api/replies${req.path}`);
  }
}
