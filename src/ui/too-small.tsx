import React from 'react';
import {Box, Text} from 'ink';
import {textProps, type Theme} from './theme.js';

export const minColumns = 40;
export const minRows = 12;

export function TooSmall({columns, rows, theme}: {readonly columns: number; readonly rows: number; readonly theme: Theme}) {
	return (
		<Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)}>
			<Text wrap="wrap" {...textProps(theme, 'warn')}>
				terminal too small: need ≥ {minColumns}×{minRows} (now {columns}×{rows})
			</Text>
			<Text {...textProps(theme, 'muted')}>q quits</Text>
		</Box>
	);
}
