// Stands in for the `zkos` package when playground/node_modules/zkos is absent (the npm package
// is built from ../npm). Every call fails with a message that says so; nothing is simulated.

/** Always rejects: the engine package is not installed. */
export async function createEngine() {
  throw new Error('the zkos npm package is not installed: build ../npm and run npm install in playground/');
}
