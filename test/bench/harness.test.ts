// The bench harness's pure parts: statistics, matching server commits to frames and kubectl rows,
// /proc parsing, the trace reader and the summary. (The figures themselves live in `npm run bench`.)
import {test, after} from 'node:test';
import assert from 'node:assert/strict';
import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {eventToFrame, podNameOfLine, watchLatency, type CommittedChange} from '../../bench/lib/match.js';
import {parseCpuTicks, parseRssMb} from '../../bench/lib/proc.js';
import {percentile, median, perSecond, round} from '../../bench/lib/stats.js';
import {parseTraceChunk, TraceTail} from '../../bench/lib/trace.js';
import {summaryLines} from '../../bench/lib/targets.js';
import {toCommitted} from '../../bench/lib/cluster.js';

const change = (rv: number, name: string, t: number, visible = true): CommittedChange => ({rv, name, t, visible, type: 'MODIFIED'});

test('nearest-rank percentiles, NaN for nothing, rounding and rates', () => {
	const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
	assert.equal(percentile(values, 50), 5);
	assert.equal(percentile(values, 95), 10);
	assert.equal(percentile(values, 0), 1);
	assert.equal(median([3]), 3);
	assert.ok(Number.isNaN(percentile([], 50)));
	assert.equal(percentile([Number.NaN, 2], 50), 2);
	assert.equal(round(12.345), 12.3);
	assert.equal(round(1234.5), 1235);
	assert.equal(perSecond(500, 250), 2000);
	assert.ok(Number.isNaN(perSecond(1, 0)));
});

test('a change is shown by the first frame whose rv reaches it, even when frames skip rvs', () => {
	const frames = [
		{t: 100, rv: 10, pods: 3, bytes: 1},
		{t: 130, rv: 14, pods: 3, bytes: 1},
		{t: 90, rv: 8, pods: 3, bytes: 1}, // out of order on purpose: sorted by time inside
		{t: 200, rv: 20, pods: 3, bytes: 1},
	];
	const result = eventToFrame([change(9, 'a', 95), change(12, 'b', 110), change(20, 'c', 150), change(21, 'd', 160), change(8, 'e', 91)], frames);
	assert.deepEqual(result.values, [5, 20, 50, 0]);
	assert.equal(result.missed, 1);
});

test('kubectl rows pair with changes per pod in order; skipped changes do not shift the pairing', () => {
	const changes = [change(1, 'a', 0), change(2, 'b', 0), change(3, 'a', 10, false), change(4, 'a', 20)];
	const lines = [
		{t: 3, name: 'a'},
		{t: 5, name: 'b'},
		{t: 12, name: 'a'},
		{t: 27, name: 'a'},
	];
	const visible = watchLatency(changes, lines);
	assert.deepEqual(visible.values, [3, 5, 7]);
	assert.equal(visible.missed, 0);
	const everything = watchLatency(changes, lines.slice(0, 3), () => true);
	assert.deepEqual(everything.values, [3, 5, 2]);
	assert.equal(everything.missed, 1);
});

test('kubectl table rows give their pod name; the header does not', () => {
	assert.equal(podNameOfLine('swarm-5d9f-abcde   1/1     Running   0          5s'), 'swarm-5d9f-abcde');
	assert.equal(podNameOfLine('NAME   READY   STATUS    RESTARTS   AGE'), undefined);
	assert.equal(podNameOfLine('   '), undefined);
});

test('visible changes are the ones kubectl READY/STATUS would show differently', () => {
	const pod = (ready: boolean, deleting = false) => ({
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name: 'p', uid: 'u', resourceVersion: '1', creationTimestamp: '', ...(deleting ? {deletionTimestamp: 'x'} : {})},
		spec: {containers: [{name: 'c'}]},
		status: {phase: 'Running', containerStatuses: [{ready, state: {running: {}}}]},
	});
	assert.equal(toCommitted({type: 'MODIFIED', rv: 2, object: pod(true), old: pod(false)}, 1).visible, true);
	assert.equal(toCommitted({type: 'MODIFIED', rv: 2, object: pod(true), old: pod(true)}, 1).visible, false);
	assert.equal(toCommitted({type: 'MODIFIED', rv: 2, object: pod(true, true), old: pod(true)}, 1).visible, true);
	assert.equal(toCommitted({type: 'DELETED', rv: 3, object: pod(true), old: pod(true)}, 1).visible, true);
});

test('/proc parsing: VmRSS in MB, utime+stime even with a strange command name', () => {
	assert.equal(parseRssMb('Name:\tnode\nVmRSS:\t  102400 kB\nThreads: 7\n'), 100);
	assert.ok(Number.isNaN(parseRssMb('Name:\tnode\n')));
	const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 37 0 0 20 0 11 0 99 1 1';
	assert.equal(parseCpuTicks(stat), 287);
});

const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
after(() => rmSync(dir, {recursive: true, force: true}));

test('trace lines: complete marks only, a torn last line waits for the rest', () => {
	const {marks, rest} = parseTraceChunk('{"mark":"a","t":1}\nnot json\n{"t":2}\n{"mark":"b","t":3,"rv":9}\n{"mark":"c"');
	assert.deepEqual(marks.map((mark) => mark.mark), ['a', 'b']);
	assert.equal(rest, '{"mark":"c"');
	const file = join(dir, 'trace.jsonl');
	const tail = new TraceTail(file);
	assert.deepEqual(tail.poll(), []);
	writeFileSync(file, '{"mark":"first-paint","t":10}\n{"mark":"frame","t":1');
	assert.deepEqual(tail.poll().map((mark) => mark.mark), ['first-paint']);
	appendFileSync(file, '2,"rv":5,"pods":"ä"}\n');
	const fresh = tail.poll();
	assert.equal(fresh.length, 1);
	assert.equal(fresh[0]!.t, 12);
	assert.equal(tail.all('frame').length, 1);
	assert.equal(tail.first('first-paint')?.t, 10);
});

test('the summary says ok, MISSED, not measured, or reference', () => {
	const lines = summaryLines({first_paint_ms: 120, first_frame_ms: 1500, event_to_frame_p50_ms: 4, kubectl_watch_p50_ms: 3, kubectl_first_output_ms: 250});
	const line = (label: string) => lines.find((l) => l.startsWith(label)) ?? '';
	assert.match(line('first paint'), /ok$/);
	assert.match(line('first full formation'), /MISSED$/);
	assert.match(line('event → frame p50'), /MISSED$/);
	assert.match(line('kubectl get pods, first'), /reference$/);
	assert.match(line('RSS, 5000'), /not measured$/);
});
