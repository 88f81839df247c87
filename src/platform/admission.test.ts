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

  it('lets a waiter whose caller hung up leave the queue (499) without taking a place; a running call is not interrupted', async () => {
    const gate = createGate(1);
    const first = held('first');
    const ran: string[] = [];
    const running = new AbortController();
    const results = [gate.run(() => (ran.push('first'), first.work()), running.signal)];
    const leaving = new AbortController();
    const left = gate.run(async () => void ran.push('left'), leaving.signal);
    results.push(gate.run(async () => (ran.push('next'), 'next')));
    await settle();
    expect(gate.load).toEqual({ running: 1, waiting: 2 });

    leaving.abort();
    running.abort();
    await expect(left).rejects.toMatchObject({ status: 499, code: 'client_closed_request' });
    expect(gate.load).toEqual({ running: 1, waiting: 1 });
    first.finish();
    expect(await Promise.all(results)).toEqual(['first', 'next']);
    expect(ran).toEqual(['first', 'next']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });

    const gone = new AbortController();
    gone.abort();
    const blocker = held('blocker');
    const blocking = gate.run(blocker.work);
    await expect(gate.run(async () => 'never', gone.signal)).rejects.toMatchObject({ status: 499 });
    blocker.finish();
    await blocking;
  });

  it('answers 503 busy, with Retry-After, to a waiter whose turn does not come within maxWaitMs', async () => {
    const gate = createGate(1, { maxWaitMs: 20 });
    const first = held('first');
    const running = gate.run(first.work);
    await expect(gate.run(async () => 'late')).rejects.toMatchObject({ status: 503, code: 'busy', headers: { 'retry-after': '5' } });
    expect(gate.load).toEqual({ running: 1, waiting: 0 });
    first.finish();
    await running;
    expect(await gate.run(async () => 'free again')).toBe('free again');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createGate(0)).toThrow(/positive integer/);
    expect(() => createGate(1.5)).toThrow(/positive integer/);
  });
});
