import React, {memo} from 'react';
import {Box, Text} from 'ink';
import {textProps, type Theme} from './theme.js';

/** Asked on a real cluster before the first kill in each namespace (not in the demo, not with --yes, not in dry-run). */
export const Confirm = memo(function Confirm({
	width,
	height,
	theme,
	context,
	namespace,
	selector,
	server,
}: {
	readonly width: number;
	readonly height: number;
	readonly theme: Theme;
	readonly context: string;
	readonly namespace: string;
	readonly selector: string;
	readonly server: string;
}) {
	const boxWidth = Math.min(width - 2, 64);
	return (
		<Box width={width} height={height} alignItems="center" justifyContent="center">
			<Box flexDirection="column" width={boxWidth} borderStyle="round" {...(theme.color ? {borderColor: 'red'} : {})} paddingX={1}>
				<Text {...textProps(theme, 'bad')}>Fire at real pods?</Text>
				<Text wrap="truncate">
					<Text {...textProps(theme, 'muted')}>context   </Text>
					<Text {...textProps(theme, 'title')}>{context}</Text>
				</Text>
				<Text wrap="truncate">
					<Text {...textProps(theme, 'muted')}>namespace </Text>
					<Text {...textProps(theme, 'title')}>{namespace}</Text>
					{selector ? <Text {...textProps(theme, 'muted')}> · {selector}</Text> : null}
				</Text>
				<Text wrap="truncate">
					<Text {...textProps(theme, 'muted')}>server    </Text>
					<Text {...textProps(theme, 'text')}>{server}</Text>
				</Text>
				<Text wrap="wrap" {...textProps(theme, 'text')}>
					A hit deletes the pod through the API. This is asked once per namespace.
				</Text>
				<Text>
					<Text {...textProps(theme, 'key')}>y</Text>
					<Text {...textProps(theme, 'text')}> arm and fire   </Text>
					<Text {...textProps(theme, 'key')}>n</Text>
					<Text {...textProps(theme, 'text')}> / </Text>
					<Text {...textProps(theme, 'key')}>esc</Text>
					<Text {...textProps(theme, 'text')}> hold fire</Text>
				</Text>
			</Box>
		</Box>
	);
});
