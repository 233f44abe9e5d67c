/** Types of docs/examples/crm-sign-in.mjs (the CRM backend's side of docs/integration.md). */
export function signAgentToken(options: {
  secret: string;
  issuer: string;
  audience: string;
  userId: string;
  name: string;
  email?: string | undefined;
  roles?: string[] | undefined;
}): Promise<string>;
export function exchange(
  chatUrl: string,
  tenant: string,
  jwt: string,
): Promise<{ token: string; expiresAt: number; agent: { id: string; externalId: string; name: string; email: string }; created: boolean }>;
export function connectTicket(chatUrl: string, accessToken: string): Promise<{ ticket: string; expiresAt: number }>;
