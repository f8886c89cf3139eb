// Stands in for the `zkos` package when its build (../npm/dist) is missing (the npm package
// is built from ../npm). Every call fails with a message that says so; nothing is simulated.

/** Always rejects: the engine package is not installed. */
export async function createEngine() {
  throw new Error('the zkos npm package is not built: run make playground-deps (builds ../npm)');
}
