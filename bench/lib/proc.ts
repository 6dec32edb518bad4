// What Linux says about a process: resident memory (/proc/PID/status VmRSS) and CPU time
// (/proc/PID/stat utime + stime, all threads, in clock ticks). Parsers are pure and tested; readers are thin.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';

/** VmRSS in MB (the kernel reports kB), or NaN when the line is missing. */
export function parseRssMb(status: string): number {
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** utime + stime in clock ticks. The command name (field 2) may hold spaces and parentheses: split after the last ')'. */
export function parseCpuTicks(stat: string): number {
	const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// rest[0] is field 3 (state); utime and stime are fields 14 and 15.
	const utime = Number(rest[11]);
	const stime = Number(rest[12]);
	return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : Number.NaN;
}

let ticksPerSecond: number | undefined;

/** CLK_TCK (100 on every Linux this runs on; asked once, in case). */
export function clockTicksPerSecond(): number {
	if (ticksPerSecond === undefined) {
		try {
			ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
		} catch {
			ticksPerSecond = 100;
		}
	}
	return ticksPerSecond;
}

export const readRssMb = (pid: number): number => parseRssMb(readFileSync(`/proc/${pid}/status`, 'utf8'));

/** CPU seconds the process has used so far. */
export const readCpuSeconds = (pid: number): number => parseCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecond();
