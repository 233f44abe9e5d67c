/**
 * The OAuth client of a SuperOffice CRM Online app (SuperID), for a server: it holds the app's
 * client secret and the tenant's refresh token and turns them into access tokens
 * (`POST https://{env}.superoffice.com/login/common/oauth/tokens`, `grant_type=refresh_token`;
 * docs/superoffice.md § OAuth). SuperOffice's docs say refresh tokens must never be stored in a
 * browser: give the console a {@link SuperOfficeAuth} that asks your backend instead.
 */
import { CrmError } from '../types.js';

/** Where the provider gets its bearer token from; `refresh` is called once after a 401. */
export interface SuperOfficeAuth {
  /** A valid access token (cached until shortly before it expires). */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached token and gets a new one (the API answered 401). */
  refresh(signal?: AbortSignal): Promise<string>;
}

export interface SuperOfficeOAuthOptions {
  /** The token endpoint, e.g. `https://sod.superoffice.com/login/common/oauth/tokens` (sod = development, online = production). */
  tokenUrl: string;
  /** The app's client id (application id). */
  clientId: string;
  /** The app's client secret (application token). Server side only. */
  clientSecret: string;
  /** The refresh token from the tenant's consent (authorization-code flow). Server side only. */
  refreshToken: string;
  /** The app's registered redirect URI, when the tenant's app registration asks for it. */
  redirectUri?: string | undefined;
  /** Renew this long before `expires_in` runs out (default 60 s). */
  earlyMs?: number | undefined;
  fetch?: typeof fetch | undefined;
  now?: (() => number) | undefined;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
  token_type?: unknown;
}

/** An OAuth client that refreshes on demand, one request at a time however many calls wait. */
export function createSuperOfficeOAuth(options: SuperOfficeOAuthOptions): SuperOfficeAuth {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const early = options.earlyMs ?? 60_000;
  let refreshToken = options.refreshToken;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'refresh_token', client_id: options.clientId, client_secret: options.clientSecret, refresh_token: refreshToken });
    if (options.redirectUri) body.set('redirect_uri', options.redirectUri);
    let res: Response;
    try {
      res = await doFetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CrmError('unavailable', 'SuperOffice sign-in could not be reached.');
    }
    if (res.status === 400 || res.status === 401) throw new CrmError('forbidden', 'SuperOffice refused the app’s sign-in (the refresh token or client secret is not valid any more).');
    if (!res.ok) throw new CrmError('unavailable', `SuperOffice sign-in is not answering (HTTP ${String(res.status)}).`);
    const answer = (await res.json()) as TokenAnswer;
    if (typeof answer.access_token !== 'string' || answer.access_token === '') throw new CrmError('unavailable', 'SuperOffice sign-in answered without an access token.');
    const seconds = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 3600;
    if (typeof answer.refresh_token === 'string' && answer.refresh_token !== '') refreshToken = answer.refresh_token;
    cached = { token: answer.access_token, expiresAt: now() + seconds * 1000 - early };
    return answer.access_token;
  }

  function renew(signal?: AbortSignal): Promise<string> {
    pending ??= request(signal).finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    accessToken(signal) {
      if (cached && cached.expiresAt > now()) return Promise.resolve(cached.token);
      return renew(signal);
    },
    refresh(signal) {
      cached = undefined;
      return renew(signal);
    },
  };
}
