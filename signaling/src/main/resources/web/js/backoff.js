// Capped exponential backoff with full jitter: a room's clients that lost the server together
// do not all come back in the same instant.
export function backoffDelay(attempt, baseMs = 500, capMs = 15000) {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * ceiling / 2);
}
