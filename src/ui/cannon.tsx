import React, {memo} from 'react';
import {Box, Text} from 'ink';

/** The cannon's lines (composed with the field, so a shot leaving the barrel lines up to the cell). */
export const Cannon = memo(function Cannon({lines, width}: {readonly lines: readonly string[]; readonly width: number}) {
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
