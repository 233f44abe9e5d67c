/**
 * `crm-chat-server admin …`: the operator's command line over a data folder, running the same
 * provisioning code as the HTTP API (server/core/provisioning/). Its first use is to bootstrap:
 * create a tenant and the first API key, which a CRM's backend then uses for everything else.
 *
 *   crm-chat-server admin <command> [--data DIR]      (bin.ts; in a checkout: npm run -s crm-chat -- admin …)
 *
 * Run `… admin help` for the commands. Exit status: 0 done, 1 refused (the message says why and
 * names the field), 2 wrong usage. A new key is printed alone on stdout (so a script can capture
 * it); everything else a person needs to know goes to stderr.
 *
 * Changes made here while a server runs on the same folder reach the database at once; sign-in,
 * tickets and API keys are checked there on every use. Consoles that are open learn of changed
 * permissions at their next connection (the API tells them at once): use the API for agents while
 * the server runs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { migrate, SchemaTooNew } from '../core/migrations/index.js';
import { randomId } from '../core/auth.js';
import type { AgentView, ChannelView, SignInView, TenantView } from '../core/provisioning/index.js';
import { MAX_ROTATION_GRACE_S, Provisioning, ProvisioningError } from '../core/provisioning/index.js';
import { ApiKeys } from '../core/provisioning/api-keys.js';
import { openSqlite } from './sqlite.js';

const USAGE = `Usage: crm-chat-server admin <command> [options]        (data folder: --data DIR, CHAT_DATA_DIR, or ./data)

Tenants
  tenant create <id> --name NAME [--time-zone ZONE] [--external-id ID] [--origin URL ...]
  tenant list
  tenant show <id>

API keys (the key is printed once, alone on stdout; only a hash is stored)
  key create --tenant <id> --name NAME         a key for one tenant (what a CRM's backend uses)
  key create --operator --name NAME            an operator key: every tenant, may create tenants
  key list (--tenant <id> | --operator)
  key rotate <key-id> (--tenant <id> | --operator) [--grace SECONDS]
  key revoke <key-id> (--tenant <id> | --operator)

Channels
  channel list --tenant <id>
  channel create <channel-id> --tenant <id> --name NAME [--welcome TEXT] [--warn-after S]
                 [--manager-warn-after S] [--sneak-peek on|off] [--sort N]
                 (creates it, or changes an existing one)
  channel delete <channel-id> --tenant <id>

Agents (addressed by the CRM's user id)
  agent list --tenant <id>
  agent create <external-id> --tenant <id> --name NAME [--email E] [--max-chats N]
               [--manage-replies] [--channel CHANNEL[:FLAGS] ...]
               FLAGS: a comma list of respond, notifications, listen, manager
               (none given: respond,notifications); creates the agent, or updates it
  agent disable <external-id> --tenant <id>
  agent enable <external-id> --tenant <id>
  agent delete <external-id> --tenant <id>

Agent sign-in with a JWT the CRM signs (docs/integration.md; secrets are never printed back)
  sign-in show --tenant <id>
  sign-in set --tenant <id> [--algorithms HS256,RS256,ES256] [--issuer ISS] [--audience AUD]
              [--secret-file FILE | --generate-secret]           (HS256; FILE "-" is stdin)
              [--jwks-file FILE | --jwks-url URL | --public-key-file FILE]   (RS256, ES256)
              [--clock-skew S] [--max-lifetime S] [--jit on|off] [--jit-channel CHANNEL[:FLAGS] ...]
              [--role ROLE=CHANNEL[:FLAGS] ... | --roles off]
              (the first set needs --algorithms, --issuer, --audience and the keys; later ones
              change what is given; --generate-secret prints the new secret once, on stdout)
  sign-in off --tenant <id>

Customer identity (the website signs its signed-in customers' tokens, HS256)
  customer-identity show --tenant <id>
  customer-identity set --tenant <id> (--secret-file FILE | --generate-secret)
  customer-identity off --tenant <id>
`;

class UsageError extends Error {}

/** The option each field of the API comes from, so refusals name what the operator typed. */
const FLAG_OF: Record<string, string> = {
  name: '--name',
  id: '<id>',
  timeZone: '--time-zone',
  externalId: '--external-id',
  email: '--email',
  maxConcurrentChats: '--max-chats',
  welcomeMessage: '--welcome',
  warnAfterSeconds: '--warn-after',
  managerWarnAfterSeconds: '--manager-warn-after',
  sneakPeek: '--sneak-peek',
  sort: '--sort',
  channelId: '<channel-id>',
  agent: '<external-id>',
  graceSeconds: '--grace',
  algorithms: '--algorithms',
  issuer: '--issuer',
  audience: '--audience',
  secret: '--secret-file / --generate-secret',
  jwks: '--jwks-file',
  jwksUrl: '--jwks-url',
  publicKeyPem: '--public-key-file',
  clockSkewSeconds: '--clock-skew',
  maxLifetimeSeconds: '--max-lifetime',
  jitProvisioning: '--jit',
};

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        name: { type: 'string' },
        tenant: { type: 'string' },
        operator: { type: 'boolean', default: false },
        'time-zone': { type: 'string' },
        'external-id': { type: 'string' },
        origin: { type: 'string', multiple: true },
        grace: { type: 'string' },
        welcome: { type: 'string' },
        'warn-after': { type: 'string' },
        'manager-warn-after': { type: 'string' },
        'sneak-peek': { type: 'string' },
        sort: { type: 'string' },
        email: { type: 'string' },
        'max-chats': { type: 'string' },
        'manage-replies': { type: 'boolean' },
        channel: { type: 'string', multiple: true },
        algorithms: { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        'secret-file': { type: 'string' },
        'generate-secret': { type: 'boolean' },
        'jwks-file': { type: 'string' },
        'jwks-url': { type: 'string' },
        'public-key-file': { type: 'string' },
        'clock-skew': { type: 'string' },
        'max-lifetime': { type: 'string' },
        jit: { type: 'string' },
        'jit-channel': { type: 'string', multiple: true },
        role: { type: 'string', multiple: true },
        roles: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
})();

function need(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

/** A whole number option (the core checks its range and names the field). */
function num(flag: string): number | undefined {
  const raw = values[flag as keyof typeof values] as string | undefined;
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag}: a whole number`);
  return Number(raw);
}

/** `support` or `support:listen,manager` → [channel id, permissions]. */
function channelSpec(spec: string, flag = '--channel'): [string, Record<string, boolean>] {
  const [id = '', flags] = spec.split(':', 2);
  if (flags === undefined) return [id, {}];
  const names = flags.split(',').map((f) => f.trim()).filter(Boolean);
  const known = ['respond', 'notifications', 'listen', 'manager'];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new UsageError(`${flag} ${spec}: unknown permission ${unknown.join(', ')} (use ${known.join(', ')})`);
  return [id, Object.fromEntries(known.map((k) => [k, names.includes(k)]))];
}

/** `--role sales-manager=sales:manager,listen` (repeatable) → the role mapping of the sign-in settings. */
function roleMapping(specs: readonly string[]): Record<string, Record<string, Record<string, boolean>>> {
  const mapping: Record<string, Record<string, Record<string, boolean>>> = {};
  for (const spec of specs) {
    const at = spec.indexOf('=');
    if (at <= 0 || at === spec.length - 1) throw new UsageError(`--role ${spec}: use ROLE=CHANNEL[:FLAGS]`);
    const [channel, perms] = channelSpec(spec.slice(at + 1), `--role ${spec.slice(0, at)}=`);
    mapping[spec.slice(0, at)] = { ...(mapping[spec.slice(0, at)] ?? {}), [channel]: perms };
  }
  return mapping;
}

/** A file's text (`-`: stdin), trimmed. */
function readText(file: string, flag: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** `--secret-file FILE` or `--generate-secret` (printed once by the caller); undefined when neither. */
function secretOption(): { secret: string; generated: boolean } | undefined {
  if (values['secret-file'] !== undefined && values['generate-secret']) throw new UsageError('give --secret-file or --generate-secret, not both');
  if (values['generate-secret']) return { secret: randomId(32), generated: true };
  if (values['secret-file'] !== undefined) return { secret: readText(values['secret-file'], '--secret-file'), generated: false };
  return undefined;
}

function onOff(flag: 'jit' | 'roles'): boolean | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new UsageError(`--${flag}: on or off`);
  return value === 'on';
}

function showSignIn(v: SignInView): string {
  const perms = (set: Record<string, AgentView['channels'][string]>) => Object.entries(set).map(([c, p]) => `${c}:${permissionText(p)}`).join(' ') || '-';
  return table([
    ['algorithms', v.algorithms.join(', ')],
    ['issuer', v.issuer],
    ['audience', v.audience],
    ['HS256 secret', v.secretSet ? 'set (never shown)' : '-'],
    ['public keys', v.jwksUrl ?? (v.jwksKeyIds ? `JWKS, kid ${v.jwksKeyIds.join(', ') || '(none)'}` : v.publicKeyPemSet ? 'PEM key' : '-')],
    ['clock skew', `${String(v.clockSkewSeconds)} s`],
    ['longest token lifetime', `${String(v.maxLifetimeSeconds)} s`],
    ['new agents at sign-in', v.jitProvisioning ? `on, channels ${perms(v.jitChannels)}` : 'off'],
    ['roles decide channels', v.roleMapping === null ? 'off' : Object.entries(v.roleMapping).map(([role, set]) => `${role}=${perms(set)}`).join('; ') || 'on (no roles mapped)'],
  ]);
}

function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

function keyScope(): string | null {
  if (values.operator && values.tenant !== undefined) throw new UsageError('give --tenant <id> or --operator, not both');
  if (values.operator) return null;
  return need(values.tenant, '--tenant <id> (or --operator)');
}

const out = (text: string) => {
  process.stdout.write(`${text}\n`);
};
const note = (text: string) => {
  process.stderr.write(`${text}\n`);
};

function showTenant(t: TenantView): string {
  return table([
    ['id', t.id],
    ['name', t.name],
    ['external id', t.externalId ?? '-'],
    ['time zone', t.timeZone],
    ['allowed origins', t.allowedOrigins.join(' ') || '-'],
    ['transfer timeout', `${String(t.settings.transferTimeoutSeconds)} s`],
    ['limits', Object.entries(t.settings.limits).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'server defaults'],
  ]);
}

function permissionText(p: AgentView['channels'][string]): string {
  return (['respond', 'notifications', 'listen', 'manager'] as const).filter((k) => p[k]).join(',');
}

async function run(prov: Provisioning): Promise<void> {
  const [, noun, verb, arg] = positionals;
  const tenant = () => need(values.tenant, '--tenant <id>');
  switch (`${noun ?? ''} ${verb ?? ''}`) {
    case 'tenant create': {
      const t = prov.tenants.create({
        id: need(arg, '<id>'),
        name: need(values.name, '--name'),
        ...(values['time-zone'] !== undefined ? { timeZone: values['time-zone'] } : {}),
        ...(values['external-id'] !== undefined ? { externalId: values['external-id'] } : {}),
        ...(values.origin !== undefined ? { allowedOrigins: values.origin } : {}),
      });
      note(`Created tenant ${t.id}. Next: crm-chat-server admin key create --tenant ${t.id} --name "CRM sync"`);
      out(showTenant(t));
      return;
    }
    case 'tenant list':
      out(table([['ID', 'NAME', 'TIME ZONE', 'EXTERNAL ID'], ...prov.tenants.list().map((t) => [t.id, t.name, t.timeZone, t.externalId ?? '-'])]));
      return;
    case 'tenant show':
      out(showTenant(prov.tenants.get(need(arg, '<id>'))));
      return;
    case 'key create': {
      const scope = keyScope();
      const { key, apiKey } = await prov.keys.create({ tenantId: scope, name: need(values.name, '--name'), createdBy: 'cli' });
      note(`Created ${scope === null ? 'an operator key' : `a key for tenant ${scope}`} "${apiKey.name}" (id ${apiKey.id}). It is shown only now: store it safely.`);
      out(key);
      return;
    }
    case 'key list': {
      const scope = keyScope();
      if (scope !== null) prov.tenants.get(scope);
      const state = (k: { revokedAt: number | null; expiresAt: number | null }) =>
        k.revokedAt !== null ? 'revoked' : k.expiresAt !== null ? (k.expiresAt <= Date.now() ? 'expired' : `expires ${new Date(k.expiresAt).toISOString()}`) : 'active';
      out(
        table([
          ['ID', 'PREFIX', 'NAME', 'STATE', 'CREATED', 'LAST USED'],
          ...prov.keys
            .list(scope)
            .map((k) => [k.id, k.prefix, k.name, state(k), new Date(k.createdAt).toISOString(), k.lastUsedAt === null ? '-' : new Date(k.lastUsedAt).toISOString()]),
        ]),
      );
      return;
    }
    case 'key rotate': {
      const scope = keyScope();
      const grace = num('grace') ?? 0;
      if (grace > MAX_ROTATION_GRACE_S) throw new UsageError(`--grace: at most ${String(MAX_ROTATION_GRACE_S)} seconds (7 days)`);
      const { key, apiKey, replaced } = await prov.keys.rotate(scope, need(arg, '<key-id>'), grace, 'cli');
      note(
        `Key ${replaced.id} is replaced by ${apiKey.id}; the old key ${grace === 0 ? 'stopped working now' : `works until ${new Date(replaced.expiresAt ?? 0).toISOString()}`}. The new key is shown only now:`,
      );
      out(key);
      return;
    }
    case 'key revoke': {
      const revoked = prov.keys.revoke(keyScope(), need(arg, '<key-id>'));
      note(`Key ${revoked.id} ("${revoked.name}") is revoked.`);
      return;
    }
    case 'channel list':
      prov.tenants.get(tenant());
      out(
        table([
          ['ID', 'NAME', 'WARN AFTER', 'MANAGER WARN AFTER', 'SNEAK PEEK', 'WELCOME'],
          ...prov.channels.list(tenant()).map((c: ChannelView) => [c.id, c.name, `${String(c.warnAfterSeconds)} s`, `${String(c.managerWarnAfterSeconds)} s`, c.sneakPeek ? 'on' : 'off', c.welcomeMessage]),
        ]),
      );
      return;
    case 'channel create': {
      prov.tenants.get(tenant());
      const peek = values['sneak-peek'];
      if (peek !== undefined && peek !== 'on' && peek !== 'off') throw new UsageError('--sneak-peek: on or off');
      const { channel, created } = prov.channels.put(
        tenant(),
        need(arg, '<channel-id>'),
        {
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.welcome !== undefined ? { welcomeMessage: values.welcome } : {}),
          ...(num('warn-after') !== undefined ? { warnAfterSeconds: num('warn-after') } : {}),
          ...(num('manager-warn-after') !== undefined ? { managerWarnAfterSeconds: num('manager-warn-after') } : {}),
          ...(peek !== undefined ? { sneakPeek: peek === 'on' } : {}),
          ...(num('sort') !== undefined ? { sort: num('sort') } : {}),
        },
        'upsert',
      );
      note(`${created ? 'Created' : 'Updated'} channel ${channel.id} of tenant ${tenant()}.`);
      return;
    }
    case 'channel delete':
      prov.channels.remove(tenant(), need(arg, '<channel-id>'));
      note(`Deleted channel ${String(arg)} of tenant ${tenant()}.`);
      return;
    case 'agent list':
      prov.tenants.get(tenant());
      out(
        table([
          ['EXTERNAL ID', 'ID', 'NAME', 'STATE', 'MAX CHATS', 'CHANNELS'],
          ...prov.agents
            .list(tenant())
            .map((a) => [a.externalId, a.id, a.name, a.disabled ? 'disabled' : 'active', String(a.maxConcurrentChats), Object.entries(a.channels).map(([c, p]) => `${c}:${permissionText(p)}`).join(' ')]),
        ]),
      );
      return;
    case 'agent create': {
      prov.tenants.get(tenant());
      const channels = values.channel === undefined ? undefined : Object.fromEntries(values.channel.map((c) => channelSpec(c)));
      const { agent, created } = prov.agents.put(
        tenant(),
        need(arg, '<external-id>'),
        {
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.email !== undefined ? { email: values.email } : {}),
          ...(num('max-chats') !== undefined ? { maxConcurrentChats: num('max-chats') } : {}),
          ...(values['manage-replies'] !== undefined ? { manageQuickReplies: values['manage-replies'] } : {}),
          ...(channels !== undefined ? { channels } : {}),
        },
        'upsert',
      );
      note(`${created ? 'Created' : 'Updated'} agent ${agent.externalId} (id ${agent.id}) of tenant ${tenant()}.`);
      return;
    }
    case 'agent disable':
    case 'agent enable': {
      const agent = prov.agents.setDisabled(tenant(), need(arg, '<external-id>'), verb === 'disable');
      note(`Agent ${agent.externalId} is ${agent.disabled ? 'disabled: no sign-in, tokens revoked' : 'enabled'}.`);
      return;
    }
    case 'agent delete':
      prov.agents.remove(tenant(), need(arg, '<external-id>'));
      note(`Deleted agent ${String(arg)} of tenant ${tenant()}.`);
      return;
    case 'sign-in show': {
      prov.tenants.get(tenant());
      const v = prov.signIn.get(tenant());
      out(v ? showSignIn(v) : `JWT sign-in is off for tenant ${tenant()}.`);
      return;
    }
    case 'sign-in set': {
      prov.tenants.get(tenant());
      const secret = secretOption();
      const keySources = [values['jwks-file'], values['jwks-url'], values['public-key-file']].filter((x) => x !== undefined);
      if (keySources.length > 1) throw new UsageError('give one of --jwks-file, --jwks-url, --public-key-file');
      if (values.role !== undefined && values.roles !== undefined) throw new UsageError('give --role ... or --roles off, not both');
      if (values.roles === 'on') throw new UsageError('--roles: only "off" (map roles with --role ROLE=CHANNEL[:FLAGS])');
      let jwks: unknown;
      if (values['jwks-file'] !== undefined) {
        try {
          jwks = JSON.parse(readText(values['jwks-file'], '--jwks-file'));
        } catch (error) {
          if (error instanceof UsageError) throw error;
          throw new UsageError(`--jwks-file ${values['jwks-file']}: not JSON`);
        }
      }
      const { signIn, created } = await prov.signIn.put(tenant(), {
        ...(values.algorithms !== undefined ? { algorithms: values.algorithms.split(',').map((a) => a.trim()).filter(Boolean) } : {}),
        ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
        ...(values.audience !== undefined ? { audience: values.audience } : {}),
        ...(secret !== undefined ? { secret: secret.secret } : {}),
        ...(jwks !== undefined ? { jwks } : {}),
        ...(values['jwks-url'] !== undefined ? { jwksUrl: values['jwks-url'] } : {}),
        ...(values['public-key-file'] !== undefined ? { publicKeyPem: readText(values['public-key-file'], '--public-key-file') } : {}),
        ...(num('clock-skew') !== undefined ? { clockSkewSeconds: num('clock-skew') } : {}),
        ...(num('max-lifetime') !== undefined ? { maxLifetimeSeconds: num('max-lifetime') } : {}),
        ...(onOff('jit') !== undefined ? { jitProvisioning: onOff('jit') } : {}),
        ...(values['jit-channel'] !== undefined ? { jitChannels: Object.fromEntries(values['jit-channel'].map((c) => channelSpec(c, '--jit-channel'))) } : {}),
        ...(values.role !== undefined ? { roleMapping: roleMapping(values.role) } : {}),
        ...(values.roles === 'off' ? { roleMapping: null } : {}),
      });
      note(`${created ? 'JWT sign-in is on' : 'Changed the JWT sign-in settings'} for tenant ${tenant()}.`);
      note(showSignIn(signIn));
      if (secret?.generated) {
        note('The new HS256 secret is shown only now: give it to the CRM\'s backend.');
        out(secret.secret);
      }
      return;
    }
    case 'sign-in off':
      prov.tenants.get(tenant());
      prov.signIn.remove(tenant());
      note(`JWT sign-in is off for tenant ${tenant()}: sign-in tokens are refused (agents signed in stay signed in).`);
      return;
    case 'customer-identity show': {
      prov.tenants.get(tenant());
      const v = prov.signIn.getCustomerIdentity(tenant());
      out(v ? `secret set (never shown), changed ${new Date(v.updatedAt).toISOString()}` : `Customer identity is off for tenant ${tenant()}.`);
      return;
    }
    case 'customer-identity set': {
      prov.tenants.get(tenant());
      const secret = secretOption();
      if (!secret) throw new UsageError('give --secret-file FILE or --generate-secret');
      prov.signIn.putCustomerIdentity(tenant(), { secret: secret.secret });
      note(`Customer identity tokens of tenant ${tenant()} are checked with the new secret.`);
      if (secret.generated) {
        note('The secret is shown only now: give it to the website\'s backend.');
        out(secret.secret);
      }
      return;
    }
    case 'customer-identity off':
      prov.tenants.get(tenant());
      prov.signIn.removeCustomerIdentity(tenant());
      note(`Customer identity is off for tenant ${tenant()}: chats with a token start unverified.`);
      return;
    default:
      throw new UsageError(noun === undefined ? 'missing command' : `unknown command "${[noun, verb].filter(Boolean).join(' ')}"`);
  }
}

async function main(): Promise<number> {
  if (values.help || positionals[0] === 'help' || positionals[1] === 'help') {
    out(USAGE);
    return 0;
  }
  if (positionals[0] !== 'admin') {
    note(`Unknown command "${positionals[0] ?? ''}".\n\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(values.data ?? process.env.CHAT_DATA_DIR ?? './data');
  const db = openSqlite(resolve(dataDir, 'chat.db'));
  try {
    migrate(db);
    const prov = new Provisioning(db, { now: () => Date.now(), pepper: process.env.CHAT_API_KEY_PEPPER ?? ApiKeys.loadPepper(db) });
    await run(prov);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      note(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof SchemaTooNew) {
      note(`error: ${error.message}`);
      return 1;
    }
    if (error instanceof ProvisioningError) {
      const flag = (field: string) =>
        FLAG_OF[field] ??
        (field.startsWith('channels.')
          ? `--channel ${field.slice('channels.'.length)}`
          : field.startsWith('jitChannels.')
            ? `--jit-channel ${field.slice('jitChannels.'.length)}`
            : field.startsWith('roleMapping.')
              ? `--role ${field.slice('roleMapping.'.length).replace('.', '=')}`
              : field);
      const fields = Object.entries(error.fields ?? {}).map(([field, message]) => `  ${flag(field)}: ${message}`);
      note(fields.length > 0 ? `error (${error.code}):\n${fields.join('\n')}` : `error (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    db.close();
  }
}

process.exitCode = await main();
