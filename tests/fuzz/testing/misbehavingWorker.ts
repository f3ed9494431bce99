
/**
 * A stand-in for worker.ts that misbehaves on request, so the Sandbox's own
 * test can show it sees each kind of failure: the first file's text says
 * what to do (`ok`, `throw`, `hang`, `allocate`).
 */
process.on('message', (input: { id: number; files: Array<{ text: string }> }) => {
  const what = input.files[0]?.text;
  if (what === 'throw') {
    process.send?.({ id: input.id, kind: 'crash', message: 'TypeError: boom', stack: 'TypeError: boom\n    at f (/x/src/engine/sim/app.ts:1:1)', ms: 0 });
  } else if (what === 'hang') {
    for (;;) {
      /* never answers */
    }
  } else if (what === 'allocate') {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array(1_000_000).fill(1));

  } else {
    process.send?.({ id: input.id, kind: 'ok', outcome: { stage: 'ran', events: 0 }, ms: 0 });
  }
});
process.send?.({ kind: 'ready' });
