// --audit-log FILE: one JSON line per kill attempt, refusals and failures included. Appended synchronously,
// so lines are in attempt order and survive a crash right after (at most a few per second: the rate limit).
import {appendFileSync} from 'node:fs';
import type {KillActor, KillOutcome} from '../model/kill.js';
import {UsageError} from './errors.js';

export interface AuditRecord {
	readonly time: string; // ISO 8601, wall clock
	readonly context: string;
	readonly namespace: string;
	readonly pod: string;
	readonly uid: string;
	readonly actor: KillActor;
	readonly dryRun: boolean;
	readonly evict: boolean;
	readonly outcome: KillOutcome;
	readonly message: string;
}

export class AuditLog {
	/** Checks at once that the file can be appended to: a safety tool must not find that out after a kill. */
	constructor(readonly path: string) {
		try {
			appendFileSync(path, '');
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? String(error);
			throw new UsageError(`--audit-log ${path}: cannot write (${code})`);
		}
	}

	/** Returns an error message if the line could not be written. */
	append(record: AuditRecord): string | undefined {
		try {
			appendFileSync(this.path, `${JSON.stringify(record)}\n`);
			return undefined;
		} catch (error) {
			return `audit log write failed (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
		}
	}
}
