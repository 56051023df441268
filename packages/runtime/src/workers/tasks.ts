/**
 * Named tasks for worker threads, typed end to end. A worker module default-exports its handlers
 * (`defineTasks`); the calling thread names the module with `taskModule` and runs its tasks
 * through the worker pool. Nothing here knows any model. No Node imports: the types and helpers
 * serve a browser build too.
 */

/** A task's input and output, as the calling thread and the worker see them. */
export interface TaskShape {
  input: unknown;
  output: unknown;
}

/** A worker module's tasks: task name → its input and output (an interface or a type). */
export type TaskSpec<S> = { [K in keyof S]: TaskShape };

export type TaskName<S> = keyof S & string;
export type TaskInput<S, K extends keyof S> = S[K] extends { input: infer I } ? I : never;
export type TaskOutput<S, K extends keyof S> = S[K] extends { output: infer O } ? O : never;

/**
 * An output with the buffers to move (not copy) to the calling thread. Recognised by shape, not
 * by class: a worker thread's entry bundles its own copy of this module.
 */
export interface Transferred<T> {
  readonly rdlTransfer: true;
  readonly value: T;
  readonly buffers: ArrayBuffer[];
}

/** Marks `value` to be sent back with `buffers` transferred (they become unusable here). */
export function transfer<T>(value: T, buffers: ArrayBuffer[]): Transferred<T> {
  return { rdlTransfer: true, value, buffers };
}

export function isTransferred(value: unknown): value is Transferred<unknown> {
  return typeof value === 'object' && value !== null && (value as { rdlTransfer?: unknown }).rdlTransfer === true;
}

type Awaitable<T> = T | Promise<T>;

/** One handler per task; each returns its output, or `transfer(output, buffers)`. */
export type TaskHandlers<S extends TaskSpec<S>> = {
  [K in TaskName<S>]: (input: TaskInput<S, K>) => Awaitable<TaskOutput<S, K> | Transferred<TaskOutput<S, K>>>;
};

/** A worker module's default export: its task handlers, checked against the spec `S`. */
export function defineTasks<S extends TaskSpec<S>>(handlers: TaskHandlers<S>): TaskHandlers<S> {
  return handlers;
}

/** The calling thread's handle on a worker module: its URL, typed by its spec. */
export interface TaskModule<S extends TaskSpec<S>> {
  readonly url: string;
  /** Type only: never set. */
  readonly spec?: S;
}

/** Names a worker module (a `file:` URL, TypeScript in source mode or built JavaScript). */
export function taskModule<S extends TaskSpec<S>>(url: URL | string): TaskModule<S> {
  return { url: String(url) };
}
