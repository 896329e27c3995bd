import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { PoolConfig } from 'pg';

/**
 * n8n's built-in Postgres credential → pg connection settings. The credential's SSH tunnel is not supported
 * for the ledger: say so rather than silently connecting somewhere else.
 */
export function postgresConnection(credential: ICredentialDataDecryptedObject): PoolConfig {
	if (credential.sshTunnel === true) {
		throw new Error(
			'The delegation ledger does not support the Postgres credential’s SSH tunnel: connect directly (or through a local port forward).',
		);
	}
	const ssl = String(credential.ssl ?? 'disable');
	return {
		host: String(credential.host ?? 'localhost'),
		port: Number(credential.port ?? 5432),
		database: String(credential.database ?? 'postgres'),
		user: String(credential.user ?? 'postgres'),
		password: credential.password === undefined ? undefined : String(credential.password),
		ssl: ssl === 'disable' ? false : { rejectUnauthorized: credential.allowUnauthorizedCerts !== true },
	};
}

/** Cache key of a ledger connection: one pool per distinct server, login and schema; no secret kept in clear. */
export function connectionKey(connection: PoolConfig, schema: string): string {
	return createHash('sha256')
		.update(JSON.stringify([connection.host, connection.port, connection.database, connection.user, connection.password, connection.ssl, schema]))
		.digest('hex');
}
