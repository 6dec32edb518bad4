import React, {memo} from 'react';
import {Box, Text} from 'ink';

/**
 * The battlefield: one <Text> per pre-composed row (see compose-field.ts), never one element per invader —
 * 2000 elements cost ~100 ms a frame, 40 strings a few ms (DESIGN §8). Rows that did not change are the same
 * strings, and Ink's incremental rendering rewrites only the lines that did.
 */
export const Battlefield = memo(function Battlefield({lines, width}: {readonly lines: readonly string[]; readonly width: number}) {
	return (
		<Box flexDirection="column" width={width} height={lines.length}>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate">
					{line}
				</Text>
			))}
		</Box>
	);
});
