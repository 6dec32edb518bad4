// Finds or builds the real Goldpinger for the real-peer tests, in a cache outside the repository:
//   ${PODINVADERS_CACHE:-~/.cache/podinvaders}/goldpinger/<version>/goldpinger
// 1. reuse the binary when it is there;
// 2. else `go install github.com/bloomberg/goldpinger/v3/cmd/goldpinger@<version>` with GOBIN = that folder
//    (needs Go and the Go module proxy to serve the module);
// 3. else, when GOLDPINGER_BIN names a goldpinger binary built elsewhere, use that;
// 4. else: a reason to skip, said in one line. (Here the Go module proxy refuses the goldpinger module:
//    a binary built by hand from its source can be dropped into the cache folder or named by GOLDPINGER_BIN.)
// Builds run under `nice -n 10` (2 shared cores) and take ≈ 2 minutes the first time.
import {spawnSync} from 'node:child_process';
import {accessSync, constants, mkdirSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

export const goldpingerVersion = 'v3.10.2';
export const goldpingerPackage = 'github.com/bloomberg/goldpinger/v3/cmd/goldpinger';

export function cacheDir(): string {
	return join(process.env['PODINVADERS_CACHE'] || join(homedir(), '.cache', 'podinvaders'), 'goldpinger', goldpingerVersion);
}

const executable = (path: string): boolean => {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
};

/** The last meaningful line of a command's output, for a one-line reason. */
function lastLine(text: string): string {
	const lines = text
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('go: downloading'));
	return (lines.slice(-2).join(' ') || 'no output').slice(0, 300);
}

export interface BuildOutcome {
	readonly binPath?: string;
	/** Why there is no binary (the test skips with it). */
	readonly skip?: string;
	/** How it was obtained and how long it took. */
	readonly note: string;
}

let once: BuildOutcome | undefined;

/** Memoised: one build (or one reason) per test process. */
export function ensureRealGoldpinger(timeoutMs = 9 * 60_000): BuildOutcome {
	once ??= findOrBuild(timeoutMs);
	return once;
}

function findOrBuild(timeoutMs: number): BuildOutcome {
	const dir = cacheDir();
	const binPath = join(dir, 'goldpinger');
	if (executable(binPath)) return {binPath, note: `cached ${binPath}`};

	const go = spawnSync('go', ['version'], {encoding: 'utf8'});
	if (go.error || go.status !== 0) return {skip: 'Go is not installed (no `go` on PATH): cannot build the real Goldpinger', note: ''};
	mkdirSync(dir, {recursive: true});
	const env = {...process.env, GOBIN: dir, GOFLAGS: '-mod=mod', CGO_ENABLED: '0'};

	const began = Date.now();
	const install = spawnSync('nice', ['-n', '10', 'go', 'install', `${goldpingerPackage}@${goldpingerVersion}`], {encoding: 'utf8', env, timeout: timeoutMs});
	if (install.status === 0 && executable(binPath)) {
		return {binPath, note: `go install ${goldpingerVersion} in ${Math.round((Date.now() - began) / 1000)} s`};
	}
	const installProblem = install.error ? install.error.message : lastLine(`${install.stdout}\n${install.stderr}`);

	const given = process.env['GOLDPINGER_BIN'];
	if (given && executable(given)) return {binPath: given, note: `GOLDPINGER_BIN=${given}`};
	return {
		skip: `go install ${goldpingerPackage}@${goldpingerVersion} failed (${installProblem}); set GOLDPINGER_BIN to a goldpinger ${goldpingerVersion} binary or put it at ${binPath}`,
		note: '',
	};
}
