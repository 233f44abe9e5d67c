/**
 * Attachments: the file types the server accepts, and the file-name rules shared by the server
 * (which stores the sanitised name) and the browser (which may show a name before uploading).
 *
 * The server decides a file's type from its bytes only (magic numbers; text by UTF-8 validity),
 * never from the uploader's `Content-Type` or file name. See docs/security.md.
 */
import { MAX_FILE_NAME } from './limits.js';

/** MIME types an attachment can have, with the file extensions that fit each. */
export const ATTACHMENT_TYPES = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/zip': ['zip'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
} as const satisfies Record<string, readonly string[]>;

export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** Raster image types: may be shown inline as thumbnails (`inlineUrl`). */
export const INLINE_IMAGE_TYPES: readonly AttachmentType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** True for the raster image types a client may show as a thumbnail. */
export function isInlineImageType(type: string): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(type);
}

/** The `accept` attribute value for a file input that offers only what the server accepts. */
export const ATTACHMENT_ACCEPT = Object.values(ATTACHMENT_TYPES)
  .flat()
  .map((ext) => `.${ext}`)
  .join(',');

/** Why an upload was refused (`error.reason` of the HTTP answer). */
/** What the server accepts (`GET /api/attachments/limits`). */
export interface AttachmentLimits {
  maxFileBytes: number;
  maxAttachmentsPerMessage: number;
  maxImagePixels: number;
  /** MIME types. */
  types: string[];
  /** For `<input type=file accept=…>`. */
  accept: string;
}

export type AttachmentRefusal = 'too_large' | 'type' | 'image_too_large' | 'empty' | 'name' | 'rate_limited';

/**
 * Characters removed from file names: C0 and C1 controls, DEL, and the bidirectional controls
 * (embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, marks U+200E, U+200F, U+061C)
 * that can make `invoice‮gpj.exe` look like `invoiceexe.jpg`.
 */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The lower-case extension of a name without the dot (`''` when none). */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  return name.slice(dot + 1).toLowerCase();
}

/**
 * Makes an uploaded file name safe to store and show (it is never used as a path):
 * Unicode NFC; only the part after the last `/` or `\`; control and bidi characters removed;
 * whitespace trimmed; at most {@link MAX_FILE_NAME} characters (code points), keeping the
 * extension when it has to be cut. An empty result becomes `file`.
 */
export function sanitizeFileName(raw: string, max = MAX_FILE_NAME): string {
  let name = raw.normalize('NFC');
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  if (cut >= 0) name = name.slice(cut + 1);
  name = name.replace(UNSAFE_NAME_CHARS, '').trim();
  if (name === '' || name === '.' || name === '..') name = 'file';
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const ext = fileExtension(name);
  const tail = ext !== '' && ext.length <= 16 ? `.${ext}` : '';
  const keep = Array.from(name.slice(0, name.length - tail.length)).slice(0, max - Array.from(tail).length);
  return `${keep.join('').trimEnd()}${tail}`;
}

/**
 * The name to store for a file of a detected `type`: when its extension does not fit the type
 * (PNG bytes named `invoice.pdf`, or `report.exe`), the right extension is appended, so the
 * downloaded file opens with the program its content needs. Text types are decided by the
 * extension and always fit.
 */
export function nameForType(name: string, type: AttachmentType, max = MAX_FILE_NAME): string {
  const fits: readonly string[] = ATTACHMENT_TYPES[type];
  const clean = sanitizeFileName(name, max);
  if (fits.includes(fileExtension(clean))) return clean;
  const ext = `.${fits[0] ?? 'bin'}`;
  return `${sanitizeFileName(name, max - ext.length)}${ext}`;
}

/**
 * A file size for people, the one rule of the whole product (file chips, file rows, documents,
 * limits and refusals): 1 kB = 1,024 bytes, so a file is never shown bigger than a limit it fits
 * in. `512 bytes`, `2.4 kB`, `48 kB`, `10 MB`, `2.3 MB` (in `locale`: `2,4 kB` in Swedish).
 */
export function formatBytes(bytes: number, locale = 'en'): string {
  const n = Math.max(0, bytes);
  if (n < 1024) return sizeFormat(locale, 'byte', 0).format(n);
  const [value, unit, digits] = n < 1024 * 1024 ? [n / 1024, 'kilobyte', n < 10 * 1024 ? 1 : 0] : [n / (1024 * 1024), 'megabyte', 1];
  return sizeFormat(locale, unit, digits).format(value);
}

/** Number formats of sizes, made once each (creating an Intl.NumberFormat is slow; rows render often). */
const sizeFormats = new Map<string, Intl.NumberFormat>();
function sizeFormat(locale: string, unit: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${unit}|${String(digits)}`;
  let format = sizeFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: digits });
    sizeFormats.set(key, format);
  }
  return format;
}

/** `10 MB`, `64 kB`, `512 bytes`: sizes in the server's (English) refusal messages. */
export function formatFileSize(n: number): string {
  return formatBytes(n, 'en');
}

/** The refusal message for a file over `maxBytes` (the server's and the client's pre-check). */
export const tooLargeMessage = (maxBytes: number): string => `The file is too large: at most ${formatFileSize(maxBytes)}.`;
