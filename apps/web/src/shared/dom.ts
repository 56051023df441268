/** Small DOM helpers shared by the pages. */

/** The element with `data-testid` (or id) `name`; a missing one is a page bug, so it throws. */
export function byTestId<T extends HTMLElement = HTMLElement>(name: string): T {
  const el = document.querySelector<T>(`[data-testid="${name}"]`) ?? document.getElementById(name);
  if (!el) throw new Error(`page: no element [data-testid="${name}"]`);
  return el as T;
}

export function setText(name: string, text: string): void {
  byTestId(name).textContent = text;
}

/** Starts a worker from bundled source via a blob: URL (file:// pages may not load worker files). */
export function startWorker(source: string): Worker {
  return new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
}

/** Shows an error in the page's status line as well as on the console. */
export function showError(message: string): void {
  const status = document.querySelector('[data-testid="status"]');
  if (status) {
    status.textContent = `Error: ${message}`;
    status.classList.add('error');
  }
  console.error(message);
}
