/**
 * The callback each API-channel app registers (`PUT /v1/callback`): the URL where it receives customer-facing
 * messages and the secret that signs them. The secret is kept readable because Ombuds must compute HMACs with it.
 */
import type { Queryable } from './database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApiClientCallback {
  url: string;
  secret: string;
}

/** Sets (or, with null, removes) an app's callback. Returns false when there is no such app. */
export async function setApiClientCallback(tx: Queryable, clientId: string, callback: ApiClientCallback | null): Promise<boolean> {
  const result = await tx.query('UPDATE api_clients SET callback_url = $2, callback_secret = $3 WHERE id = $1', [
    clientId,
    callback?.url ?? null,
    callback?.secret ?? null,
  ]);
  return result.rowCount > 0;
}

/** The app's callback; null when none is registered, the app does not exist or it is disabled. */
export async function findApiClientCallback(db: Queryable, clientId: string): Promise<ApiClientCallback | null> {
  // Not an app id at all (a conversation key from elsewhere): no app, no callback, and no failing query.
  if (!UUID.test(clientId)) return null;
  const result = await db.query<{ callback_url: string | null; callback_secret: string | null }>(
    'SELECT callback_url, callback_secret FROM api_clients WHERE id = $1 AND disabled_at IS NULL',
    [clientId],
  );
  const row = result.rows[0];
  if (!row?.callback_url || !row.callback_secret) return null;
  return { url: row.callback_url, secret: row.callback_secret };
}
