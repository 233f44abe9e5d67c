/**
 * The plain-text transcript attached to a request created from a chat
 * (`CrmRequestInput.attachTranscript`): one line per message the customer saw, oldest first, with
 * its time (UTC) and author; internal notes and agent-only events are never part of it. Shared by
 * the reference server and the in-memory provider so both attach the same text.
 */
import { CRM_LIMITS } from './validate.js';

/** One message of a transcript as the formatter needs it. */
export interface TranscriptLine {
  author: string;
  text: string;
  at: number;
  /** Names of files sent with the message. */
  files?: readonly string[] | undefined;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-25 12:01` in UTC. */
function utc(at: number): string {
  const d = new Date(at);
  return `${String(d.getUTCFullYear())}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/**
 * Formats a transcript: a heading line (`Chat with Kim Andersson, 2026-11-25 12:00 UTC`), then
 * `[12:01] Kim Andersson: text` per message (continuation lines indented), files as
 * `[Files: a.pdf, b.png]`. Cut at {@link CRM_LIMITS.transcript} characters with a closing note.
 */
export function formatTranscript(customerName: string, startedAt: number, lines: readonly TranscriptLine[], max: number = CRM_LIMITS.transcript): string {
  const who = customerName.trim() === '' ? 'a visitor' : customerName.trim();
  const out: string[] = [`Chat with ${who}, ${utc(startedAt)} UTC`];
  for (const line of lines) {
    const files = line.files && line.files.length > 0 ? `[Files: ${line.files.join(', ')}]` : '';
    const body = [line.text.trim(), files].filter((x) => x !== '').join(' ');
    if (body === '') continue;
    out.push(`[${utc(line.at).slice(11)}] ${line.author.trim() || who}: ${body.replace(/\r?\n/g, '\n    ')}`);
  }
  const text = out.join('\n');
  if (text.length <= max) return text;
  const note = '\n… (transcript cut: too long)';
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`;
}
