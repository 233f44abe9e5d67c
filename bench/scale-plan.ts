/**
 * `npm run scale:plan -- --agents N --customers M --rate R [options]`: how many Durable Objects
 * the Cloudflare host needs for a load, the busiest object's load, and its headroom against
 * Cloudflare's documented per-object limits. Every object must stay under half of each limit
 * (the headroom for bursts, reconnect storms and a slower night in a data center).
 *
 * The model (docs/scaling.md § 7) is the issue's target topology: one object per conversation,
 * one per directory shard (a tenant's directory, split by channel groups when one would pass half
 * a limit), one registry per installation. It prints the same figures for today's topology (one
 * object per tenant), to show where that one stops.
 *
 *   --agents N       agents online at once (each holds one directory socket)
 *   --customers M    customers in a chat at once (one conversation each)
 *   --rate R         messages per minute in one conversation, both sides together
 *
 * Every other input is an assumption with a default (`--help` lists them); the plan prints the
 * values it used. Pure arithmetic: no network, no randomness.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** Cloudflare's documented per-object limits, with where each is written. */
export const DOCUMENTED_LIMITS = {
  requestsPerSecond: {
    value: 1000,
    text: 'soft limit of 1,000 requests per second per object',
    source: 'https://developers.cloudflare.com/durable-objects/platform/limits/ ("How much work can a single Durable Object do?")',
  },
  cpuShare: {
    value: 1,
    text: 'an object is single-threaded: at most one CPU-second per second',
    source: 'https://developers.cloudflare.com/durable-objects/reference/faq/ ("Each individual Object is inherently single-threaded")',
  },
  cpuMsPerRequest: {
    value: 30_000,
    text: 'CPU per request 30 seconds (default)',
    source: 'https://developers.cloudflare.com/durable-objects/platform/limits/',
  },
  memoryBytes: {
    value: 128e6,
    text: 'memory 128 MB (per isolate)',
    source: 'https://developers.cloudflare.com/workers/platform/limits/ ("Memory")',
  },
  storageBytes: {
    value: 10e9,
    text: 'storage per SQLite-backed object 10 GB',
    source: 'https://developers.cloudflare.com/durable-objects/platform/limits/',
  },
} as const;

/** The share of each documented limit an object may use. */
export const HEADROOM = 0.5;

export interface PlanInput {
  agents: number;
  customers: number;
  /** Messages per minute in one conversation (customer and agent together). */
  rate: number;
  /** Average length of a conversation, minutes (sets how many chats start and end per second). */
  chatMinutes: number;
  /** Sockets per customer (tabs). */
  customerSockets: number;
  /** Supervisors listening in, per conversation. */
  listenersPerChat: number;
  /** Incoming frames that accompany one message: typing start/stop and read receipts. */
  framesPerMessage: number;
  /** Requests a chat's lifecycle costs its directory: start, assignment (`next`/`accept`), end. */
  lifecycleRequestsPerChat: number;
  /** Transfers per chat (each: offer and answer). */
  transfersPerChat: number;
  /** Wait warnings a conversation reports to its directory, per chat. */
  warningsPerChat: number;
  /** Reference-CRM reads per chat (contact panel; the CRM lives with the directory, § 2). */
  crmReadsPerChat: number;
  /** Presence changes per agent per hour. */
  presenceChangesPerAgentHour: number;
  /** HTTP reads per agent per minute against the directory (snapshot, stats, replies). */
  agentReadsPerMinute: number;
  /** Board frames per agent connection per second at most (aggregates coalesced). */
  coalesceHz: number;
  /** CPU per incoming request or frame, ms (validation, one SQLite transaction, the answer). */
  cpuMsPerRequest: number;
  /** CPU per outgoing frame, ms (serialised once, written per socket). */
  cpuMsPerFrameOut: number;
  /** Memory per socket of a conversation (customer, agent, listener) and its state, KiB. */
  kibPerChatSocket: number;
  /** Memory per agent socket of a directory (board, presence) and its state, KiB. */
  kibPerAgentSocket: number;
  /** Memory of an object before its sockets (code, caches), MiB. */
  baseMemoryMib: number;
  /** Stored bytes per message (row and indexes). */
  bytesPerMessage: number;
  /** Stored bytes per chat in its directory (session row, board log, audit). */
  bytesPerChatInDirectory: number;
  /** Hours a directory keeps ended chats (statistics); transcripts stay in conversation objects. */
  directoryRetentionHours: number;
}

export const DEFAULTS: Omit<PlanInput, 'agents' | 'customers' | 'rate'> = {
  chatMinutes: 10,
  customerSockets: 1.2,
  listenersPerChat: 0.02,
  framesPerMessage: 3,
  lifecycleRequestsPerChat: 3,
  transfersPerChat: 0.05,
  warningsPerChat: 0.5,
  crmReadsPerChat: 3,
  presenceChangesPerAgentHour: 6,
  agentReadsPerMinute: 1,
  coalesceHz: 1,
  cpuMsPerRequest: 1,
  cpuMsPerFrameOut: 0.02,
  kibPerChatSocket: 256,
  kibPerAgentSocket: 768,
  baseMemoryMib: 16,
  bytesPerMessage: 400,
  bytesPerChatInDirectory: 2000,
  directoryRetentionHours: 24,
};

/** One object's load against the documented limits (shares are of the limit, 0–1+). */
export interface ObjectLoad {
  requestsPerSecond: number;
  framesOutPerSecond: number;
  cpuShare: number;
  memoryBytes: number;
  storageBytes: number;
  sockets: number;
}

export interface ObjectClass {
  name: string;
  count: number;
  /** What one object of the class owns. */
  owns: string;
  busiest: ObjectLoad;
  /** The busiest object's share of each documented limit. */
  shares: Record<'requests' | 'cpu' | 'cpuPerRequest' | 'memory' | 'storage', number>;
  /** Every share at most {@link HEADROOM}. */
  fits: boolean;
}

export interface Plan {
  input: PlanInput;
  chatStartsPerSecond: number;
  messagesPerSecond: number;
  sockets: number;
  classes: ObjectClass[];
  /** Today's topology: the whole tenant in one object. */
  perTenantObject: ObjectClass;
  fits: boolean;
}

const MIB = 1024 * 1024;

function sharesOf(load: ObjectLoad, input: PlanInput): ObjectClass['shares'] {
  return {
    requests: load.requestsPerSecond / DOCUMENTED_LIMITS.requestsPerSecond.value,
    cpu: load.cpuShare / DOCUMENTED_LIMITS.cpuShare.value,
    cpuPerRequest: input.cpuMsPerRequest / DOCUMENTED_LIMITS.cpuMsPerRequest.value,
    memory: load.memoryBytes / DOCUMENTED_LIMITS.memoryBytes.value,
    storage: load.storageBytes / DOCUMENTED_LIMITS.storageBytes.value,
  };
}

function objectClass(input: PlanInput, name: string, count: number, owns: string, busiest: ObjectLoad): ObjectClass {
  const shares = sharesOf(busiest, input);
  return { name, count, owns, busiest, shares, fits: Object.values(shares).every((s) => s <= HEADROOM) };
}

function memory(input: PlanInput, chatSockets: number, agentSockets = 0): number {
  return input.baseMemoryMib * MIB + (chatSockets * input.kibPerChatSocket + agentSockets * input.kibPerAgentSocket) * 1024;
}

/** One conversation object: its chat's messages, typing, reads, participants and listeners. */
function conversationLoad(input: PlanInput): ObjectLoad {
  const messagesPerSecond = input.rate / 60;
  const chatSeconds = input.chatMinutes * 60;
  const sockets = input.customerSockets + 1 + input.listenersPerChat;
  // From the directory over RPC: open, assign, end, and who may read it (revalidate) per chat.
  const directoryCalls = (4 + input.transfersPerChat * 2) / chatSeconds;
  const requestsPerSecond = messagesPerSecond * (1 + input.framesPerMessage) + directoryCalls;
  // Every message and typing/read frame goes to every other socket of the conversation.
  const framesOutPerSecond = messagesPerSecond * (1 + input.framesPerMessage) * (sockets - 1) + messagesPerSecond;
  return {
    requestsPerSecond,
    framesOutPerSecond,
    cpuShare: (requestsPerSecond * input.cpuMsPerRequest + framesOutPerSecond * input.cpuMsPerFrameOut) / 1000,
    memoryBytes: memory(input, sockets),
    storageBytes: input.rate * input.chatMinutes * input.bytesPerMessage,
    sockets,
  };
}

/** One directory shard of `shards` (chats and agents spread evenly; a shard is a group of channels). */
function directoryLoad(input: PlanInput, shards: number): ObjectLoad {
  const agents = input.agents / shards;
  const chats = input.customers / shards;
  const startsPerSecond = chats / (input.chatMinutes * 60);
  const perChat = input.lifecycleRequestsPerChat + input.transfersPerChat * 2 + input.warningsPerChat + input.crmReadsPerChat;
  const requestsPerSecond = startsPerSecond * perChat + agents * (input.presenceChangesPerAgentHour / 3600 + input.agentReadsPerMinute / 60);
  // Channel streams: coalesced to at most `coalesceHz` frames per agent; agent streams: the
  // state changes of one's own chats (queued → assigned → ended, transfers).
  const channelEventsPerSecond = startsPerSecond * input.lifecycleRequestsPerChat;
  const framesOutPerSecond = agents * Math.min(input.coalesceHz, channelEventsPerSecond) + startsPerSecond * (input.lifecycleRequestsPerChat + input.transfersPerChat * 2);
  return {
    requestsPerSecond,
    framesOutPerSecond,
    cpuShare: (requestsPerSecond * input.cpuMsPerRequest + framesOutPerSecond * input.cpuMsPerFrameOut) / 1000,
    memoryBytes: memory(input, 0, agents),
    storageBytes: startsPerSecond * 3600 * input.directoryRetentionHours * input.bytesPerChatInDirectory,
    sockets: agents,
  };
}

/** Today's topology: one object runs the tenant's whole room (every socket, every frame). */
function perTenantLoad(input: PlanInput): ObjectLoad {
  const c = conversationLoad(input);
  const d = directoryLoad(input, 1);
  // Messages of the chats of one retention period, besides the directory's rows.
  const messages = c.storageBytes * (input.customers / (input.chatMinutes * 60)) * 3600 * input.directoryRetentionHours;
  const chatSockets = c.sockets * input.customers;
  const sockets = chatSockets + d.sockets;
  return {
    requestsPerSecond: c.requestsPerSecond * input.customers + d.requestsPerSecond,
    framesOutPerSecond: c.framesOutPerSecond * input.customers + d.framesOutPerSecond,
    cpuShare: c.cpuShare * input.customers + d.cpuShare,
    memoryBytes: memory(input, chatSockets, d.sockets),
    storageBytes: d.storageBytes + messages,
    sockets,
  };
}

/** Whether the busiest of `shards` directory shards stays under half of every limit. */
export function directoryFits(input: PlanInput, shards: number): boolean {
  return Object.values(sharesOf(directoryLoad(input, shards), input)).every((s) => s <= HEADROOM);
}

/**
 * The smallest number of directory shards whose busiest shard stays under half of every limit;
 * at most one shard per agent (a shard without agents serves nobody), so a load that does not
 * fit even then gets that many and is reported as not fitting.
 */
export function directoryShards(input: PlanInput): number {
  const most = Math.max(1, Math.floor(input.agents));
  if (directoryFits(input, 1)) return 1;
  let high = 1;
  while (high < most && !directoryFits(input, high)) high = Math.min(most, high * 2);
  if (!directoryFits(input, high)) return most;
  let low = Math.max(1, Math.floor(high / 2));
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (directoryFits(input, mid)) high = mid;
    else low = mid;
  }
  return high;
}

export function plan(given: Pick<PlanInput, 'agents' | 'customers' | 'rate'> & Partial<PlanInput>): Plan {
  const input: PlanInput = { ...DEFAULTS, ...given };
  for (const [name, value] of Object.entries(input)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`--${kebab(name)} must be a number ≥ 0, not ${String(value)}`);
  }
  if (input.agents < 1 || input.customers < 1 || input.rate <= 0 || input.chatMinutes <= 0) {
    throw new RangeError('--agents and --customers must be at least 1, --rate and --chat-minutes above 0');
  }
  const conversation = objectClass(input, 'conversation', Math.ceil(input.customers), 'one chat: messages, seq, typing, read state, participants, listeners', conversationLoad(input));
  const shards = directoryShards(input);
  const directory = objectClass(input, 'directory', shards, `a group of channels: queue, board, presence, assignment, transfers; about ${fmt(input.agents / shards)} agents and ${fmt(input.customers / shards)} chats`, directoryLoad(input, shards));
  // The registry answers provisioning and the requests no tenant owns: not on the chat path.
  const registry = objectClass(input, 'registry', 1, 'the tenant and API-key index of the installation', {
    requestsPerSecond: 1,
    framesOutPerSecond: 0,
    cpuShare: input.cpuMsPerRequest / 1000,
    memoryBytes: memory(input, 0),
    storageBytes: 1e6,
    sockets: 0,
  });
  const classes = [conversation, directory, registry];
  return {
    input,
    chatStartsPerSecond: input.customers / (input.chatMinutes * 60),
    messagesPerSecond: (input.customers * input.rate) / 60,
    sockets: input.agents + input.customers * (conversation.busiest.sockets - input.listenersPerChat) + input.customers * input.listenersPerChat,
    classes,
    perTenantObject: objectClass(input, 'tenant (today)', 1, 'the whole tenant', perTenantLoad(input)),
    fits: classes.every((c) => c.fits),
  };
}

// ---- output ---------------------------------------------------------------------------------

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  if (n >= 0.01) return n.toFixed(2);
  return n === 0 ? '0' : n.toExponential(1);
}

function bytes(n: number): string {
  if (n >= 1e9) return `${fmt(n / 1e9)} GB`;
  if (n >= 1e6) return `${fmt(n / 1e6)} MB`;
  return `${fmt(n / 1e3)} kB`;
}

const pct = (share: number) => `${share * 100 >= 10 ? Math.round(share * 100).toLocaleString('en-US') : (share * 100).toFixed(1)} %`;

function row(c: ObjectClass): string[] {
  const b = c.busiest;
  return [
    c.name,
    Math.round(c.count).toLocaleString('en-US'),
    `${fmt(b.requestsPerSecond)}/s (${pct(c.shares.requests)})`,
    pct(c.shares.cpu),
    `${bytes(b.memoryBytes)} (${pct(c.shares.memory)})`,
    `${bytes(b.storageBytes)} (${pct(c.shares.storage)})`,
    fmt(b.sockets),
    c.fits ? 'yes' : 'NO',
  ];
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function formatPlan(p: Plan): string {
  const i = p.input;
  const head = ['object', 'count', 'busiest: requests', 'CPU', 'memory', 'storage', 'sockets', `all ≤ ${String(HEADROOM * 100)} %`];
  const out = [
    `Load: ${fmt(i.agents)} agents, ${fmt(i.customers)} customers in chats, ${fmt(i.rate)} messages/min per chat`,
    `  = ${fmt(p.messagesPerSecond)} messages/s, ${fmt(p.chatStartsPerSecond)} chat starts/s, about ${fmt(p.sockets)} sockets`,
    '',
    'One object per conversation and per directory shard (the issue\'s target topology):',
    '',
    table(head, p.classes.map(row)),
    '',
    ...p.classes.map((c) => `  ${c.name}: ${c.owns}`),
    '',
    "Today's topology, one object per tenant (the whole load in one tenant):",
    '',
    table(head, [row(p.perTenantObject)]),
    '',
    `Documented limits (each object must stay under ${String(HEADROOM * 100)} % of each):`,
    ...Object.values(DOCUMENTED_LIMITS).map((l) => `  - ${l.text}: ${l.source}`),
    '',
    'Assumptions (change with --<name> <value>):',
    `  ${Object.entries(DEFAULTS)
      .map(([k]) => `${kebab(k)} ${fmt(i[k as keyof PlanInput])}`)
      .join(', ')}`,
    '',
    p.fits ? `Every object stays under ${String(HEADROOM * 100)} % of every documented limit.` : `Some object passes ${String(HEADROOM * 100)} % of a documented limit (NO above).`,
  ];
  return out.join('\n');
}

// ---- command line ---------------------------------------------------------------------------

function main(argv: string[]): number {
  const options: Record<string, { type: 'string' } | { type: 'boolean' }> = { agents: { type: 'string' }, customers: { type: 'string' }, rate: { type: 'string' }, help: { type: 'boolean' }, json: { type: 'boolean' } };
  for (const k of Object.keys(DEFAULTS)) options[kebab(k)] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options }).values;
  } catch (error) {
    console.error(`scale:plan: ${(error as Error).message}`);
    return 2;
  }
  if (values.help === true || values.agents === undefined || values.customers === undefined || values.rate === undefined) {
    console.error('usage: npm run scale:plan -- --agents N --customers M --rate R [--json] [--<assumption> <value>]');
    console.error(`assumptions and defaults: ${Object.entries(DEFAULTS)
      .map(([k, v]) => `--${kebab(k)} ${String(v)}`)
      .join(' ')}`);
    return values.help === true ? 0 : 2;
  }
  const given: Record<string, number> = {};
  for (const k of ['agents', 'customers', 'rate', ...Object.keys(DEFAULTS)]) {
    const v = values[kebab(k)];
    if (typeof v === 'string') given[k] = Number(v);
  }
  try {
    const p = plan(given as Pick<PlanInput, 'agents' | 'customers' | 'rate'> & Partial<PlanInput>);
    console.log(values.json === true ? JSON.stringify(p, null, 2) : formatPlan(p));
    return p.fits ? 0 : 1;
  } catch (error) {
    console.error(`scale:plan: ${(error as Error).message}`);
    return 2;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
