// A typed event bus, for the render benchmark.
type Handler<T> = (payload: T) => void | Promise<void>;

interface Events {
  created: { id: string; size: number };
  deleted: { id: string };
  error: Error;
}

export class Bus<E extends Record<string, unknown>> {
  private handlers: { [K in keyof E]?: Array<Handler<E[K]>> } = {};

  on<K extends keyof E>(event: K, handler: Handler<E[K]>): () => void {
    const list = (this.handlers[event] ??= []);
    list.push(handler);
    return () => {
      const at = list.indexOf(handler);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit<K extends keyof E>(event: K, payload: E[K]): Promise<number> {
    const list = this.handlers[event] ?? [];
    await Promise.all(list.map((h) => h(payload)));
    return list.length;
  }
}

enum Level { Debug = 0, Info, Warn, Error }

const bus = new Bus<Events>();
const off = bus.on('created', ({ id, size }) => {
  const level: Level = size > 1_000_000 ? Level.Warn : Level.Info;
  console.log(`[${Level[level]}] created ${id} (${size} bytes)`);
});

export async function main(): Promise<void> {
  const n = await bus.emit('created', { id: 'abc123', size: 2048 });
  off();
  const readonly: ReadonlyArray<number> = [1, 2, 3] as const;
  console.log(n, readonly.reduce((a, b) => a + b, 0));
}
