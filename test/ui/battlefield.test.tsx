import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import React from 'react';
import {Box, Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {Rows} from '../../src/ui/battlefield.js';

afterEach(() => cleanup());

test('pre-composed rows are drawn in place, styles and all, next to other boxes', () => {
	const lines = ['\u001b[32m█ █\u001b[0m ', ' ▄▀ '];
	const view = render(
		<Box flexDirection="row">
			<Rows lines={lines} width={4} columns={4} />
			<Text>|side</Text>
		</Box>,
	);
	assert.equal(view.lastFrame(), '\u001b[32m█ █\u001b[39m |side\n ▄▀');
});

test('rows wider than their box (the frame before a resize reaches the game) are cut, not spilled', () => {
	const view = render(
		<Box flexDirection="row">
			<Rows lines={['abcdef', 'ghijkl']} width={3} columns={6} />
			<Text>|</Text>
		</Box>,
	);
	assert.equal(view.lastFrame(), 'ab…|\ngh…');
});
