// The score rewards resilience, not carnage: a kill is worth little by itself; what pays is a replacement that
// is Ready fast while Goldpinger says the mesh stayed healthy. Shooting the last Ready replica (an outage) costs.

export const killPoints = 10;
export const fastReadyMs = 2000;
export const maxSpeedBonus = 100;
export const minSpeedBonus = 5;
export const meshHealthyBonus = 50;
export const lastReadyPenalty = -150;
export const barePodPenalty = -50;

/** 100 points when Ready within 2 s, then inversely proportional to the time (4 s → 50, 20 s → 10). */
export function speedBonus(toReadyMs: number): number {
	if (toReadyMs <= fastReadyMs) return maxSpeedBonus;
	return Math.max(minSpeedBonus, Math.round((maxSpeedBonus * fastReadyMs) / toReadyMs));
}

/** Points for a replacement that became Ready: `meshHealthy` is undefined when there is no Goldpinger data. */
export function replacementPoints(toReadyMs: number, meshHealthy: boolean | undefined): number {
	return killPoints + speedBonus(toReadyMs) + (meshHealthy === true ? meshHealthyBonus : 0);
}
