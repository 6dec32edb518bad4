import {useEffect, useRef} from 'react';
import type {GameEvent, PendingKill} from '../game/index.js';
import type {KillResult} from '../model/kill.js';
import type {PodKillerPort} from '../model/ports.js';
import {sanitizeLine} from '../model/sanitize.js';

/**
 * The effect layer for kills: every kill the game puts in its outbox is handed to the PodKiller exactly once
 * (stamped `kill-sent` just before the call), and the result comes back as a `kill-result` event. After `d`,
 * kills go to the server as dry runs when the killer can switch; otherwise they never leave this process.
 */
export function useKiller(
	outbox: readonly PendingKill[],
	dryRun: boolean,
	killer: PodKillerPort,
	dispatch: (events: readonly GameEvent[]) => void,
	startedInDryRun: boolean,
): void {
	const sent = useRef(new Set<number>());
	// Which killer was switched to server-side dry run by `d` (a namespace switch brings a new killer that must
	// be switched too; with --dry-run every killer the CLI builds is one already).
	const dryRunKiller = useRef<PodKillerPort | null>(null);
	const serverDryRun = useRef(startedInDryRun);
	serverDryRun.current = startedInDryRun || dryRunKiller.current === killer;
	const mounted = useRef(true);
	useEffect(
		() => () => {
			mounted.current = false;
		},
		[],
	);

	useEffect(() => {
		if (dryRun && !serverDryRun.current && killer.enableDryRun) {
			killer.enableDryRun();
			dryRunKiller.current = killer;
			serverDryRun.current = true;
		}
	}, [dryRun, killer]);

	useEffect(() => {
		for (const {id, request} of outbox) {
			if (sent.current.has(id)) continue;
			sent.current.add(id);
			const at = performance.now();
			dispatch([{type: 'kill-sent', id, at}]);
			const answer = (result: KillResult) => {
				if (mounted.current) dispatch([{type: 'kill-result', result}]);
			};
			if (dryRun && !serverDryRun.current) {
				answer({request, outcome: 'dry-run', message: `dry run: ${sanitizeLine(request.name, 63)} was not sent to the server`, at: performance.now()});
				continue;
			}
			killer.kill(request).then(answer, (error: unknown) =>
				answer({
					request,
					outcome: 'failed',
					message: sanitizeLine(error instanceof Error ? error.message : error, 120) || 'unknown error',
					at: performance.now(),
				}),
			);
		}
	}, [outbox, dryRun, killer, dispatch]);
}
