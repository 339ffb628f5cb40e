interface StoppableEnvironment {
  down(): Promise<unknown>;
}

export default async function globalTeardown(): Promise<void> {
  const environment = (globalThis as { __devHealthCompose?: StoppableEnvironment }).__devHealthCompose;
  if (environment) await environment.down();
}
