import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface TerminalSize {
	readonly columns: number;
	readonly rows: number;
}

/**
 * The terminal's size, kept current on 'resize' (Ink itself only re-lays out on width changes, so rows need
 * this). `fixed` wins when given: tests inject a size (ink-testing-library has 100 columns and no rows).
 */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState<TerminalSize>(read);
	useEffect(() => {
		if (fixed) return;
		const onResize = () => {
			const next = read();
			setSize((previous) => (previous.columns === next.columns && previous.rows === next.rows ? previous : next));
		};
		stdout.on('resize', onResize);
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
		// eslint-disable-next-line react-hooks/exhaustive-deps -- `read` only closes over stdout
	}, [stdout, fixed]);
	return fixed ?? size;
}
