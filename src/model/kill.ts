// A request to kill one pod, and what became of it. One name in every layer: "kill".

export type KillActor = 'player' | 'autopilot' | 'experiment';

export interface KillRequest {
	readonly uid: string;
	readonly name: string;
	readonly actor: KillActor;
}

export type KillOutcome =
	| 'deleted' // the API accepted the delete (the pod is now Terminating or gone)
	| 'evicted' // the Eviction API accepted it
	| 'dry-run' // the server validated it with dryRun=All; nothing was deleted
	| 'refused' // a local guard said no (scope, protected namespace, rate limit, min age, min ready, terminating, spectator)
	| 'deflected' // the server refused an eviction (PodDisruptionBudget)
	| 'gone' // the pod (with that uid) no longer exists
	| 'failed'; // the API said no (403, network, …)

export interface KillResult {
	readonly request: KillRequest;
	readonly outcome: KillOutcome;
	/** One line for humans, already sanitised. */
	readonly message: string;
	/** Monotonic ms (performance.now()) when the API answered. */
	readonly at: number;
}
