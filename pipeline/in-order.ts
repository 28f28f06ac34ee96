// Overlapped I/O, results in order: the next tasks are started while the current one is used.

/**
 * The results of `start(0)`, `start(1)`, … `start(count - 1)`, in that
 * order, with up to `ahead` of them started before they are needed (their
 * file reads overlap). A task that fails throws where its result is taken;
 * stopped early, the generator settles the tasks it started. Every
 * `turnEvery` results, the event loop turns before the next is given
 * (`turn`): results already at hand are otherwise given one after the other
 * in a single run of microtasks, while no timer, I/O callback or message
 * from another thread is taken in.
 */
export async function* inOrder<T>(count: number, ahead: number, start: (index: number) => Promise<T>, turnEvery = Infinity): AsyncGenerator<T> {
  const started: Array<Promise<T>> = []
  let next = 0
  try {
    for (let index = 0; index < count; index++) {
      if (index > 0 && index % turnEvery === 0) await turn()
      while (next < count && next <= index + ahead) {
        const task = start(next++)
        // Note: a failure is thrown when its result is taken, not reported as unhandled meanwhile.
        task.catch(() => undefined)
        started.push(task)
      }
      yield await started.shift()!
    }
  } finally {
    // Note: stopped early (`return()`, or a failure), it settles what it started before it is done.
    await Promise.allSettled(started)
  }
}

/** Resolves once the event loop has turned: what waited on it (timers, I/O, messages of every port) was taken in. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
