/**
 * Which devices have a campaign attempt in flight (a device row in sending / executing /
 * verifying), counted per device since a device may be in several campaigns. Only those devices'
 * DM events can move a campaign, so the service drops every other event without a lookup.
 *
 * The count may run ahead of the store but never behind it: a row is counted before it is written
 * into an in-flight state and uncounted only after it was written out of one. Until
 * {@link InFlightDevices.load} the answer is "maybe" for every device.
 */
export class InFlightDevices {
  readonly #count = new Map<string, number>();
  #loaded = false;

  /** False only when the device surely has no attempt in flight. */
  mayHave(deviceId: string): boolean {
    return !this.#loaded || this.#count.has(deviceId);
  }

  /** Replaces the counts with the store's (run where no device row is being written). */
  load(deviceIds: Iterable<string>): void {
    this.#count.clear();
    for (const id of deviceIds) this.add(id);
    this.#loaded = true;
  }

  add(deviceId: string): void {
    this.#count.set(deviceId, (this.#count.get(deviceId) ?? 0) + 1);
  }

  release(deviceId: string): void {
    const n = this.#count.get(deviceId) ?? 0;
    if (n <= 1) this.#count.delete(deviceId);
    else this.#count.set(deviceId, n - 1);
  }
}
