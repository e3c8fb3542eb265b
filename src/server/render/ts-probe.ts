// Imported by worker-entry.mjs to learn whether this thread already loads TypeScript: empty on purpose.
export const probe = true;
