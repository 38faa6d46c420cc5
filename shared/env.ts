/** Reading the environment (names from shared/wiring.ts). */

/** The variable's value; throws naming it when it is unset or empty. */
export function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

/** The variable's value, or undefined when it is unset or empty. */
export function optionalEnv(name: string): string | undefined {
  return process.env[name] || undefined;
}
