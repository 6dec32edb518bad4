// Kubernetes Events recorded by the demo's kubelet, scheduler and controllers (what `kubectl describe` and
// `kubectl get events` show), and the conversion between the core/v1 and events.k8s.io/v1 shapes of the
// same stored objects. Stored events are bounded: the oldest go first, as TTL expiry would remove them.
import type {KObject, Store} from './store.js';
import {asNumber, asObject, asString, rfc3339Micro, type Json} from './util.js';

export const maxStoredEvents = 1000;

export class EventRecorder {
	/** While booting the scenario the cluster records nothing (the history would only be noise). */
	enabled = true;
	private sequence = 0;

	constructor(private readonly store: Store) {}

	record(involved: KObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string, host?: string): void {
		if (!this.enabled) return;
		const namespace = involved.metadata.namespace ?? 'default';
		const now = this.store.timestamp();
		// Like client-go's recorder: the name carries the time in nanoseconds, so names sort chronologically.
		const nanos = BigInt(this.store.now()) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
		const name = `${involved.metadata.name}.${nanos.toString(16)}`;
		this.store.create('events', {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {name, namespace, uid: '', resourceVersion: '', creationTimestamp: ''},
			involvedObject: {
				kind: involved.kind,
				namespace,
				name: involved.metadata.name,
				uid: involved.metadata.uid,
				apiVersion: involved.apiVersion,
				resourceVersion: involved.metadata.resourceVersion,
			},
			reason,
			message,
			source: {component, ...(host ? {host} : {})},
			firstTimestamp: now,
			lastTimestamp: now,
			count: 1,
			type,
			eventTime: null,
			reportingComponent: component,
			reportingInstance: host ?? '',
		});
		this.trim();
	}

	/** Drops the oldest events beyond the bound (also after clients POST their own). */
	trim(): void {
		const excess = this.store.count('events') - maxStoredEvents;
		if (excess <= 0) return;
		const oldest = this.store
			.list('events')
			.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
			.slice(0, excess);
		for (const event of oldest) this.store.remove('events', event.metadata.namespace, event.metadata.name);
	}
}

/** events.k8s.io/v1 → the stored (core/v1) shape. */
export function eventFromEventsV1(body: Json): Json {
	const {regarding, note, reportingController, deprecatedSource, deprecatedFirstTimestamp, deprecatedLastTimestamp, deprecatedCount, apiVersion: _a, kind: _k, ...rest} = body;
	const series = asObject(body['series']);
	return {
		...rest,
		apiVersion: 'v1',
		kind: 'Event',
		involvedObject: regarding ?? {},
		...(note !== undefined ? {message: note} : {}),
		reportingComponent: reportingController ?? '',
		source: deprecatedSource ?? {},
		firstTimestamp: deprecatedFirstTimestamp ?? null,
		lastTimestamp: deprecatedLastTimestamp ?? null,
		count: asNumber(deprecatedCount) ?? (Object.keys(series).length ? asNumber(series['count']) : undefined) ?? 1,
	};
}

/** The stored (core/v1) shape → events.k8s.io/v1. */
export function eventToEventsV1(object: KObject): KObject {
	const {involvedObject, message, reportingComponent, source, firstTimestamp, lastTimestamp, count, apiVersion: _a, kind: _k, ...rest} = object;
	const eventTime = asString(object['eventTime']) ?? (asString(firstTimestamp) ? rfc3339Micro(Date.parse(asString(firstTimestamp)!)) : null);
	return {
		...rest,
		apiVersion: 'events.k8s.io/v1',
		kind: 'Event',
		metadata: object.metadata,
		eventTime,
		reportingController: reportingComponent ?? '',
		regarding: involvedObject ?? {},
		...(message !== undefined ? {note: message} : {}),
		...(source ? {deprecatedSource: source} : {}),
		...(firstTimestamp ? {deprecatedFirstTimestamp: firstTimestamp} : {}),
		...(lastTimestamp ? {deprecatedLastTimestamp: lastTimestamp} : {}),
		...(count !== undefined ? {deprecatedCount: count} : {}),
	};
}
