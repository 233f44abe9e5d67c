/**
 * The reply library of the agent console's Insert menu: quick replies, reply templates and FAQ
 * links, as `GET /api/replies` returns them, and {@link resolveVariables} for inserting one.
 *
 * Records are validated leniently (unknown fields are dropped) like every server → client
 * record. The server validates what clients send (server/core/replies.ts).
 */
import * as v from 'valibot';

import { Count, Id, Time } from './model.js';

export const ReplyKind = v.picklist(['quick-reply', 'template', 'faq']);
/** `quick-reply`: short text, personal by default; `template`: a longer reply; `faq`: a link to a published FAQ page. */
export type ReplyKind = v.InferOutput<typeof ReplyKind>;

export const ReplyLanguage = v.picklist(['en', 'sv']);
export type ReplyLanguage = v.InferOutput<typeof ReplyLanguage>;

/** One reply as the signed-in agent sees it (their own favourite and usage included). */
export const Reply = v.object({
  id: Id,
  kind: ReplyKind,
  /** Shown to agents only, never to customers. */
  title: v.string(),
  /** Inserted into the composer (variables resolved by {@link resolveVariables}). */
  text: v.string(),
  /** Typed after `/` in the composer; unique per owner. */
  shortcut: v.nullable(v.string()),
  /** Folder name; `''` = no folder. */
  folder: v.string(),
  language: ReplyLanguage,
  /** Only offered in these channels; `null` = every channel. */
  channelIds: v.nullable(v.array(Id)),
  /** `null` = shared with every agent of the tenant; else the agent whose personal reply it is. */
  ownerId: v.nullable(Id),
  /** FAQs: absolute link to the published FAQ page; `null` for the other kinds. */
  url: v.nullable(v.string()),
  /** Marked as a favourite by me. */
  favourite: v.boolean(),
  /** When I last inserted it (server time), `null` = never. */
  lastUsedAt: v.nullable(Time),
  /** How often I inserted it. */
  useCount: Count,
  createdAt: Time,
  updatedAt: Time,
});
export type Reply = v.InferOutput<typeof Reply>;

/** What `POST /api/replies` accepts (`PATCH` takes any subset; `null` clears an optional field). */
export interface ReplyInput {
  kind: ReplyKind;
  title: string;
  text: string;
  shortcut?: string | null;
  folder?: string;
  /** Default `en`. */
  language?: ReplyLanguage;
  channelIds?: string[] | null;
  /** FAQs only (required there): `https://…`, `http://…` or a path on the chat server (`/demo/faq/…`). */
  url?: string | null;
  /** Shared with the whole tenant (needs `manageQuickReplies`); default false = personal. */
  shared?: boolean;
}

/** The variables a reply may contain, for an "insert variable" menu. */
export const REPLY_VARIABLES = ['customer.name', 'agent.name', 'channel.name'] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];

/** Values for {@link resolveVariables}; a value left undefined keeps its placeholder. */
export interface ReplyContext {
  customer?: { name?: string | undefined } | undefined;
  agent?: { name?: string | undefined } | undefined;
  channel?: { name?: string | undefined } | undefined;
}

const VARIABLE = /\{\{\s*(customer\.name|agent\.name|channel\.name)\s*\}\}/g;

/**
 * Replaces `{{customer.name}}`, `{{agent.name}}` and `{{channel.name}}` (spaces inside the braces
 * allowed) with the values of `ctx`, as plain text: one pass, so a value that itself looks like a
 * placeholder or like markup (`<img onerror=…>`, `{{agent.name}}`) stays exactly as it is and is
 * never expanded again. The result is text for a text field or a Lit text binding, never HTML.
 * A variable whose value is undefined keeps its placeholder (the agent sees it and fills it in);
 * unknown `{{…}}` are left alone.
 */
export function resolveVariables(text: string, ctx: ReplyContext): string {
  return text.replace(VARIABLE, (whole, name: string) => {
    const value = name === 'customer.name' ? ctx.customer?.name : name === 'agent.name' ? ctx.agent?.name : ctx.channel?.name;
    return value ?? whole;
  });
}
