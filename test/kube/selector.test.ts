import {test} from 'node:test';
import assert from 'node:assert/strict';
import {matchesLabelSelector, parseLabelSelector} from '../../src/kube/selector.js';
import {validateLabelSelector, validateNamespace} from '../../src/kube/errors.js';

test('valid selectors parse as the apiserver would', () => {
	for (const selector of [
		'',
		'app=goldpinger',
		'app==goldpinger',
		'app!=x',
		'app',
		'!canary',
		'app in (a,b), tier notin (db)',
		'example.com/role=web,app.kubernetes.io/name=x',
		'version>3,version<10',
		'app=',
		'  app = goldpinger ,  tier in ( a , b )  ',
	]) {
		assert.equal(validateLabelSelector(selector), undefined, selector);
	}
	assert.deepEqual(parseLabelSelector('app in (a,b),!x'), [
		{key: 'app', operator: 'in', values: ['a', 'b']},
		{key: 'x', operator: 'not-exists', values: []},
	]);
});

test('invalid selectors give one line naming the problem', () => {
	for (const selector of ['app=a=b', 'app in a', 'app in (a', 'a,,b', ',a', 'a,', 'app in ()', '-bad=x', 'a=b c', 'a>x', '!', 'a b', `k=${'v'.repeat(64)}`, 'UPPER.com/x=y']) {
		const problem = validateLabelSelector(selector);
		assert.ok(problem, `expected an error for ${JSON.stringify(selector)}`);
		assert.ok(!problem.includes('\n'));
		assert.match(problem, /^invalid label selector/);
	}
});

test('selectors match labels like the apiserver', () => {
	const labels = {app: 'goldpinger', tier: 'web', version: '5'};
	assert.ok(matchesLabelSelector('', labels));
	assert.ok(matchesLabelSelector('app=goldpinger', labels));
	assert.ok(!matchesLabelSelector('app=other', labels));
	assert.ok(matchesLabelSelector('app!=other', labels));
	assert.ok(matchesLabelSelector('missing!=x', labels), 'notin matches a missing key');
	assert.ok(matchesLabelSelector('tier in (db,web)', labels));
	assert.ok(!matchesLabelSelector('tier notin (db,web)', labels));
	assert.ok(matchesLabelSelector('app,!canary', labels));
	assert.ok(!matchesLabelSelector('canary', labels));
	assert.ok(matchesLabelSelector('version>4,version<6', labels));
	assert.ok(!matchesLabelSelector('version>5', labels));
	assert.ok(!matchesLabelSelector('app=a=b', labels), 'an invalid selector matches nothing');
});

test('namespaces are DNS-1123 labels', () => {
	assert.equal(validateNamespace('default'), undefined);
	assert.equal(validateNamespace('kube-system'), undefined);
	assert.equal(validateNamespace('a1'), undefined);
	for (const bad of ['', 'Default', '-x', 'x-', 'a_b', 'a.b', 'x'.repeat(64), 'a\u001b[31m']) {
		const problem = validateNamespace(bad);
		assert.ok(problem, bad);
		assert.ok(!problem.includes('\n') && !problem.includes('\u001b'));
	}
});
