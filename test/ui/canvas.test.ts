import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Canvas} from '../../src/ui/canvas.js';
import {stringWidth} from '../../src/ui/ink-internals.js';
import {themes} from '../../src/ui/theme.js';

test('blanks between two cells of one style stay in the run; before another style or at the end they do not', () => {
	const canvas = new Canvas(12, 1);
	canvas.put(0, 0, 'a', 'ready');
	canvas.put(2, 0, 'b', 'ready');
	canvas.put(4, 0, 'c', 'bad');
	canvas.put(6, 0, 'd', 'ready');
	const [line] = canvas.toLines(themes.dark);
	assert.equal(line, '\u001b[32ma b\u001b[0m \u001b[91mc\u001b[0m \u001b[32md\u001b[0m     ');
});

test('an inverse run ends at a blank (an inverse space would show)', () => {
	const canvas = new Canvas(5, 1);
	canvas.put(0, 0, 'a b', 'selected');
	const [mono] = canvas.toLines(themes.mono);
	assert.equal(mono, '\u001b[1;7ma\u001b[0m \u001b[1;7mb\u001b[0m  ');
});

test('every row is exactly the canvas width in terminal cells, whatever the text', () => {
	const canvas = new Canvas(10, 4);
	canvas.put(0, 0, 'ctx-界面/ns', 'muted'); // wide characters take two cells
	canvas.put(7, 1, '界界', 'muted'); // a wide character that does not fit is a blank
	canvas.put(0, 2, 'e\u0301é😀x', 'text'); // a combining mark has no cell; an emoji two
	canvas.put(0, 3, '界界界', 'muted');
	canvas.put(1, 3, 'ab', 'ready'); // writing over half of a wide character blanks its other half
	const lines = canvas.toLines(themes.dark);
	for (const line of lines) assert.equal(stringWidth(line), 10, JSON.stringify(line));
	assert.equal(canvas.plain(0), 'ctx-界面/n');
	assert.equal(canvas.plain(1), '       界 ');
	assert.equal(canvas.plain(3), ' ab 界    ');
});
