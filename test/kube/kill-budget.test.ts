import {test} from 'node:test';
import assert from 'node:assert/strict';
import {KillBudget} from '../../src/kube/kill-budget.js';

test('never more than N kills in any 60 s window', () => {
	let now = 1_000_000;
	const budget = new KillBudget(3, () => now);
	assert.ok(budget.take().ok);
	now += 10_000;
	assert.ok(budget.take().ok);
	assert.ok(budget.take().ok);
	const refused = budget.take();
	assert.equal(refused.ok, false);
	assert.equal(!refused.ok && refused.retryInMs, 50_000);
	now += 49_999;
	assert.equal(budget.take().ok, false);
	now += 1;
	assert.ok(budget.take().ok, 'the first token is back 60 s after it was spent');
	assert.equal(budget.take().ok, false, 'the others are not back yet');
	assert.equal(budget.remaining(), 0);
	// Walk a long random-ish schedule and check the promise holds in every window.
	const times: number[] = [];
	const strict = new KillBudget(5, () => now);
	for (let step = 0; step < 2000; step++) {
		now += (step * 7919) % 5000;
		if (strict.take().ok) times.push(now);
	}
	for (const start of times) assert.ok(times.filter((t) => t >= start && t < start + 60_000).length <= 5);
	assert.equal(new KillBudget(0, () => now).take().ok, false, '0 per minute allows nothing');
});
