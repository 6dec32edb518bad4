import {nextInt} from './rng.js';
import type {Message, Tone} from './state.js';

// A short log for the side panel, with a little humour picked by the seeded generator (so replays match).

export const maxMessages = 40;

export function appendMessage(messages: readonly Message[], message: Message): readonly Message[] {
	const next = [...messages, message];
	return next.length > maxMessages ? next.slice(next.length - maxMessages) : next;
}

export const quips = {
	miss: ['Missed. The pods are unimpressed.', 'Missed. That shot is now in low orbit.', 'Miss. Even the scheduler saw that coming.', 'Missed. Try aiming at a pod.'],
	hit: ['Direct hit on {name}.', 'Bullseye: {name}.', '{name} is having a bad day.', 'Hit! {name} files a complaint.'],
	deleted: ['{name} deleted. Its controller is already on it.', '{name} deleted. Let us see how fast the cluster heals.', '{name} is Terminating. Goodbye, little pod.'],
	replacedFast: ['{new} is Ready in {ready}. The cluster shrugs. (+{points})', 'Healed in {ready}: {new} takes the slot. (+{points})', '{new} Ready in {ready}. Kubernetes: 1, chaos: 0. (+{points})'],
	replacedSlow: ['{new} Ready after {ready}. That took a while. (+{points})', '{new} finally Ready ({ready}). Worth a look. (+{points})'],
	outage: ['Outage! {name} was the last Ready replica of {owner}. ({points})', 'You shot the last Ready {owner}. Users noticed. ({points})'],
	bare: ['{name} had no owner. Nobody is coming to replace it. ({points})'],
	dryRun: ['Dry run: the API would have deleted {name}. Nothing died.', 'Dry run: {name} survives (it was only pretend).'],
	external: ['{name} was deleted by someone else. Not us, officer.', 'Someone else shot {name}. Watching the replacement.'],
} as const;

export type QuipKind = keyof typeof quips;

export function fillTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
	return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** Picks a line of the kind with the generator; returns the text and the next generator state. */
export function quip(rng: number, kind: QuipKind, values: Readonly<Record<string, string | number>>): readonly [text: string, rng: number] {
	const lines = quips[kind];
	const [index, next] = nextInt(rng, lines.length);
	return [fillTemplate(lines[index] ?? lines[0], values), next];
}

export type {Tone};
