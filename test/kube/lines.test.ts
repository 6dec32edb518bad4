import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LineSplitter} from '../../src/kube/lines.js';

test('lines split across chunks, several per chunk, and UTF-8 split mid-character', () => {
	const splitter = new LineSplitter();
	const text = Buffer.from('{"a":1}\n{"b":"ä€"}\r\n{"c"', 'utf8');
	const out: string[] = [];
	for (let index = 0; index < text.length; index++) out.push(...splitter.push(text.subarray(index, index + 1)));
	out.push(...splitter.push(Buffer.from(':3}\n\n')));
	assert.deepEqual(out, ['{"a":1}', '{"b":"ä€"}', '{"c":3}', '']);
	assert.deepEqual(splitter.end(), []);
	splitter.push('tail-without-newline');
	assert.deepEqual(splitter.end(), ['tail-without-newline']);
});

test('a line that never ends is dropped instead of growing without bound', () => {
	const splitter = new LineSplitter(10);
	assert.deepEqual(splitter.push('x'.repeat(25)), []);
	assert.equal(splitter.overlongLines, 1);
	assert.deepEqual(splitter.push('yy\nok\n'), ['yy', 'ok']);
});
