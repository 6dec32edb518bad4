// The figures `npm run bench` reports, in output order, with the issue's targets (issue 7) for the summary.

export type Figures = Record<string, number>;

export interface Figure {
	readonly key: string;
	readonly label: string;
	readonly unit: string;
	/** Describes the target; undefined for reference figures (kubectl, RSS below 5000 pods). */
	readonly target?: string;
	/** True when the figure meets its target (given all figures, for relative targets). */
	readonly meets?: (value: number, all: Figures) => boolean;
}

const atMost = (limit: number) => (value: number) => value <= limit;

export const figures: readonly Figure[] = [
	{key: 'first_paint_ms', label: 'first paint (100 pods)', unit: 'ms', target: '≤ 250', meets: atMost(250)},
	{key: 'first_frame_ms', label: 'first full formation (100 pods)', unit: 'ms', target: '≤ 1000', meets: atMost(1000)},
	{key: 'kubectl_first_output_ms', label: 'kubectl get pods, first output', unit: 'ms'},
	{
		key: 'event_to_frame_p50_ms',
		label: 'event → frame p50 (1000 pods, ~50 changes/s)',
		unit: 'ms',
		target: '≤ kubectl -w p50',
		meets: (value, all) => Number.isFinite(all['kubectl_watch_p50_ms']) && value <= all['kubectl_watch_p50_ms']!,
	},
	{key: 'event_to_frame_p95_ms', label: 'event → frame p95', unit: 'ms', target: '≤ 50', meets: atMost(50)},
	{key: 'kubectl_watch_p50_ms', label: 'kubectl get pods -w p50, same changes', unit: 'ms'},
	{key: 'kubectl_watch_p95_ms', label: 'kubectl get pods -w p95', unit: 'ms'},
	{key: 'churn_changes_per_s', label: 'pod changes/s committed during churn', unit: '/s'},
	{key: 'event_to_frame_p95_ms_2000', label: 'event → frame p95 (2000 pods, 4 kills/s)', unit: 'ms'},
	{key: 'render_p95_ms_2000', label: 'full frame p95 (2000 pods)', unit: 'ms', target: '≤ 16', meets: atMost(16)},
	{key: 'rss_mb_100', label: 'RSS, 100 pods', unit: 'MB'},
	{key: 'rss_mb_1000', label: 'RSS, 1000 pods', unit: 'MB'},
	{key: 'rss_mb_2000', label: 'RSS, 2000 pods', unit: 'MB'},
	{key: 'rss_mb_5000', label: 'RSS, 5000 pods', unit: 'MB', target: '≤ 200', meets: atMost(200)},
	{key: 'first_frame_ms_5000', label: 'first full picture, 5000 pods', unit: 'ms'},
	{key: 'idle_cpu_pct', label: 'idle CPU (1000 pods, 10 s)', unit: '%', target: '≤ 2', meets: atMost(2)},
	{key: 'idle_bytes_per_s', label: 'idle terminal output', unit: 'B/s', target: '≤ 2048', meets: atMost(2048)},
	{key: 'storm_bytes_per_s', label: 'storm output (200 killed + replaced)', unit: 'B/s', target: '≤ 102400', meets: atMost(102_400)},
	{key: 'kill_to_running_error_ms', label: 'time-to-Running error p95 (20 kills)', unit: 'ms', target: '≤ 50', meets: atMost(50)},
];

/**
 * `npm run bench -- --real` (bench/real.ts): the same kinds of figures on a genuine kube-apiserver + KWOK with
 * `pods` pods in one Deployment. The issue sets no separate targets for them; the demo targets are shown
 * where the same figure exists, as a yardstick.
 */
export function realFigures(pods: number): Figure[] {
	return [
		{key: 'real_pods_running_s', label: `real: Deployment created → ${pods} pods Running`, unit: 's'},
		{key: 'real_first_paint_ms', label: 'real: first paint', unit: 'ms', target: '≤ 250', meets: atMost(250)},
		{key: `real_first_frame_ms_${pods}`, label: `real: first full formation (${pods} pods)`, unit: 'ms'},
		{
			key: 'real_event_to_frame_p50_ms',
			label: 'real: DELETE answered → frame p50',
			unit: 'ms',
			target: '≤ kubectl -w p50',
			meets: (value, all) => Number.isFinite(all['real_kubectl_watch_p50_ms']) && value <= all['real_kubectl_watch_p50_ms']!,
		},
		{key: 'real_event_to_frame_p95_ms', label: 'real: DELETE answered → frame p95', unit: 'ms', target: '≤ 50', meets: atMost(50)},
		{key: 'real_kubectl_watch_p50_ms', label: 'real: kubectl get pods -w p50, same deletes', unit: 'ms'},
		{key: 'real_kubectl_watch_p95_ms', label: 'real: kubectl get pods -w p95', unit: 'ms'},
		{key: 'real_delete_rtt_p50_ms', label: 'real: DELETE round trip p50', unit: 'ms'},
		{key: 'real_deletes', label: 'real: deletes answered (10/s for 10 s)', unit: ''},
		{key: `real_render_p95_ms_${pods}`, label: `real: full frame p95 while deleting (${pods} pods)`, unit: 'ms', target: '≤ 16', meets: atMost(16)},
		{key: 'real_churn_cpu_pct', label: 'real: game CPU while deleting', unit: '%'},
		{key: `real_rss_mb_${pods}`, label: `real: RSS, ${pods} pods`, unit: 'MB'},
	];
}

/** One line per figure for stderr: value, unit, target and a verdict. */
export function summaryLines(all: Figures, list: readonly Figure[] = figures): string[] {
	const width = Math.max(...list.map((figure) => figure.label.length));
	return list.map((figure) => {
		const value = all[figure.key];
		const shown = value === undefined || !Number.isFinite(value) ? 'n/a' : `${value} ${figure.unit}`;
		const verdict = !figure.meets ? 'reference' : value === undefined || !Number.isFinite(value) ? 'not measured' : figure.meets(value, all) ? 'ok' : 'MISSED';
		return `${figure.label.padEnd(width)}  ${shown.padStart(12)}  ${(figure.target ? `target ${figure.target}` : '').padEnd(22)}  ${verdict}`;
	});
}
