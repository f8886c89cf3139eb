// Shared by the page and the worker: set the pre-state, run a block of signed transactions, and
// report plain JSON (bigints as decimal strings) for the test to compare.
export function runScenario(engine, input) {
  for (const [address, account] of Object.entries(input.preState)) engine.setAccount(address, account);
  const block = engine.runBlock({ transactions: input.transactions });
  const json = JSON.parse(JSON.stringify(block, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  const balance = engine.getAccount(input.watch).balance.toString();
  return { block: json, balance, hasProcess: typeof process !== 'undefined' };
}
