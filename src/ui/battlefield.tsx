import React, {memo, useCallback, useMemo} from 'react';
import {Box, Text, Transform} from 'ink';

/**
 * Rows pre-composed by the Canvas (compose-field.ts), never one element per invader — 2000 elements cost
 * ~100 ms a frame, a few strings a few ms (DESIGN §8). Rows that did not change are the same strings, and
 * Ink's incremental rendering rewrites only the lines that did.
 *
 * The rows are exactly `columns` cells wide (the Canvas guarantees it), so Ink need not measure them: it lays
 * out a block of blanks of that size (measured on its printable-ASCII fast path) and a <Transform> puts each
 * row in place of its blank line. Measuring the real rows (string-width over every grapheme of every block
 * glyph, on every frame) was the largest cost left in a frame at 2000 pods. While the field and the box
 * disagree on the width (the frame before a resize reaches the game), rows are ordinary truncated <Text>.
 */
export const Rows = memo(function Rows({lines, width, columns}: {readonly lines: readonly string[]; readonly width: number; readonly columns: number}) {
	const blank = useMemo(() => Array.from({length: lines.length}, () => ' '.repeat(columns)).join('\n'), [lines.length, columns]);
	// A line Ink clipped (never in this layout) is left blank rather than drawn wider than its room.
	const transform = useCallback((line: string, index: number) => (line.length === columns ? (lines[index] ?? line) : line), [lines, columns]);
	if (columns !== width || lines.length === 0) {
		return (
			<Box flexDirection="column" width={width} height={lines.length}>
				{lines.map((line, index) => (
					<Text key={index} wrap="truncate">
						{line}
					</Text>
				))}
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={width} height={lines.length}>
			<Transform transform={transform}>{blank}</Transform>
		</Box>
	);
});

/** The battlefield: info line, formation, sky and shots. */
export const Battlefield = Rows;
