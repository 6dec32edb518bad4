import {test} from 'node:test';
import assert from 'node:assert/strict';
import {sanitize, sanitizeLine} from '../../src/model/sanitize.js';

test('strips CSI, OSC and C1 sequences and control characters', () => {
	assert.equal(sanitize('pod-\u001b[31mred\u001b[0m'), 'pod-red');
	assert.equal(sanitize('a\u001b]0;title\u0007b'), 'ab');
	assert.equal(sanitize('a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b'), 'alinkb');
	assert.equal(sanitize('x\u009b2Jy'), 'xy');
	assert.equal(sanitize('clear\u001bcnow'), 'clearnow');
	assert.equal(sanitize('bell\u0007\r\nend'), 'bell   end');
	assert.equal(sanitize('rtl\u202eevil'), 'rtl evil');
});

test('non-strings and long strings are handled', () => {
	assert.equal(sanitize(undefined), '');
	assert.equal(sanitize(42), '42');
	assert.equal(sanitize('x'.repeat(10), 5), 'xxxx…');
	assert.equal(sanitizeLine('  a \n\t b  '), 'a b');
});
