import { describe, expect, it } from 'vitest';
import { createGate } from './admission.js';

/** A piece of work that finishes when the test says so. */
function held<T>(value: T) {
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<T>((resolve, reject) => {
    finish = () => resolve(value);
    fail = reject;
  });
  return { work: () => done, finish, fail };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('admission gate', () => {
  it('runs at most `limit` calls at once and admits the waiters in arrival order', async () => {
    const gate = createGate(2);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((name) => ({ name, ...held(name) }));
    const results = jobs.map((j) => gate.run(() => (started.push(j.name), j.work())));
    await settle();
    expect(started).toEqual(['a', 'b']);
    expect(gate.load).toEqual({ running: 2, waiting: 2 });

    jobs[1]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });

    jobs[0]!.finish();
    jobs[2]!.finish();
    jobs[3]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the place of a call that fails, and passes its error on', async () => {
    const gate = createGate(1);
    const failing = held('x');
    const first = gate.run(failing.work);
    const second = gate.run(async () => 'second');
    failing.fail(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('second');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createGate(0)).toThrow(/positive integer/);
    expect(() => createGate(1.5)).toThrow(/positive integer/);
  });
});
